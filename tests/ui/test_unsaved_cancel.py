"""'Unsaved changes' has Cancel (Escape): a user who typed a clinician review and clicked another lesion, patient or
capture can stay and finish it. Cancel keeps the typing in its boxes and the record being edited wholly on screen
(its row chosen in the list, its marker on the body map, its form, its capture), nothing saved or let go. While the
question is up the screen still shows the record being edited, not half of the one clicked (the body map had
highlighted marker 3 and the form read lesion 3's site behind a question about lesion 2); Save or Discard then shows
the one clicked whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from tests.ui.test_cancel import two_captures

NOTE = "Irregular network at 6 o'clock; compare"


def on_screen(window) -> dict[str, Any]:
    """What a user sees of the chosen records: the rows chosen (highlighted) in the three lists, the marker
    highlighted on the body map, the lesion form's site and label, the capture shown and the typed notes."""
    panel = window.lesions

    def chosen(view: QAbstractItemView) -> list[int]:
        return [int(i.data(Qt.ItemDataRole.UserRole)) for i in view.selectionModel().selectedIndexes()]

    return {
        "patient row": chosen(window.patients.list),
        "patient list current": window.patients.current_patient_id(),
        "patient form": window.patient_form.name.text(),
        "lesion row": chosen(panel.list),
        "lesion list current": panel.current_lesion().id if panel.current_lesion() else None,
        "marker": panel.body_map.selected,
        "site": panel.site.currentText(),
        "label": panel.label.text(),
        "capture row": chosen(window.timeline),
        "capture shown": window.assessment.capture.id if window.assessment.capture else None,
        "notes": window.assessment.notes.toPlainText(),
    }


def answering(window, dialogs, answer: str) -> list[dict[str, Any]]:
    """The next 'Unsaved changes' question answered ``answer``; what the screen showed while it was up, recorded."""
    seen: list[dict[str, Any]] = []
    scripted = type(dialogs).save_discard_cancel.__get__(dialogs)  # the queue's answer, not an earlier wrapper's

    def ask(title: str, message: str) -> str:
        seen.append(on_screen(window))
        dialogs.choices.appendleft(answer)
        return scripted(title, message)

    dialogs.save_discard_cancel = ask
    return seen


def click_row(qtbot, view: QAbstractItemView, row: int) -> None:
    """A mouse click on ``row`` of a list, as the user clicks it."""
    index = view.model().index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def row_of(view: QAbstractItemView, record_id: int) -> int:
    model = view.model()
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data(Qt.ItemDataRole.UserRole) == record_id)


def typed_review(qtbot, window, tmp_path: Path) -> tuple[int, int, int, int, int]:
    """Lesion 1 (two captures) and lesion 2 of patient CAN-1 on the body map, another patient; the first capture
    of lesion 1 shown, a clinician's note typed in its review and not saved: (patient, lesion 1, lesion 2, other
    patient, the first capture)."""
    reg = window.session.register
    lesion = two_captures(window, tmp_path)
    pid = reg.lesions.get(lesion).patient_id
    reg.lesions.update("t", lesion, body_view="back", body_x=0.5, body_y=0.35, label="left scapula")
    other_lesion = reg.lesions.add("t", pid, "upper extremity", "", "monitoring", "front", 0.105, 0.485).id
    other_patient = reg.patients.add("t", "CAN-2", "Other Person").id
    window.refresh(pid)
    window.show_lesion(lesion)
    first = reg.captures.for_lesion(lesion)[0].id
    click_row(qtbot, window.timeline, row_of(window.timeline, first))
    window.assessment.notes.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(window.assessment.notes, NOTE)
    return pid, lesion, other_lesion, other_patient, first


