"""A lesion whose latest comparison with its baseline is SIGNIFICANT, nobody having answered it, is flagged "⚠ CHANGED"
in the lesion list and on the body map (the why in the tooltip), and the referral prompt offers "Mark lesion as
referred" whichever of its captures is selected, until a decision 'monitor' on that capture answers it or the lesion
is marked referred (real window, real register, comparisons made by the real pipeline on import, no model)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.services.test_significant_change import STILL, grown_lesion

ANSWER = (
    "answer it with a decision (monitor, discharge) on the 3 Mar 2026 capture, or mark the lesion referred or excised"
)

SHOTS = os.environ.get("DERMADESK_SHOTS")  # a folder: a screenshot at 1280x720 to look at


def shown_changed(window, tmp_path: Path) -> tuple[int, int, int, str]:
    """The grown lesion on screen with its baseline selected: (lesion, baseline, follow-up, the change's words)."""
    reg = window.session.register
    lid = grown_lesion(reg, Path(tmp_path))
    reg.lesions.update("t", lid, body_view="front", body_x=0.5, body_y=0.35)
    base, follow = (c.id for c in reg.captures.for_lesion(lid))
    reason = reg.comparisons.for_lesion(lid)[-1].reasons[0]
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, base)
    return lid, base, follow, f"significant change on 3 Mar 2026 ({reason})"


def test_the_list_body_map_and_prompt_say_it_until_a_decision_monitor_answers_it(window, dialogs, tmp_path) -> None:
    reg = window.session.register
    lid, base, follow, note = shown_changed(window, tmp_path)
    if SHOTS:
        window.resize(1280, 720)
        QApplication.processEvents()
        window.grab().save(f"{SHOTS}/changed.png")
    row = window.lesions.list.item(0)
    assert row.text().startswith("⚠ CHANGED") and f"{note}; {STILL} — {ANSWER}" in row.toolTip()
    bm = window.lesions.body_map
    bm.resize(400, 400)
    assert bm.flags[lid] == ("⚠ CHANGED", f"{note}; {STILL} — {ANSWER}")
    assert f"⚠ CHANGED: {note}" in bm.marker_tip(bm.to_widget("front", 0.5, 0.35))
    prompt = window.referral_prompt
    assert window.selection.capture_id == base  # the baseline: the change is another capture's
    assert prompt.isVisible() and prompt.text.text() == f"{note}; {STILL} — {ANSWER}"
    assert prompt.go.isVisible() and prompt.go.text() == "Go to that capture"
    prompt.go.click()  # the capture a decision answers it on
    assert window.selection.capture_id == follow and window.timeline.current_capture_id() == follow
    assert prompt.isVisible() and prompt.text.text() == f"SIGNIFICANT change; {STILL}"  # its review on screen
    assert not prompt.go.isVisible()
    window.assessment.decision.setCurrentText("monitor")
    window.assessment.notes.setPlainText("reviewed: even growth, benign pattern")
    window.assessment.save.click()
    assert reg.captures.get(follow).decision == "monitor" and dialogs.questions == []
    assert not prompt.isVisible() and not window.lesions.list.item(0).text().startswith("⚠")
    assert lid not in bm.flags
    window.show_lesion(lid, base)
    assert not prompt.isVisible()


def test_marking_the_lesion_referred_ends_the_flag(window, tmp_path) -> None:
    reg = window.session.register
    lid, _, _, _ = shown_changed(window, tmp_path)
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED")
    window.referral_prompt.button.click()  # Mark lesion as referred (one click, undoable)
    assert reg.lesions.get(lid).status == "referred" and not window.referral_prompt.isVisible()
    assert not window.lesions.list.item(0).text().startswith("⚠") and lid not in window.lesions.body_map.flags
    window.corrections.stack.undo()  # Edit > Undo: monitoring again, the change stands again
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED") and window.referral_prompt.isVisible()


def test_a_decision_on_another_capture_says_the_flag_stands_and_why(window, dialogs, tmp_path) -> None:
    """ "Notes and decision saved" while the flag stayed, no hint why: the status bar says what answers it."""
    reg = window.session.register
    lid, base, _, _ = shown_changed(window, tmp_path)
    window.assessment.decision.setCurrentText("monitor")
    window.assessment.save.click()
    assert reg.captures.get(base).decision == "monitor"
    said = f"Decision 'monitor' saved (Lesion 1, capture of 10 Jan 2026); the lesion's flag stands — {ANSWER}"
    assert window.statusBar().currentMessage() == said
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED") and window.referral_prompt.go.isVisible()


def test_at_150_percent_the_prompt_with_both_buttons_fits_the_window(qtbot, window, tmp_path) -> None:
    """853x480 (150 % on 1280x720): the words above the tabs (one line, short), both buttons whole and in the window."""
    from tests.ui.helpers import settled

    window.resize(853, 480)
    shown_changed(window, tmp_path)
    settled(qtbot, window)
    window.fit_prompt()
    settled(qtbot, window)
    prompt = window.referral_prompt
    assert prompt.isVisible() and prompt.go.isVisible() and prompt.text.text().startswith("significant change")
    assert ANSWER in prompt.text.toolTip() and ANSWER in prompt.go.toolTip()  # the buttons say it: not a third line
    if SHOTS:
        window.grab().save(f"{SHOTS}/changed-150.png")
    for button in (prompt.go, prompt.button):
        corner = button.mapTo(window, button.rect().bottomRight())
        assert window.rect().contains(corner) and button.width() >= button.sizeHint().width()
    label = prompt.text
    assert label.height() >= label.heightForWidth(label.width())  # every line of the words in sight
    assert window.width() == 853 and window.tabs.height() >= 100
