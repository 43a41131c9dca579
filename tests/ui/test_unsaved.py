"""Nothing typed is dropped without a question: clinician notes, patient details and a lesion's label that were
not saved are asked about before another capture, lesion or patient replaces them, and before the window closes;
Save saves them to the record they were typed for, Discard lets them go (Cancel: tests/ui/test_unsaved_cancel.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from dermadesk.ui.unsaved import KEPT
from tests.ui.test_cancel import two_captures


def type_notes(qtbot, window, text: str) -> None:
    window.assessment.notes.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(window.assessment.notes, text)


def with_another_lesion_and_patient(window, tmp_path: Path) -> tuple[int, int, int, int]:
    """A lesion with two captures shown, its patient's second lesion and another patient: (lesion, its patient,
    the other lesion, the other patient)."""
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    pid = reg.lesions.get(lesion_id).patient_id
    other_lesion = reg.lesions.add("t", pid, "anterior torso").id
    other = reg.patients.add("t", "CAN-2", "Other Person").id
    window.refresh(pid)
    window.show_lesion(lesion_id)
    return lesion_id, pid, other_lesion, other


def test_notes_typed_then_another_capture_chosen_are_saved_to_their_capture(qtbot, window, dialogs, tmp_path: Path):
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    first, second = [c.id for c in reg.captures.for_lesion(lesion_id)]
    window.timeline.setCurrentRow(0)
    assert window.assessment.capture.id == first
    type_notes(qtbot, window, "Excise next week; patient agreed")
    window.assessment.decision.setCurrentText("excise")
    dialogs.choices.append("save")  # "Save them now?" Save
    dialogs.confirms.append(True)  # "Mark Lesion 1 as 'excised' too?" Yes
    window.timeline.setCurrentRow(1)  # the user clicks the other capture
    [(title, message), (status_title, offer)] = dialogs.questions
    assert title == "Unsaved changes"  # Save, Discard or Cancel: Enter saves (DialogService.save_discard_cancel)
    assert "• decision and clinician's notes of Lesion 1's capture of 1 Jan 2026" in message  # what was typed
    # the decision saved this way is offered the lesion's status too, as the Save button's is
    assert status_title == "Lesion status" and "Mark Lesion 1 as 'excised' too?" in offer
    assert window.assessment.capture.id == second and window.assessment.notes.toPlainText() == ""
    stored = reg.captures.get(first)
    assert stored.clinician_notes == "Excise next week; patient agreed" and stored.decision == "excise"
    assert reg.captures.get(second).clinician_notes == ""
    assert reg.lesions.get(lesion_id).status == "excised" and window.lesions.status.currentText() == "excised"
    assert window.lesions.changes() == {}  # the form shows the status stored: nothing to ask about
    window.timeline.setCurrentRow(0)  # back: shown as saved, and nothing is asked again
    assert window.assessment.notes.toPlainText() == "Excise next week; patient agreed"
    window.timeline.setCurrentRow(1)
    assert len(dialogs.questions) == 2
    window.corrections.stack.undo()  # Edit > Undo: the status as it was, the decision kept
    assert reg.lesions.get(lesion_id).status == "monitoring" and reg.captures.get(first).decision == "excise"


def test_notes_let_go_when_the_answer_is_no(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    first = reg.captures.for_lesion(lesion_id)[0].id
    window.timeline.setCurrentRow(0)
    type_notes(qtbot, window, "draft")
    dialogs.choices.append("discard")
    window.timeline.setCurrentRow(1)
    assert len(dialogs.questions) == 1 and reg.captures.get(first).clinician_notes == ""
    window.timeline.setCurrentRow(0)
    assert window.assessment.notes.toPlainText() == ""


def test_a_saved_review_is_not_asked_about(qtbot, window, dialogs, tmp_path: Path) -> None:
    two_captures(window, tmp_path)
    window.timeline.setCurrentRow(0)
    type_notes(qtbot, window, "seen")
    window.assessment.save.click()
    window.timeline.setCurrentRow(1)
    assert dialogs.questions == []


def test_patient_details_and_lesion_label_typed_then_another_chosen(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id, pid, other_lesion, other = with_another_lesion_and_patient(window, tmp_path)
    window.lesions.select_lesion(lesion_id)
    window.lesions.label.setFocus()
    qtbot.keyClicks(window.lesions.label, "left scapula")
    dialogs.choices.append("save")
    window.lesions.select_lesion(other_lesion)  # a click on the other lesion
    assert "• label of Lesion 1" in dialogs.questions[-1][1]  # the field typed in, not "site, status or label"
    assert reg.lesions.get(lesion_id).label == "left scapula" and reg.lesions.get(other_lesion).label == ""
    assert window.lesions.shown.id == other_lesion

    window.patient_form.name.selectAll()
    qtbot.keyClicks(window.patient_form.name, "Maria Schmidt-Weber")
    dialogs.choices.append("save")
    window.patients.select_patient(other)  # a click on another patient in the list
    assert "name of patient CAN-1 Cancel Button" in dialogs.questions[-1][1]
    assert reg.patients.get(pid).name == "Maria Schmidt-Weber" and reg.patients.get(other).name == "Other Person"
    assert window.selection.patient_id == other and window.patient_form.name.text() == "Other Person"


def test_closing_the_window_asks_about_unsaved_notes(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    window.timeline.setCurrentRow(1)
    second = window.assessment.capture.id
    type_notes(qtbot, window, "review at 3 months")
    window.show()
    dialogs.choices.append("cancel")  # Cancel: the window stays, the typing too
    assert not window.close() and window.isVisible()
    assert window.assessment.notes.toPlainText() == "review at 3 months"
    dialogs.choices.append("save")
    assert window.close()
    assert len(dialogs.questions) == 2 and reg.captures.get(second).clinician_notes == "review at 3 months"
    assert [c.clinician_notes for c in reg.captures.for_lesion(lesion_id)] == ["", "review at 3 months"]


def test_no_false_alarm_for_text_the_register_stores_tidied(qtbot, window, dialogs, tmp_path: Path) -> None:
    """The register stores text tidied (stripped, the spaces of a one-line field collapsed): typing that only
    differs so is not 'unsaved' (after Save, the box still holds the typed text; the record the tidied one)."""
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    first = reg.captures.for_lesion(lesion_id)[0].id
    window.timeline.setCurrentRow(0)
    window.assessment.notes.setPlainText("seen, benign  \n")  # (keyClicks cannot type a line end)
    window.assessment.save.click()  # stored as "seen, benign"
    window.timeline.setCurrentRow(1)
    window.timeline.setCurrentRow(0)
    window.patient_form.name.setText("  Cancel   Button ")  # stored as "Cancel Button": nothing to save
    window.lesions.label.setText(" ")
    window.timeline.setCurrentRow(1)
    assert dialogs.questions == [] and reg.captures.get(first).clinician_notes == "seen, benign"


def test_a_day_first_birth_date_saved_is_not_asked_about(qtbot, window, dialogs, tmp_path: Path) -> None:
    """12.03.1961 typed and saved is stored as 1961-03-12: the form shows it so, and nothing is 'unsaved'."""
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    pid = reg.lesions.get(lesion_id).patient_id
    other = reg.patients.add("t", "CAN-3", "Third Person").id
    window.refresh(pid)
    window.patient_form.birth.setText("12.03.1961")
    window.patient_form.save.click()
    assert reg.patients.get(pid).birth_date == "1961-03-12" and window.patient_form.birth.text() == "1961-03-12"
    window.patients.select_patient(other)
    assert dialogs.questions == [] and window.selection.patient_id == other


def test_a_refused_save_keeps_its_record_on_screen_typing_and_all(qtbot, window, dialogs, tmp_path: Path) -> None:
    """A birth date the register refuses, typed and then another patient, lesion or capture clicked: Yes gives the
    reason, and the patient stays chosen with the typing in place to be corrected (it was let go before)."""
    reg = window.session.register
    lesion_id, pid, other_lesion, other = with_another_lesion_and_patient(window, tmp_path)
    window.timeline.setCurrentRow(0)
    first, second = [c.id for c in reg.captures.for_lesion(lesion_id)]
    window.patient_form.birth.setText("1990-13-45")
    window.patient_form.notes.setPlainText("allergic to plasters")
    for click, still in (
        (lambda: window.patients.select_patient(other), lambda: window.patients.current_patient_id() == pid),
        (lambda: window.lesions.select_lesion(other_lesion), lambda: window.lesions.current_lesion().id == lesion_id),
        (lambda: window.timeline.setCurrentRow(1), lambda: window.timeline.current_capture_id() == first),
    ):
        dialogs.choices.append("save")  # "Save them now?" Save: refused
        errors = len(dialogs.errors)
        click()
        assert dialogs.errors[errors][0] == "Patient details not saved" and KEPT in dialogs.errors[errors][1]
        assert still() and window.selection.patient_id == pid and window.selection.lesion_id == lesion_id
        assert window.selection.capture_id == first and window.assessment.capture.id == first
        assert window.patient_form.birth.text() == "1990-13-45"  # kept, to be corrected
        assert window.patient_form.notes.toPlainText() == "allergic to plasters"
        assert window.lesions.shown.id == lesion_id
    assert reg.patients.get(pid).notes == ""  # nothing half saved
    window.patient_form.birth.setText("1990-12-31")  # corrected: the next click saves it and goes on
    dialogs.choices.append("save")
    window.timeline.setCurrentRow(1)
    assert window.selection.capture_id == second and reg.patients.get(pid).birth_date == "1990-12-31"
    assert reg.patients.get(pid).notes == "allergic to plasters"
    window.lesions.label.setText("x" * 300)  # a label the register refuses, then the other lesion clicked
    dialogs.choices.append("save")
    window.lesions.select_lesion(other_lesion)
    assert dialogs.errors[-1][0] == "Lesion not saved" and KEPT in dialogs.errors[-1][1]
    assert window.lesions.current_lesion().id == lesion_id and window.lesions.label.text() == "x" * 300
    assert window.lesions.body_map.selected == lesion_id and window.selection.lesion_id == lesion_id
