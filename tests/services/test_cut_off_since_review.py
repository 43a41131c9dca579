"""A lesion cut off by the frame with less of it in view is never said to have shrunk since a reviewed capture, nor,
with more of it in view, to have grown as a whole: the change estimated from the two comparisons with the baseline
(``since_review.new_since_review``, as the ⚠ CHANGED flag says it) and the Change tab's area line
(``explain.area_line``) say where they measured ("13% less area where both images show the lesion; it reaches the edge
of an image", "29% more area ..."), as ``change_verdict.judge`` does, and a longest diameter is never given as the
lesion's own. A lesion not cut off keeps "area shrank by ..." and "(-20%)". A real SQLite register; synthetic images
compared by the real pipeline (the lesion grown beyond the frame as tests/analysis/test_cut_off_growth.py makes it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from dermadesk.analysis.change import compare
from dermadesk.domain.text import EDGE_OF_IMAGE
from dermadesk.services.attention import lesion_flag
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.explain import area_line
from dermadesk.services.register_ops import review_capture
from dermadesk.services.standing import significant_change
from dermadesk.storage.register import Register
from dermadesk.ui.comparison_view import area_line as change_tab_area_line
from dermadesk.services.since_review import new_since_review
from tests.analysis.test_cut_off_growth import off_the_right_edge, pale_centred
from tests.services.test_since_review import DAYS, GROWN, add

WHERE = "less area where both images show the lesion"


def add_cut_off(
    register: Register,
    lid: int,
    tmp_path: Path,
    growth: float,
    day: str,
    lesion: Callable[[float], np.ndarray] = pale_centred,
) -> int:
    """A capture of the lesion cut off by the frame (``lesion``: its image), grown by ``growth`` of its area (a PNG,
    imported and compared as the app does)."""
    path = tmp_path / f"cut-{day}.png"
    cv2.imwrite(str(path), cv2.cvtColor(lesion(growth), cv2.COLOR_RGB2BGR))
    return import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02)).captures[0].id


def cannot_tell(register: Register, first: int, second: int) -> None:
    """The pair's direct comparison cannot tell (as one the pipeline could not align): the change since the reviewed
    capture is then estimated from the two comparisons with the baseline."""
    register.database.conn.execute(
        "UPDATE comparisons SET verdict = 'cannot tell' WHERE baseline_capture_id = ? AND followup_capture_id = ?",
        (first, second),
    )


def baseline_row(register: Register, lid: int, capture: int) -> dict:
    base = register.captures.for_lesion(lid)[0].id
    rows = register.comparisons.for_lesion(lid)
    return next(r for r in rows if (r.baseline_capture_id, r.followup_capture_id) == (base, capture)).metrics


def test_less_area_in_view_since_the_review_is_not_said_to_have_shrunk(register: Register, tmp_path: Path) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "C-1", "Cut Off").id, "upper extremity").id
    add_cut_off(register, lid, tmp_path, 0.0, DAYS[0])
    reviewed = add_cut_off(register, lid, tmp_path, 0.2, DAYS[1])  # grown 20 %: 13 % less of it in view, flagged
    assert baseline_row(register, lid, reviewed)["cut_off"]
    review_capture(register, "t", reviewed, "monitor", "")
    later = add_cut_off(register, lid, tmp_path, 0.35, DAYS[2])  # grown 35 %: 23 % less in view than at baseline
    metrics = baseline_row(register, lid, later)
    assert metrics["cut_off"] and metrics["area_change_percent"] < -20
    cannot_tell(register, reviewed, later)
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == later and change.cannot_tell_since
    estimate = (100 + metrics["area_change_percent"]) / (100 + baseline_row(register, lid, reviewed)[
        "area_change_percent"
    ]) * 100 - 100  # fmt: skip
    assert change.reasons[0] == (
        f"{-estimate:.0f}% {WHERE} since the reviewed capture of 16 Feb 2026; {EDGE_OF_IMAGE}"
    ), change.reasons
    flag, why = lesion_flag(register, lid)  # the flag's why, as the app's lesion list and the report's Reviews say it
    assert flag == "⚠ CHANGED" and f"estimated: {change.reasons[0]}" in why and "shrank" not in why


def test_more_area_in_view_since_the_review_is_not_said_to_have_grown_as_a_whole(
    register: Register, tmp_path: Path
) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "C-2", "Cut Grown").id, "upper extremity").id
    add_cut_off(register, lid, tmp_path, 0.0, DAYS[0], off_the_right_edge)
    reviewed = add_cut_off(register, lid, tmp_path, 0.2, DAYS[1], off_the_right_edge)  # 18 % more in view, flagged
    review_capture(register, "t", reviewed, "monitor", "")
    later = add_cut_off(register, lid, tmp_path, 0.6, DAYS[2], off_the_right_edge)  # 52 % more in view
    metrics = baseline_row(register, lid, later)
    assert metrics["cut_off"] and metrics["area_change_percent"] > 40
    cannot_tell(register, reviewed, later)
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == later and change.cannot_tell_since
    estimate = (100 + metrics["area_change_percent"]) / (100 + baseline_row(register, lid, reviewed)[
        "area_change_percent"
    ]) * 100 - 100  # fmt: skip
    assert change.reasons[0] == (
        f"{estimate:.0f}% more area where both images show the lesion since the reviewed capture of 16 Feb 2026; "
        f"{EDGE_OF_IMAGE}"
    ), change.reasons
    assert not any("grew" in reason for reason in change.reasons)


def test_a_cut_off_lesions_diameter_since_the_review_is_not_the_lesions_own() -> None:
    """The estimate from the stored rows alone (as a register from before comparisons with the reviewed capture has
    them): the area steady, the longest diameter of the part in view 17 % longer since the reviewed capture."""
    reviewed = {"area_change_percent": 1.0, "diameter_change_percent": 20.0, "cut_off": False}
    later = {"area_change_percent": 2.0, "diameter_change_percent": 40.0, "cut_off": True}
    assert new_since_review(later, reviewed, "since the review") == [
        f"17% longer diameter where both images show the lesion since the review; {EDGE_OF_IMAGE}, so its whole "
        "diameter is not known"
    ]
    whole = {**later, "cut_off": False}
    assert new_since_review(whole, reviewed, "since the review") == [
        "longest diameter changed by +17% since the review"
    ]


def test_a_lesion_not_cut_off_still_shrank_since_the_review(register: Register, tmp_path: Path) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "S-1", "Shrank Back").id, "upper extremity").id
    add(register, lid, tmp_path, 1.0, DAYS[0])
    reviewed = add(register, lid, tmp_path, GROWN, DAYS[1])  # +25 %, answered
    review_capture(register, "t", reviewed, "monitor", "")
    smaller = add(register, lid, tmp_path, 0.8, DAYS[2])  # -36 % since the baseline, about -49 % since the review
    assert not baseline_row(register, lid, smaller)["cut_off"]
    cannot_tell(register, reviewed, smaller)
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == smaller and change.cannot_tell_since
    assert change.reasons[0].startswith("area shrank by ") and change.reasons[0].endswith(
        "% since the reviewed capture of 16 Feb 2026"
    ), change.reasons
    assert WHERE not in " ".join(change.reasons)


def test_the_change_tabs_area_line_says_where_it_measured_a_cut_off_lesion() -> None:
    base = pale_centred(0.0)
    cut = compare(base, pale_centred(0.2), interval_days=90, mm_per_px=0.02)
    assert cut.cut_off and cut.area_change_percent is not None and cut.area_change_percent < -10
    line = change_tab_area_line(cut)
    assert line == area_line(cut.to_dict())  # the Change tab and the report say the same
    assert f"% {WHERE}; {EDGE_OF_IMAGE})" in line and "(-" not in line, line
    relit = compare(base, (base * 0.97).astype(base.dtype), interval_days=90, mm_per_px=0.02)  # cut off, unchanged
    assert relit.cut_off and WHERE not in area_line(relit.to_dict())


def test_the_area_line_of_a_lesion_not_cut_off_keeps_its_signed_figure() -> None:
    metrics = {
        "baseline": {"area_px": 1000, "area_mm2": 10.0},
        "followup": {"area_px": 800, "area_mm2": 8.0},
        "followup_area_mm2_own_scale": 8.0,
        "outlined_area_change_percent": -20.0,
        "area_change_percent": -20.0,
    }
    for cut_off in (False, None):  # rows stored before cut_off was stored have none
        said = area_line({**metrics, "cut_off": cut_off} if cut_off is not None else metrics)
        assert said == "Outlined area, each capture at its own scale: baseline 10.0 mm² → follow-up 8.0 mm² (-20%)."
    said = area_line({**metrics, "cut_off": True})
    assert said == (
        f"Outlined area, each capture at its own scale: baseline 10.0 mm² → follow-up 8.0 mm² (20% {WHERE}; "
        f"{EDGE_OF_IMAGE})."
    )
