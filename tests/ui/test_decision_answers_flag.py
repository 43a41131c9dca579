"""The clinician decides: a decision 'monitor' or 'discharge' saved on the capture whose URGENT result stands
answers it (no flag, no referral prompt); 'refer', 'excise' or 'discharge' offers the lesion's status to match
(undoable), so the summary never says 'monitoring' and 'discharged' at once (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.standing import needs_action
from tests.services.test_standing import lesion_with_results


def shown_urgent(window, tmp_path: Path) -> tuple[int, int]:
    reg = window.session.register
    lid = lesion_with_results(reg, Path(tmp_path), ["urgent"])
    cid = reg.captures.for_lesion(lid)[-1].id
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, cid)
    assert window.referral_prompt.isVisible() and window.lesions.list.item(0).text().startswith("⚠ URGENT")
    return lid, cid


def save_decision(window, decision: str, notes: str) -> None:
    window.assessment.decision.setCurrentText(decision)
    window.assessment.notes.setPlainText(notes)
    window.assessment.save.click()


def test_monitor_answers_the_flag_and_the_prompt(window, dialogs, tmp_path) -> None:
    reg = window.session.register
    lid, cid = shown_urgent(window, tmp_path)
    save_decision(window, "monitor", "benign on dermoscopy; clinician disagrees with the model")
    assert dialogs.questions == []  # 'monitor' matches the status 'monitoring': nothing to ask
    assert reg.captures.get(cid).decision == "monitor" and needs_action(reg, lid) is None
    assert not window.referral_prompt.isVisible()
    # monitoring's follow-up instead: 3 months from the decision (not from the capture of 10 Mar 2026, which
    # would flag it OVERDUE the moment it is answered): no flag at all
    assert not window.lesions.list.item(0).text().startswith("⚠")
    assert reg.lesions.get(lid).status == "monitoring"


def test_discharge_offers_the_status_and_undo_takes_it_back(window, dialogs, tmp_path) -> None:
    reg = window.session.register
    lid, _ = shown_urgent(window, tmp_path)
    dialogs.confirms.append(True)
    save_decision(window, "discharge", "seborrhoeic keratosis")
    [(title, question)] = dialogs.questions
    assert title == "Lesion status" and "Mark Lesion 1 as 'discharged' too? (Its status is 'monitoring'.)" in question
    assert reg.lesions.get(lid).status == "discharged" and dialogs.confirm_defaults[-1]
    assert not window.referral_prompt.isVisible()
    window.corrections.stack.undo()  # Edit > Undo: the status as it was, the decision kept
    assert reg.lesions.get(lid).status == "monitoring"


def test_refer_keeps_the_prompt_when_the_status_is_not_changed(window, dialogs, tmp_path) -> None:
    reg = window.session.register
    lid, cid = shown_urgent(window, tmp_path)
    dialogs.confirms.append(False)  # not now
    save_decision(window, "refer", "to plastics")
    assert "Mark Lesion 1 as 'referred' too?" in dialogs.questions[-1][1]
    assert reg.lesions.get(lid).status == "monitoring" and needs_action(reg, lid) is not None
    assert window.referral_prompt.isVisible() and window.lesions.list.item(0).text().startswith("⚠ URGENT")


def test_the_prompt_says_the_saved_refer_decision_and_the_next_step(window, dialogs, tmp_path) -> None:
    """With 'refer' saved and the status left 'monitoring', the prompt says the decision and what is left, as the
    command line does; it said "URGENT result; status still 'monitoring'" as if nobody had decided."""
    lid, _ = shown_urgent(window, tmp_path)
    prompt = window.referral_prompt
    assert prompt.said.endswith("; status still 'monitoring'")  # no decision yet
    dialogs.confirms.append(False)  # not now
    save_decision(window, "refer", "to plastics")
    assert prompt.isVisible()
    assert prompt.said.endswith("; decision refer saved: arrange it, then mark the lesion referred")
    assert "status still" not in prompt.said


def test_refer_saved_on_closing_offers_the_status_too(window, dialogs, tmp_path) -> None:
    """'refer' typed and saved by the closing question (not the Save button): the same offer, made in place."""
    reg = window.session.register
    lid, cid = shown_urgent(window, tmp_path)
    window.assessment.decision.setCurrentText("refer")
    window.assessment.notes.setPlainText("to plastics")
    dialogs.choices.append("save")
    dialogs.confirms.append(True)  # "Mark Lesion 1 as 'referred' too?" Yes
    assert window.close()
    assert "Mark Lesion 1 as 'referred' too?" in dialogs.questions[-1][1]
    assert reg.captures.get(cid).decision == "refer" and reg.lesions.get(lid).status == "referred"
    assert needs_action(reg, lid) is None and not window.lesions.list.item(0).text().startswith("⚠")


def test_the_body_map_rings_the_flagged_lesion_until_it_is_acted_on(window, dialogs, tmp_path) -> None:
    """The body map says what the list says: the URGENT lesion's marker ringed in red with a sign beside its
    number, its flag in the marker's tooltip; gone once the lesion is marked referred."""
    reg = window.session.register
    lid, _ = shown_urgent(window, tmp_path)
    reg.lesions.update("t", lid, body_view="front", body_x=0.5, body_y=0.35)
    window.lesions.show_lesions(reg.lesions.for_patient(reg.lesions.get(lid).patient_id), lid)
    bm = window.lesions.body_map
    bm.resize(400, 400)
    assert bm.flags[lid][0] == "⚠ URGENT"
    spot = bm.to_widget("front", 0.5, 0.35)
    assert "Lesion 1 · " in bm.marker_tip(spot) and "⚠ URGENT: " in bm.marker_tip(spot)

    def red_near_marker() -> int:
        image = bm.grab().toImage()
        x0, y0 = int(spot.x()), int(spot.y())
        return sum(
            image.pixelColor(x, y).name() == "#b71c1c" for x in range(x0 - 16, x0 + 17) for y in range(y0 - 16, y0 + 17)
        )

    assert red_near_marker() > 20  # the ring is drawn
    window.referral_prompt.button.click()  # Mark lesion as referred (one click, undoable)
    assert reg.lesions.get(lid).status == "referred" and lid not in bm.flags
    assert red_near_marker() == 0 and "⚠" not in bm.marker_tip(spot)


def test_excise_declined_then_the_prompt_offers_excised_not_referred(window, dialogs, tmp_path) -> None:
    """A decision 'excise' with its status declined for now: the prompt's button marks the lesion excised (it offered
    only 'referred'), and Edit > Undo takes it back."""
    reg = window.session.register
    lid, _ = shown_urgent(window, tmp_path)
    assert window.referral_prompt.button.text() in ("Mark lesion as referred", "Mark referred")
    dialogs.confirms.append(False)
    save_decision(window, "excise", "excision biopsy booked")
    assert window.referral_prompt.isVisible()
    assert window.referral_prompt.button.text() in ("Mark lesion as excised", "Mark excised")
    assert "'excised'" in window.referral_prompt.button.toolTip()
    window.referral_prompt.button.click()
    assert reg.lesions.get(lid).status == "excised" and needs_action(reg, lid) is None
    assert not window.referral_prompt.isVisible()
    window.corrections.stack.undo()
    assert reg.lesions.get(lid).status == "monitoring" and window.referral_prompt.isVisible()
