"""A new user's findings: Undo of a patient delete shows the captures again; the lesion form is cleared and
disabled when no lesion is selected."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient


@pytest.fixture
def filled(qtbot, window, dialogs, tmp_path: Path):
    """A patient with one lesion holding two captures."""
    reg = window.session.register
    pid = add_patient(window, dialogs)
    lesion = reg.lesions.add("t", pid, "posterior torso", "left scapula")
    for i, day in enumerate(("2026-01-10", "2026-04-10")):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=5, scale=1.0 + 0.3 * i))
        import_files(reg, "t", lesion.id, [f], CaptureMeta(taken_at=day), compare=False)
    window.refresh(pid)
    window.show_lesion(lesion.id)
    assert window.timeline.count() == 2
    return pid, lesion.id


def test_undo_delete_patient_lists_the_captures_again(qtbot, window, dialogs, filled) -> None:
    pid, lid = filled
    dialogs.confirms.append(True)
    window.delete_patient()
    assert window.selection.patient_id is None and window.timeline.count() == 0
    window.corrections.stack.undo()
    assert window.selection.patient_id == pid and window.selection.lesion_id == lid
    assert window.lesions.current_lesion() is not None and window.lesions.current_lesion().id == lid
    assert window.timeline.count() == 2
    assert window.selection.capture_id == window.timeline.current_capture_id() is not None
    assert window.assessment.capture is not None  # not "Select a capture."
    window.timeline.setCurrentRow(0)  # selectable
    first = window.timeline.item(0).data(0x0100)
    assert window.selection.capture_id == first and window.assessment.capture.id == first


def test_after_deleting_a_lesion_clicking_another_shows_its_captures(qtbot, window, dialogs, filled) -> None:
    pid, lid = filled
    other = window.session.register.lesions.add("t", pid, "upper extremity", "arm")
    window.refresh(pid)
    window.show_lesion(lid)
    dialogs.confirms.append(True)
    window.corrections.actions["delete_lesion"].trigger()
    assert window.selection.lesion_id is None and window.lesions.current_lesion() is None
    assert not window.lesions.apply.isEnabled() and window.lesions.label.text() == ""
    window.lesions.select_lesion(other.id)
    assert window.selection.lesion_id == other.id and window.lesions.label.text() == "arm"
    window.corrections.stack.undo()
    window.lesions.select_lesion(lid)
    assert window.selection.lesion_id == lid and window.timeline.count() == 2


def test_a_new_patient_without_lesions_has_an_empty_disabled_lesion_form(qtbot, window, dialogs, filled) -> None:
    lesions = window.lesions
    assert lesions.label.text() == "left scapula" and lesions.apply.isEnabled()
    add_patient(window, dialogs, mrn="UI-2", name="Second Patient")
    assert lesions.list.count() == 0
    assert lesions.label.text() == "" and lesions.site.currentText() == ""
    assert not lesions.apply.isEnabled() and not lesions.label.isEnabled() and not lesions.site.isEnabled()


def test_the_lesion_form_is_cleared_after_a_patient_delete_and_back_after_undo(qtbot, window, dialogs, filled) -> None:
    lesions = window.lesions
    dialogs.confirms.append(True)
    window.delete_patient()
    assert lesions.label.text() == "" and not lesions.apply.isEnabled()
    window.corrections.stack.undo()
    assert lesions.label.text() == "left scapula" and lesions.apply.isEnabled()
    assert lesions.site.currentText() == "posterior torso"
