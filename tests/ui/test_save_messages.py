"""Every save says in the status bar what it saved: a new user saved a lesion's status and the status bar still
read "Notes and decision saved", the previous action's message (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from dermadesk.ui.saved_words import joined
from tests.ui.test_cancel import two_captures


def said(window) -> str:
    return window.statusBar().currentMessage()


def test_a_review_then_a_lesion_status_each_say_what_they_saved(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    view = window.assessment
    view.decision.setCurrentText("monitor")
    view.notes.setPlainText("Re-check in 3 months")
    view.save.click()  # "monitor" asks nothing of the status: it is 'monitoring' already
    assert said(window) == "Decision 'monitor' and notes saved (Lesion 1, capture of 1 Mar 2026)"
    view.notes.setPlainText("Re-check in 3 months; photo with ruler")
    view.save.click()
    assert said(window) == "Notes saved (Lesion 1, capture of 1 Mar 2026)"  # what this save changed, only
    view.save.click()
    assert (
        said(window) == "Nothing changed: the decision and notes were saved already (Lesion 1, capture of 1 Mar 2026)"
    )
    window.lesions.status.setCurrentText("referred")  # the lesion form's Save: not the review's message again
    window.lesions.apply.click()
    assert reg.lesions.get(lesion_id).status == "referred"
    assert said(window) == "Lesion 1 saved (status: referred)"
    window.lesions.apply.click()
    assert said(window) == "Nothing to save: no field of Lesion 1 was changed"
    view.decision.setCurrentText("")
    view.notes.setPlainText("")
    view.save.click()
    assert said(window) == "Decision removed, notes emptied (Lesion 1, capture of 1 Mar 2026)"


def test_the_status_offered_after_a_decision_says_it_was_saved(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    window.assessment.decision.setCurrentText("refer")
    dialogs.confirms.append(True)  # "Decision 'refer' saved. Mark Lesion 1 as 'referred' too?" Yes
    window.assessment.save.click()
    assert reg.lesions.get(lesion_id).status == "referred"
    assert said(window) == "Lesion 1 saved (status: referred)"  # not the decision's line left standing
    assert not window.session.runner.running  # a status changes no comparison: none made again, none said


def test_edits_saved_by_the_unsaved_changes_question_are_said(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    window.timeline.setCurrentRow(1)
    window.assessment.notes.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(window.assessment.notes, "Dermoscopy repeated")
    window.lesions.label.setText("left scapula")
    dialogs.choices.append("save")  # "Save them now?" Save
    window.timeline.setCurrentRow(0)
    assert reg.lesions.get(lesion_id).label == "left scapula"
    # one line, each save after the semicolon lower case (it read "...; Notes saved")
    assert said(window) == "Lesion 1 saved (label: left scapula); notes saved (Lesion 1, capture of 1 Mar 2026)"


def test_an_abbreviation_after_the_semicolon_keeps_its_capitals() -> None:
    assert joined(["Patient C-1 saved (name)", "MRN kept", "Decision removed"]) == (
        "Patient C-1 saved (name); MRN kept; decision removed"
    )
