"""Comparisons of record after a correction (issue #16): every capture compared before gets one again (not only the
latest), a hand alignment still applies when a date correction puts the two captures the other way round, and
two threads storing the same comparison store one row."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.tracking import (
    compare_captures,
    compare_for_view,
    compare_pair,
    current_comparisons,
    refresh_baseline_comparison,
)
from dermadesk.storage.register import Register
from tests.services.test_hand_aligned_corrections import CORRECTED, MM, hand_aligned_lesion

BETWEEN = "2025-05-01"  # a third capture: after the corrected date, before the follow-up's first one


def third_capture(register, lid: int, tmp_path: Path) -> int:  # noqa: ANN001
    img = synthetic_lesion(LesionSpec(seed=13, skin_seed=5))
    path = tmp_path / "between.png"
    path.write_bytes(cv2.imencode(".png", img[..., ::-1])[1].tobytes())
    return import_files(register, "t", lid, [path], CaptureMeta(taken_at=BETWEEN, mm_per_px=MM)).captures[0].id


def test_a_corrected_capture_that_is_no_longer_the_latest_is_compared_again(register: Register, tmp_path: Path) -> None:
    lid, base_id, follow_id = hand_aligned_lesion(register, tmp_path)
    third_capture(register, lid, tmp_path)
    ops.edit_capture(register, "t", follow_id, {"taken_at": CORRECTED})
    refresh_baseline_comparison(register, "t", lid)
    rows = {(c.baseline_capture_id, c.followup_capture_id): c for c in current_comparisons(register, lid)}
    row = rows[(base_id, follow_id)]
    assert (row.interval_days, row.verdict, row.metrics["registration"]["method"]) == (64, "significant", "manual")
    assert refresh_baseline_comparison(register, "t", lid) is None  # all current: nothing more stored


def test_a_hand_alignment_holds_when_a_date_correction_swaps_the_pair(register: Register, tmp_path: Path) -> None:
    lid, base_id, follow_id = hand_aligned_lesion(register, tmp_path)
    ops.edit_capture(register, "t", follow_id, {"taken_at": "2024-11-01"})  # now before the old baseline
    a, b, result = compare_pair(register, base_id, follow_id)
    assert (a.id, b.id) == (follow_id, base_id)
    assert result.alignment is not None and result.alignment.ok and result.alignment.method == "manual"
    assert len(result.manual_points) == 3


def test_the_view_stores_only_a_pair_without_a_comparison_of_record(register: Register, tmp_path: Path) -> None:
    lid, base_id, follow_id = hand_aligned_lesion(register, tmp_path)
    count = len(register.comparisons.for_lesion(lid))
    compare_for_view(register, "t", base_id, follow_id)
    assert len(register.comparisons.for_lesion(lid)) == count  # current already: looking stores nothing
    ops.edit_capture(register, "t", follow_id, {"taken_at": CORRECTED})
    threads = [threading.Thread(target=compare_for_view, args=(register, "t", base_id, follow_id)) for _ in range(2)]
    threads += [threading.Thread(target=compare_captures, args=(register, "t", base_id, follow_id))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fresh = [c for c in current_comparisons(register, lid) if c.interval_days == 64]
    assert len(fresh) == 1 and fresh[0].metrics["registration"]["method"] == "manual"
