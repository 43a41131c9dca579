"""Edit > Edit capture... corrects what the Add capture dialog records with a capture: its polarisation, magnification
and notes, prefilled with the capture's values (a polarisation or magnification never recorded shows "not recorded", as
the Add capture dialog and the command line say it), saved and audited, put back by Undo; nothing changed saves nothing.
They are recorded only: a correction of them alone compares nothing again and leaves the assessment current. Real
window, real register, the tiny ONNX model."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.records import POLARISATIONS
from dermadesk.services.assessment import make_assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.modality import outdated_words
from dermadesk.services.stored_comparisons import current_comparisons
from dermadesk.ui.correction_dialogs import NOT_RECORDED, CaptureEditDialog
from tests.conftest import lesion_jpeg
from tests.ui.helpers import wait_import

NEW_NOTES = "seen with the new dermatoscope"


@pytest.fixture
def pair(window, installed_model: Path, data_dir: Path, tmp_path: Path) -> tuple[int, int]:
    """A lesion with two assessed captures, compared: the first (10 Jan 2026) polarised, ×10, notes "first visit";
    the second (10 Apr 2026) with none of these recorded, shown. Their ids."""
    reg = window.session.register
    assess, _ = make_assess_fn(data_dir, None, "cpu")
    pid = reg.patients.add("t", "RE-1", "Rec Orded", "1960-01-01", "female", "II").id
    lid = reg.lesions.add("t", pid, "anterior torso", "left chest").id
    recorded = {"polarisation": "polarised", "magnification": 10.0, "notes": "first visit"}
    ids = []
    for i, day in enumerate(("2026-01-10", "2026-04-10")):
        image = tmp_path / f"c{i}.jpg"
        image.write_bytes(lesion_jpeg(seed=3, scale=1.0 + 0.2 * i))
        meta = CaptureMeta(taken_at=day, **(recorded if i == 0 else {}))  # type: ignore[arg-type]
        ids.append(import_files(reg, "t", lid, [image], meta, assess).captures[0].id)
    assert current_comparisons(reg, lid)  # the second compared with its baseline
    window.refresh(pid)
    window.show_lesion(lid, ids[1])
    assert window.selection.capture_id == ids[1]
    return ids[0], ids[1]


def edit(window, dialogs, fill) -> bool:
    """Edit capture... on the shown capture, the dialog filled by ``fill`` (its answer: Save or Cancel)."""
    dialogs.fillers.append(fill)
    return window.corrections.edit_capture()


def seen(window, dialogs) -> CaptureEditDialog:
    """The Edit capture dialog as it opens on the shown capture now (then cancelled)."""
    opened: list[CaptureEditDialog] = []
    assert not edit(window, dialogs, lambda d: opened.append(d) or False)
    return opened[0]


class Watch:
    """What a correction set going: tasks started (a comparison again), modality corrections (an assessment again)."""

    def __init__(self, window) -> None:
        self.tasks: list = []
        self.modality: list[int] = []
        window.session.runner.started.connect(self.tasks.append)
        window.corrections.modality_corrected.connect(self.modality.append)

    def nothing(self, window) -> bool:
        return not self.tasks and not self.modality and not window.corrections.recomparing


def test_the_dialog_is_prefilled_with_what_was_recorded(window, dialogs, pair) -> None:
    first, second = pair
    d = seen(window, dialogs)  # the second: none recorded
    assert d.polarisation.currentText() == NOT_RECORDED and d.polarisation.currentData() is None
    assert [d.polarisation.itemText(i) for i in range(d.polarisation.count())] == [NOT_RECORDED, *POLARISATIONS]
    assert (d.magnification.value(), d.magnification.text(), d.notes.text()) == (0.0, NOT_RECORDED, "")
    assert d.changes() == {}

    window.show_lesion(window.selection.lesion_id, first)
    d = seen(window, dialogs)
    assert [d.polarisation.itemText(i) for i in range(d.polarisation.count())] == [NOT_RECORDED, *POLARISATIONS]
    assert (d.polarisation.currentText(), d.magnification.value(), d.notes.text()) == ("polarised", 10.0, "first visit")
    assert d.changes() == {}


def test_nothing_changed_saves_nothing(window, dialogs, pair) -> None:
    reg, (first, _) = window.session.register, pair
    window.show_lesion(window.selection.lesion_id, first)
    audited = len(reg.audit.entries("capture", first))

    def retype(d) -> bool:  # the same notes typed again, a space after them: as stored, no change
        d.notes.setText("first visit ")
        return True

    assert not edit(window, dialogs, retype)
    assert len(reg.audit.entries("capture", first)) == audited and window.corrections.stack.count() == 0
    assert reg.captures.get(first).notes == "first visit" and not dialogs.errors


def test_each_field_is_saved_audited_shown_and_undone(window, dialogs, pair) -> None:
    reg, (_, second) = window.session.register, pair
    lid = reg.captures.get(second).lesion_id
    compared = [r.id for r in current_comparisons(reg, lid)]
    watch = Watch(window)

    def fill(d) -> bool:
        d.polarisation.setCurrentText("non-polarised")
        d.magnification.setValue(20.0)
        d.notes.setText(f"  {NEW_NOTES} ")
        assert d.changes() == {
            "polarisation": "non-polarised",
            "magnification": 20.0,
            "notes": NEW_NOTES,
        }
        return True

    assert edit(window, dialogs, fill) and not dialogs.errors
    said = "Capture of 10 Apr 2026 corrected: polarisation, magnification, notes"  # as other saves say theirs
    assert window.statusBar().currentMessage() == said
    c = reg.captures.get(second)
    assert (c.polarisation, c.magnification, c.notes) == ("non-polarised", 20.0, NEW_NOTES)
    row = reg.audit.entries("capture", second)[0]
    assert row.action == "update" and row.before == {"polarisation": None, "magnification": None, "notes": ""}
    assert row.after == {"polarisation": "non-polarised", "magnification": 20.0, "notes": NEW_NOTES}
    assert window.selection.capture_id == second  # shown, and the dialog opens with what was saved
    d = seen(window, dialogs)
    assert (d.polarisation.currentText(), d.magnification.value(), d.notes.text()) == (
        "non-polarised",
        20.0,
        NEW_NOTES,
    )
    # recorded only: nothing compared or assessed again, the comparisons and the assessment still current
    assert watch.nothing(window)
    assert [r.id for r in current_comparisons(reg, lid)] == compared
    assert outdated_words(reg, second) == "" and "out of date" not in window.assessment.tier.text()

    window.corrections.stack.undo()
    assert window.statusBar().currentMessage() == "Undone: Edit capture"
    c = reg.captures.get(second)
    assert (c.polarisation, c.magnification, c.notes) == (None, None, "")
    row = reg.audit.entries("capture", second)[0]
    assert row.action == "undo" and row.after == {"polarisation": None, "magnification": None, "notes": ""}
    assert seen(window, dialogs).polarisation.currentText() == NOT_RECORDED
    window.corrections.stack.redo()
    assert reg.captures.get(second).polarisation == "non-polarised"
    assert watch.nothing(window) and [r.id for r in current_comparisons(reg, lid)] == compared


def test_magnification_and_notes_are_cleared_and_put_back(window, dialogs, pair) -> None:
    reg, (first, _) = window.session.register, pair
    window.show_lesion(window.selection.lesion_id, first)
    watch = Watch(window)

    def clear(d) -> bool:
        d.polarisation.setCurrentText("unknown")
        d.magnification.setValue(0.0)  # "not recorded": none stored ("unknown" polarisation: a choice, stored)
        d.notes.clear()
        return True

    assert edit(window, dialogs, clear)
    c = reg.captures.get(first)
    assert (c.polarisation, c.magnification, c.notes) == ("unknown", None, "")
    assert reg.audit.entries("capture", first)[0].before == {
        "polarisation": "polarised",
        "magnification": 10.0,
        "notes": "first visit",
    }
    window.corrections.stack.undo()
    c = reg.captures.get(first)
    assert (c.polarisation, c.magnification, c.notes) == ("polarised", 10.0, "first visit")
    assert watch.nothing(window) and not dialogs.errors


def test_a_magnification_shown_rounded_is_no_change(window, dialogs, pair) -> None:
    """×10.25 (as ``capture edit --magnification`` may record it) shows as 10.2: saving it unedited changes nothing."""
    reg, (first, _) = window.session.register, pair
    reg.captures.update("t", first, magnification=10.25)
    capture = reg.captures.get(first)
    d = CaptureEditDialog(capture, [reg.lesions.get(capture.lesion_id)])
    assert d.changes() == {}
    d.magnification.setValue(12.0)
    assert d.changes() == {"magnification": 12.0}


def items(box) -> list[str]:
    return [box.itemText(i) for i in range(box.count())]


def test_add_capture_left_alone_records_no_polarisation_and_edit_clears_one(qtbot, window, dialogs, pair, tmp_path):
    """Add capture said "unknown" for a polarisation nobody chose and stored 'unknown' (a choice of its own: "not
    known"), where 'capture add' without --polarisation stores none and Edit capture shows that "not recorded": left
    alone it now records none, in the same words; and Edit capture clears a polarisation back to not recorded."""
    reg, (first, _) = window.session.register, pair
    image = tmp_path / "third.jpg"
    image.write_bytes(lesion_jpeg(seed=3, scale=1.4))
    opened = []

    def untouched(d) -> bool:
        opened.append((items(d.polarisation), d.polarisation.currentText(), d.magnification.text(), d.mm_per_px.text()))
        return True

    dialogs.fillers.append(untouched)
    window.c.import_paths(reg.captures.get(first).lesion_id, [str(image)])
    [added] = wait_import(qtbot, window).captures
    assert opened == [([NOT_RECORDED, *POLARISATIONS], NOT_RECORDED, NOT_RECORDED, NOT_RECORDED)]
    assert (reg.captures.get(added.id).polarisation, reg.captures.get(added.id).magnification) == (None, None)

    window.show_lesion(window.selection.lesion_id, first)  # polarised: cleared back to none
    assert edit(window, dialogs, lambda d: d.polarisation.setCurrentText(NOT_RECORDED) or True)
    assert reg.captures.get(first).polarisation is None
    assert window.statusBar().currentMessage() == "Capture of 10 Jan 2026 corrected: polarisation"
    assert reg.audit.entries("capture", first)[0].after == {"polarisation": None}