def settled_screen(qtbot, window, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The screen once the click is through (Qt finishes a mouse press after its handlers: the row's highlight)."""
    qtbot.waitUntil(lambda: wanted(on_screen(window)))
    return on_screen(window)


def test_cancel_on_another_lesion_keeps_the_review_and_lesion_wholly_on_screen(qtbot, window, dialogs, tmp_path):
    reg = window.session.register
    pid, lesion, other_lesion, _, first = typed_review(qtbot, window, tmp_path)
    before = on_screen(window)
    assert before["lesion row"] == [lesion] and before["marker"] == lesion and before["site"] == "posterior torso"
    assert before["notes"] == NOTE and before["capture row"] == [first]

    seen = answering(window, dialogs, "cancel")
    click_row(qtbot, window.lesions.list, row_of(window.lesions.list, other_lesion))  # lesion 2 clicked
    ((title, message),) = dialogs.questions
    assert title == "Unsaved changes" and "• clinician's notes of Lesion 1's capture of 1 Jan" in message
    assert seen == [before]  # while asked: lesion 1 still, not lesion 2's marker or site
    assert settled_screen(qtbot, window, lambda shown: shown == before) == before  # Cancel: as it was, typing kept
    assert window.selection.lesion_id == lesion and window.selection.capture_id == first
    assert reg.captures.get(first).clinician_notes == ""  # nothing saved

    marker = window.lesions.body_map.markers()[other_lesion][0]  # the user clicks lesion 2's marker instead
    seen = answering(window, dialogs, "cancel")
    qtbot.mouseClick(window.lesions.body_map, Qt.MouseButton.LeftButton, pos=marker.toPoint())
    assert seen == [before] and len(dialogs.questions) == 2
    assert settled_screen(qtbot, window, lambda shown: shown == before) == before

    seen = answering(window, dialogs, "discard")  # Discard: lesion 2 shown whole, the typing let go
    click_row(qtbot, window.lesions.list, row_of(window.lesions.list, other_lesion))
    assert seen == [before]
    after = settled_screen(qtbot, window, lambda shown: shown["lesion row"] == [other_lesion])
    assert after["marker"] == other_lesion and after["lesion list current"] == other_lesion
    assert after["site"] == "upper extremity" and after["label"] == "" and after["notes"] == ""
    assert window.selection.lesion_id == other_lesion and reg.captures.get(first).clinician_notes == ""


def test_cancel_on_another_patient_keeps_the_patient_and_review_on_screen(qtbot, window, dialogs, tmp_path):
    reg = window.session.register
    pid, lesion, _, other_patient, first = typed_review(qtbot, window, tmp_path)
    before = on_screen(window)
    assert before["patient row"] == [pid] and before["patient form"] == "Cancel Button"

    seen = answering(window, dialogs, "cancel")
    click_row(qtbot, window.patients.list, row_of(window.patients.list, other_patient))
    assert [t for t, _ in dialogs.questions] == ["Unsaved changes"] and seen == [before]
    assert settled_screen(qtbot, window, lambda shown: shown == before) == before
    assert window.selection.patient_id == pid and window.selection.lesion_id == lesion
    assert reg.captures.get(first).clinician_notes == ""

    seen = answering(window, dialogs, "save")  # Save: saved to its capture, the other patient shown whole
    click_row(qtbot, window.patients.list, row_of(window.patients.list, other_patient))
    assert seen == [before]
    after = settled_screen(qtbot, window, lambda shown: shown["patient row"] == [other_patient])
    assert after["patient form"] == "Other Person" and after["lesion row"] == [] and after["notes"] == ""
    assert window.selection.patient_id == other_patient and reg.captures.get(first).clinician_notes == NOTE


def test_cancel_on_another_capture_keeps_the_capture_and_its_typing(qtbot, window, dialogs, tmp_path):
    reg = window.session.register
    pid, lesion, _, _, first = typed_review(qtbot, window, tmp_path)
    second = reg.captures.for_lesion(lesion)[1].id
    window.lesions.label.setText("left scapula, 2 cm")  # the lesion's label typed too
    before = on_screen(window)

    seen = answering(window, dialogs, "cancel")
    click_row(qtbot, window.timeline, row_of(window.timeline, second))
    ((_, message),) = dialogs.questions
    assert "label of Lesion 1" in message and seen == [before]
    assert settled_screen(qtbot, window, lambda shown: shown == before) == before
    assert window.selection.capture_id == first and window.lesions.changes() == {"label": "left scapula, 2 cm"}
    assert reg.captures.get(first).clinician_notes == "" and reg.lesions.get(lesion).label == "left scapula"

    seen = answering(window, dialogs, "discard")
    click_row(qtbot, window.timeline, row_of(window.timeline, second))
    after = settled_screen(qtbot, window, lambda shown: shown["capture row"] == [second])
    assert seen == [before] and after["capture shown"] == second and after["notes"] == ""
    assert after["label"] == "left scapula" and window.selection.capture_id == second
