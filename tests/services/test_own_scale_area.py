"""The follow-up's own area at its own mm per pixel (#16): a corrected scale moves it, on the comparison's figures
and the trend chart, and undoing the correction puts it back. On textured skin the pair is aligned on the skin, so
the follow-up measured in the baseline's frame at the baseline's scale does not move with the follow-up's scale:
without its own-scale area a nurse could not see that the correction took effect."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from dermadesk.analysis.change import compare
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.tracking import baseline_change, capture_areas, lesion_trend, refresh_baseline_comparison
from dermadesk.storage.register import Register

MM = 0.02
CORRECTED = MM * 1.2  # the follow-up's pixels were larger: its own area is 1.44 times the area at 0.02


def textured_pair(register: Register, tmp_path: Path) -> int:
    """The same lesion on textured skin, twice (a PNG and a JPEG of it), both recorded at 0.02 mm per pixel."""
    rgb = synthetic_lesion(LesionSpec(seed=21), 480, 360)
    lid = register.lesions.add("t", register.patients.add("t", "O-1", "Own Scale").id, "anterior torso").id
    for name, data, day in (
        ("base.png", cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes(), "2026-01-10"),
        ("follow.jpg", jpeg_bytes(rgb), "2026-03-10"),
    ):
        (tmp_path / name).write_bytes(data)
        import_files(register, "t", lid, [tmp_path / name], CaptureMeta(taken_at=day, mm_per_px=MM))
    return lid


def test_the_follow_up_area_follows_its_own_corrected_scale_and_its_undo(register: Register, tmp_path: Path) -> None:
    lid = textured_pair(register, tmp_path)
    base_id, follow_id = (c.id for c in register.captures.for_lesion(lid))
    first = baseline_change(register, lid, compute=False)
    assert first is not None and first.metrics["registration"]["method"].startswith("features"), first.metrics
    m = first.metrics
    assert m["baseline_area_mm2"] == pytest.approx(m["baseline"]["area_mm2"])
    assert m["followup_area_mm2_own_scale"] == pytest.approx(m["followup"]["area_mm2"], rel=0.02)  # same zoom
    before = lesion_trend(register, lid)
    assert before.area.unit == "mm²" and before.area.values[1] == pytest.approx(m["followup_area_mm2_own_scale"])

    ops.edit_capture(register, "t", follow_id, {"mm_per_px": CORRECTED})  # what Edit capture and `capture edit` do
    assert refresh_baseline_comparison(register, "t", lid) is not None
    now = baseline_change(register, lid, compute=False)
    assert now is not None and now.comparison_id != first.comparison_id
    # aligned on the skin: the area in the baseline's frame, at the baseline's scale, did not move ...
    assert now.metrics["followup"]["area_mm2"] == pytest.approx(m["followup"]["area_mm2"], rel=0.02)
    # ... the follow-up's own area did, and the trend chart with it; the baseline's stays
    own = now.metrics["followup_area_mm2_own_scale"]
    assert own == pytest.approx(m["followup_area_mm2_own_scale"] * 1.44, rel=0.01)
    # the recorded scales now contradict the images (same zoom, +44 % in mm²): the chart plots the area change
    # since the baseline instead, as the verdict measures it (the follow-up aligned onto the baseline)
    after = lesion_trend(register, lid)
    assert after.area.unit == "%" and after.area.values[0] == 0 and abs(after.area.values[1]) < 5
    assert capture_areas(register, lid)[base_id][0] == pytest.approx(m["baseline_area_mm2"])

    ops.edit_capture(register, "t", follow_id, {"mm_per_px": MM}, action="undo")  # Edit > Undo
    assert refresh_baseline_comparison(register, "t", lid) is None  # the row made at 0.02 is current again
    assert lesion_trend(register, lid).area.values == pytest.approx(before.area.values)


def test_own_scale_area_of_a_follow_up_at_another_resolution() -> None:
    """A follow-up taken at 4x the pixels (a quarter of the mm per pixel) and compared on a working copy: its own
    area, from its outline in the baseline's frame and the alignment's zoom, is the area in mm² it shows."""
    rgb = synthetic_lesion(LesionSpec(seed=13), 600, 450)
    big = cv2.resize(rgb, (2400, 1800), interpolation=cv2.INTER_CUBIC)
    r = compare(rgb, big, interval_days=30, mm_per_px=MM, followup_mm_per_px=MM / 4)
    assert r.alignment is not None and r.alignment.scale == pytest.approx(0.25, rel=0.02)
    assert r.followup_area_mm2_own_scale == pytest.approx(r.followup.area_mm2, rel=0.02)
    assert r.to_dict()["followup_area_mm2_own_scale"] == r.followup_area_mm2_own_scale
    wrong = compare(rgb, big, interval_days=30, mm_per_px=MM, followup_mm_per_px=MM / 2)  # its scale recorded wrong
    assert wrong.followup_area_mm2_own_scale == pytest.approx(4 * r.followup_area_mm2_own_scale, rel=0.03)
