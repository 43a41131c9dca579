"""The notes boxes from the keyboard (helper 52): Tab leaves them instead of typing a tab character, and
Ctrl+Enter saves (the review, the patient's details); the scroll areas are not stops of their own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.ui.test_cancel import two_captures


def test_tab_leaves_the_notes_and_ctrl_enter_saves_the_review(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.assessment)
    notes = window.assessment.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "pigment network regular")
    qtbot.keyClick(notes, Qt.Key.Key_Tab)
    assert notes.toPlainText() == "pigment network regular" and not notes.hasFocus()
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    capture = reg.captures.for_lesion(lesion_id)[-1]
    assert reg.captures.get(capture.id).clinician_notes == "pigment network regular"
    assert "Ctrl+Enter" in window.assessment.save.toolTip()


def test_ctrl_enter_saves_the_patients_notes_and_tab_moves_on(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    pid = reg.lesions.get(two_captures(window, tmp_path)).patient_id
    window.show()
    qtbot.waitExposed(window)
    notes = window.patient_form.notes
    notes.setFocus()
    qtbot.keyClicks(notes, "allergic to plasters")
    qtbot.keyClick(notes, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert reg.patients.get(pid).notes == "allergic to plasters"
    qtbot.keyClick(notes, Qt.Key.Key_Tab)
    assert not notes.hasFocus() and "\t" not in notes.toPlainText()
    assert not isinstance(QApplication.focusWidget(), QScrollArea)
