"""A hand-aligned pair whose follow-up date (or scale) is corrected is compared again as it is now, with the hand
alignment of record, and the new row is stored and read by every reader; undoing the correction makes the old
row current again (a new user's report, issue #16). A real SQLite register; synthetic images of a lesion grown
27 % and turned 8 degrees on skin that looks different at the follow-up, so the automatic alignment is refused."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.explain import scales_disagree
from dermadesk.services.tracking import (
    align_by_hand,
    baseline_change,
    change_line,
    current_comparisons,
    lesion_trend,
    refresh_baseline_comparison,
)
from dermadesk.storage.register import Register

BASE, FOLLOW, CORRECTED = "2025-01-10", "2025-07-15", "2025-03-15"
MM = 0.02


def hand_aligned_lesion(register: Register, tmp_path: Path) -> tuple[int, int, int]:
    """(lesion, baseline, follow-up): the automatic comparison refused, then aligned by hand (3 point pairs)."""
    base = synthetic_lesion(LesionSpec(seed=13))
    grown = synthetic_lesion(LesionSpec(seed=13, scale=float(np.sqrt(1.27)), skin_seed=77))
    m = cv2.getRotationMatrix2D((300, 225), 8, 1.0)
    follow = cv2.warpAffine(grown, m, (600, 450), borderMode=cv2.BORDER_REFLECT)
    lid = register.lesions.add("t", register.patients.add("t", "H-1", "Hand Aligned").id, "posterior torso").id
    for name, img, day in (("base", base, BASE), ("follow", follow, FOLLOW)):
        path = tmp_path / f"{name}.png"
        path.write_bytes(cv2.imencode(".png", img[..., ::-1])[1].tobytes())
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=MM))
    base_id, follow_id = (c.id for c in register.captures.for_lesion(lid))
    assert not register.comparisons.for_lesion(lid)[0].metrics["registration"]["ok"]  # refused: cannot tell
    spots = [(150.0, 120.0), (450.0, 140.0), (300.0, 380.0)]
    points = [((x, y), tuple(float(v) for v in m @ np.array([x, y, 1.0]))) for x, y in spots]
    align_by_hand(register, "t", base_id, follow_id, points)
    return lid, base_id, follow_id


def current_row(register: Register, lid: int, pair: tuple[int, int]):  # noqa: ANN201
    rows = [c for c in current_comparisons(register, lid) if (c.baseline_capture_id, c.followup_capture_id) == pair]
    assert rows, "no current comparison of the pair"
    return max(rows, key=lambda c: c.id)


def agree(register: Register, lid: int, follow_id: int, row) -> None:  # noqa: ANN001
    line, change, trend = (
        change_line(register, follow_id),
        baseline_change(register, lid, compute=False),
        lesion_trend(register, lid),
    )
    assert line is not None and line.verdict == row.verdict
    assert change is not None and (change.comparison_id, change.verdict) == (row.id, row.verdict)
    assert change.interval_days == row.interval_days
    # mm² unless the recorded scales contradict the images (then the area change the comparison measured)
    assert trend.area.values[-1] is not None and trend.area.unit == ("%" if scales_disagree(row.metrics) else "mm²")


@pytest.mark.parametrize("changes", [{"taken_at": CORRECTED}, {"taken_at": CORRECTED, "mm_per_px": 0.025}])
def test_date_correction_of_a_hand_aligned_pair_is_stored_and_undone(
    register: Register, tmp_path: Path, changes: dict
) -> None:
    lid, base_id, follow_id = hand_aligned_lesion(register, tmp_path)
    hand = current_row(register, lid, (base_id, follow_id))
    assert hand.metrics["registration"]["method"] == "manual" and hand.interval_days == 186
    assert hand.verdict == "not significant"  # long-term rules
    agree(register, lid, follow_id, hand)

    ops.edit_capture(register, "t", follow_id, changes)  # what Edit > Edit capture… and `capture edit` do
    assert hand.id not in {c.id for c in current_comparisons(register, lid)}
    fresh = refresh_baseline_comparison(register, "t", lid)  # then the app and the CLI compare again
    assert fresh is not None and fresh.id > hand.id
    assert current_row(register, lid, (base_id, follow_id)).id == fresh.id
    assert fresh.interval_days == 64 and fresh.metrics["registration"]["method"] == "manual"
    assert fresh.transform == hand.transform  # the hand alignment of record, reused
    assert fresh.verdict == "significant" and "short-term" in fresh.metrics["rules"]
    assert fresh.metrics["scales"] == {"baseline": MM, "followup": changes.get("mm_per_px", MM)}
    assert register.audit.entries("comparison")[0].entity_id == fresh.id
    agree(register, lid, follow_id, fresh)
    assert refresh_baseline_comparison(register, "t", lid) is None  # current now: nothing more stored

    ops.edit_capture(register, "t", follow_id, {"taken_at": FOLLOW, "mm_per_px": MM}, action="undo")
    assert current_row(register, lid, (base_id, follow_id)).id == hand.id
    assert refresh_baseline_comparison(register, "t", lid) is None  # the hand row of record is current again
    agree(register, lid, follow_id, hand)
