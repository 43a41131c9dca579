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
