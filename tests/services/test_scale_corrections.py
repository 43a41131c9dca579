"""A corrected mm per pixel makes the comparisons made with the old one stale, for every reader (the change line,
the trend chart's areas, the report's change since baseline), and undoing the correction makes them current again.
A real SQLite register and synthetic images of a lesion on skin without texture, where the outline alignment takes
the zoom from both captures' recorded scales, so the follow-up's scale decides the verdict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import cv2
import numpy as np
import pytest

from dermadesk.analysis.change import compare
from dermadesk.config import Settings
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import lesion_report_data
from dermadesk.services.tracking import (
    baseline_change,
    capture_areas,
    change_line,
    compare_captures,
    current_comparisons,
    lesion_trend,
    refresh_baseline_comparison,
)
from dermadesk.storage.register import Register

BASE, FOLLOW = "2026-01-10", "2026-03-10"
MM = 0.02
ZOOMED = MM * 50 / 60  # the follow-up was taken closer: its lesion is 60 px across where the baseline's is 50


def smooth_blob(radius: int) -> bytes:
    img = np.full((450, 600, 3), (222, 172, 150), np.uint8)
    cv2.circle(img, (300, 225), radius, (110, 70, 45), -1, cv2.LINE_AA)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(cv2.GaussianBlur(img, (0, 0), 1.5), cv2.COLOR_RGB2BGR))
    assert ok
    return buf.tobytes()


def scale_lesion(register: Register, tmp_path: Path) -> int:
    """A baseline (radius 50 px) and a follow-up (60 px), both recorded at 0.02 mm per pixel (wrong for the
    follow-up: +44 %, SIGNIFICANT, until its scale is corrected)."""
    lid = register.lesions.add("t", register.patients.add("t", "S-1", "Sca Le").id, "anterior torso").id
    for name, radius, day in (("base", 50, BASE), ("follow", 60, FOLLOW)):
        path = tmp_path / f"{name}.png"
        path.write_bytes(smooth_blob(radius))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=MM))
    return lid


def readers(register: Register, lid: int, follow_id: int) -> tuple[str | None, str | None, str, int | None]:
    """(change line, baseline change, report's change, stored row the baseline change comes from)."""
    line = change_line(register, follow_id)
    change = baseline_change(register, lid)
    report = lesion_report_data(register, Settings(), lid, today=dt.date(2026, 3, 10)).comparison
    assert change is not None and report is not None
    return line.verdict if line else None, change.verdict, report.verdict, change.comparison_id


def test_scale_correction_and_its_undo_reach_every_reader(register: Register, tmp_path: Path) -> None:
    lid = scale_lesion(register, tmp_path)
    base_id, follow_id = (c.id for c in register.captures.for_lesion(lid))
    first = register.comparisons.for_lesion(lid)[0]
    assert first.verdict == "significant" and first.metrics["scales"] == {"baseline": MM, "followup": MM}
    assert readers(register, lid, follow_id) == ("significant", "significant", "significant", first.id)
    grown_area = capture_areas(register, lid)[follow_id][0]

    ops.edit_capture(register, "t", follow_id, {"mm_per_px": ZOOMED})  # the follow-up's scale corrected
    assert current_comparisons(register, lid) == []  # the row made at 0.02 is stale now
    assert change_line(register, follow_id) is None and capture_areas(register, lid) == {}
    assert baseline_change(register, lid, compute=False) is None
    fresh = refresh_baseline_comparison(register, "t", lid)  # what the app and the CLI do after a correction
    assert fresh is not None and fresh.verdict == "not significant", fresh.reasons
    assert fresh.metrics["scales"] == {"baseline": MM, "followup": ZOOMED}
    assert readers(register, lid, follow_id) == ("not significant",) * 3 + (fresh.id,)
    areas = capture_areas(register, lid)
    assert areas[follow_id][0] == pytest.approx(areas[base_id][0], rel=0.05) and areas[follow_id][0] < grown_area
    trend = lesion_trend(register, lid)
    assert trend.area.unit == "mm²" and trend.area.values[1] == pytest.approx(trend.area.values[0], rel=0.05)

    ops.edit_capture(register, "t", follow_id, {"mm_per_px": MM}, action="undo")  # Edit > Undo
    assert [c.id for c in current_comparisons(register, lid)] == [first.id]  # the row made at 0.02 again
    assert refresh_baseline_comparison(register, "t", lid) is None  # nothing to redo: it is current
    assert readers(register, lid, follow_id) == ("significant", "significant", "significant", first.id)
    assert lesion_trend(register, lid).area.values[1] == pytest.approx(grown_area)


def test_a_comparison_stored_at_a_wrong_scale_goes_stale_when_the_scale_is_put_back(
    register: Register, tmp_path: Path
) -> None:
    """``compare`` run while the baseline's scale was wrong, then the correction undone: screen and report agree
    on the comparison made with the scales as they are, across a restart (a new Register on the same folder)."""
    lid = scale_lesion(register, tmp_path)
    base_id, follow_id = (c.id for c in register.captures.for_lesion(lid))
    ops.edit_capture(register, "t", base_id, {"mm_per_px": MM * 60 / 50})
    wrong, _ = compare_captures(register, "t", base_id, follow_id)
    assert wrong.verdict == "not significant"
    ops.edit_capture(register, "t", base_id, {"mm_per_px": MM}, action="undo")
    assert wrong.id not in [c.id for c in current_comparisons(register, lid)]
    assert readers(register, lid, follow_id)[:3] == ("significant",) * 3
    with Register(register.data_dir) as again:
        assert readers(again, lid, follow_id)[:3] == ("significant",) * 3


def test_rows_from_before_scales_were_recorded_judged_by_their_alignment(register: Register, tmp_path: Path) -> None:
    """An older row (no ``scales`` in its metrics) aligned on the outline with both scales known recorded the
    zoom it used: a corrected follow-up scale makes it stale too."""
    lid = scale_lesion(register, tmp_path)
    base, follow = register.captures.for_lesion(lid)
    result = compare(
        cv2.imdecode(np.frombuffer(smooth_blob(50), np.uint8), cv2.IMREAD_COLOR),
        cv2.imdecode(np.frombuffer(smooth_blob(60), np.uint8), cv2.IMREAD_COLOR),
        59,
        MM,
        followup_mm_per_px=MM,
    )
    assert result.alignment is not None and result.alignment.method == "lesion outline"
    old = register.comparisons.add(
        "t", lid, base.id, follow.id, 59, result.verdict, result.reasons, result.to_dict(), None, "create"
    )
    assert old.id in [c.id for c in current_comparisons(register, lid)]
    ops.edit_capture(register, "t", follow.id, {"mm_per_px": ZOOMED})
    assert current_comparisons(register, lid) == []
    ops.edit_capture(register, "t", follow.id, {"mm_per_px": MM}, action="undo")
    assert old.id in [c.id for c in current_comparisons(register, lid)]


def test_a_lone_capture_charts_in_the_unit_its_scale_allows(register: Register, tmp_path: Path) -> None:
    pid = register.patients.add("t", "S-2", "Lo Ne").id
    for mm, unit in ((MM, "mm²"), (None, "%")):
        lid = register.lesions.add("t", pid, "anterior torso").id
        path = tmp_path / f"lone-{mm}.png"
        path.write_bytes(smooth_blob(50 if mm else 40))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=BASE, mm_per_px=mm))
        trend = lesion_trend(register, lid)
        assert trend.area.values == [None] and trend.area.unit == unit  # nothing compared yet: no area, its unit
        assert trend.area.why_none == ["it needs a second capture"]
