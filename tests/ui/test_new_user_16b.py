"""A new user's smaller findings (#16): Add patient is undoable, Undo and Redo say what they did in the status
bar."""

from __future__ import annotations

from tests.ui.helpers import add_patient


def test_add_patient_is_undone_as_a_soft_delete_and_undo_redo_say_so(qtbot, window, dialogs) -> None:
    reg, stack, bar = window.session.register, window.corrections.stack, window.statusBar()
    pid = add_patient(window, dialogs, mrn="NEW-1", name="New Person")
    assert stack.undoText() == "Add patient NEW-1" and window.selection.patient_id == pid
    stack.undo()  # soft, audited, restorable: as Delete patient does
    assert reg.patients.get(pid).deleted_at is not None and window.selection.patient_id is None
    assert reg.audit.entries("patient", pid)[0].action != "create" and window.patients.model.rowCount() == 0
    assert bar.currentMessage() == "Undone: Add patient NEW-1"
    stack.redo()
    assert reg.patients.get(pid).deleted_at is None and window.selection.patient_id == pid
    assert window.patients.model.rowCount() == 1 and bar.currentMessage() == "Redone: Add patient NEW-1"
    assert [e.action for e in reg.audit.entries("patient", pid)][:2] == ["restore", "delete"]
