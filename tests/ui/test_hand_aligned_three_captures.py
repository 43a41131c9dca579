"""A hand-aligned pair in a lesion of three captures, on the Comparison tab: the follow-up's date corrected to before
the baseline (Edit > Edit capture…), then Edit > Undo; the tab shows the hand alignment again (a new user's report,
issue #16: the automatic one was shown after the undo)."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.services import tracking
from dermadesk.services.captures import CaptureMeta, import_files
from tests.services.test_hand_aligned_corrections import FOLLOW, MM, hand_aligned_lesion


def method(qtbot, window) -> str:
    """The alignment method of what the Comparison tab shows, once nothing runs any more."""
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)
    result = window.comparison.result
    return result.alignment.method if result is not None and result.alignment is not None else ""


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
@pytest.mark.parametrize("third_day", ["2025-09-01", "2025-04-01"])  # the third capture the latest, or between
def test_undoing_a_date_moved_before_the_baseline_shows_the_hand_alignment_again(
    qtbot, window, dialogs, tmp_path: Path, third_day: str
) -> None:
    reg = window.session.register
    lid, base_id, follow_id = hand_aligned_lesion(reg, tmp_path)
    third = tmp_path / "third.png"
    third.write_bytes(cv2.imencode(".png", synthetic_lesion(LesionSpec(seed=13, skin_seed=5))[..., ::-1])[1].tobytes())
    import_files(reg, "t", lid, [third], CaptureMeta(taken_at=third_day, mm_per_px=MM))
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, follow_id)
    window.tabs.setCurrentWidget(window.comparison)
    assert window.selection.capture_id == follow_id
    assert method(qtbot, window) == "manual"

    def redate(d) -> bool:
        d.taken.set_iso("2024-12-01")  # before the baseline: it becomes the baseline
        return True

    dialogs.fillers.append(redate)
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.actions["edit_capture"].trigger()
    assert not dialogs.errors
    for capture in reg.captures.for_lesion(lid):  # each capture looked at on the tab, as a user checking it would
        window.show_capture(capture.id)
        method(qtbot, window)
    window.show_capture(follow_id)
    method(qtbot, window)
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.stack.undo()
    assert reg.captures.get(follow_id).taken_at[:10] == FOLLOW and not dialogs.errors
    assert window.selection.capture_id == follow_id
    assert method(qtbot, window) == "manual"
    assert window.comparison.align_button.text() == "Adjust alignment by hand…"


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
def test_align_by_hand_and_its_reset_are_on_the_undo_stack(qtbot, window, dialogs, tmp_path: Path) -> None:
    """Right after aligning, Edit > Undo takes the alignment back (not the import before it); Redo puts it back;
    each is a comparison row of record, audited, and the tab shows it."""
    reg = window.session.register
    lid, base_id, follow_id = hand_aligned_lesion(reg, tmp_path)
    points = [tuple(map(tuple, pair)) for pair in reg.comparisons.for_lesion(lid)[-1].metrics["registration"]["points"]]
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, follow_id)
    window.tabs.setCurrentWidget(window.comparison)
    assert method(qtbot, window) == "manual"
    stack = window.corrections.stack

    window.comparisons.reset_alignment()
    assert method(qtbot, window) != "manual"
    assert stack.undoText() == "Reset to automatic alignment"
    stack.undo()
    assert method(qtbot, window) == "manual" and stack.redoText() == "Reset to automatic alignment"
    stack.redo()
    assert method(qtbot, window) != "manual"

    window.comparisons.align_by_hand(points)
    assert method(qtbot, window) == "manual" and stack.undoText() == "Align by hand"
    stack.undo()
    assert method(qtbot, window) != "manual" and window.selection.capture_id == follow_id
    assert tracking.manual_alignment(reg, base_id, follow_id) is None  # what every reader reads
    assert window.comparison.align_button.text() == "Align by hand…"
    stack.redo()
    assert method(qtbot, window) == "manual" and tracking.manual_alignment(reg, base_id, follow_id) is not None
    actions = [e.action for e in reg.audit.entries("comparison", limit=20)]
    assert {"undo align by hand", "redo align by hand", "undo reset to automatic alignment"} <= set(actions)
    assert not dialogs.errors
