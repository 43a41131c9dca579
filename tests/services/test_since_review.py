"""After a review: a later capture is compared with the reviewed capture too (``services.since_review``), stored as a
comparison of that pair, and the lesion's ⚠ CHANGED flag decides from it; what shows a change since the baseline
(change line, trend chart, reports) reads comparisons with the baseline only. A real SQLite register, real synthetic
dermoscopy images compared by the real pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services.attention import lesion_flag, referral_reason, report_flag
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.register_ops import review_capture
from dermadesk.services.reports import lesion_report_data
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.standing import significant_change
from dermadesk.services.tracking import change_line, lesion_trend, refresh_baseline_comparison
from dermadesk.storage.register import Register
from tests.services.test_standing import pdf_text

GROWN = 1.25**0.5  # the radius of a lesion whose area grew by 25 %
DAYS = ("2026-01-05", "2026-02-16", "2026-03-30", "2026-05-11")  # 42 days apart: short-term rules throughout


def add(register: Register, lid: int, tmp_path: Path, scale: float, day: str) -> int:
    """A capture of the lesion (synthetic, ``scale`` times the baseline's radius, 0.02 mm per pixel) imported as the
    app does (compared on import); a dark corner tells it from an earlier image of the same size (the same file
    would be refused as a duplicate)."""
    image = synthetic_lesion(LesionSpec(seed=7, scale=scale), 320, 240)
    image[:4, :4] = 60 * DAYS.index(day)
    path = tmp_path / f"{day}.jpg"
    path.write_bytes(jpeg_bytes(image))
    return import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02)).captures[0].id


def reviewed_lesion(register: Register, tmp_path: Path) -> tuple[int, int, int]:
    """A baseline, then the lesion grown by 25 % (SIGNIFICANT), answered 'monitor': (lesion, baseline, reviewed)."""
    lid = register.lesions.add("t", register.patients.add("t", "R-1", "Re View").id, "upper extremity").id
    base = add(register, lid, tmp_path, 1.0, DAYS[0])
    reviewed = add(register, lid, tmp_path, GROWN, DAYS[1])
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == reviewed and change.reviewed is None
    review_capture(register, "t", reviewed, "monitor", "reviewed: benign pattern")
    assert significant_change(register, lid) is None
    return lid, base, reviewed


def pairs(register: Register, lid: int) -> dict[tuple[int, int], str]:
    """(first capture, second capture) -> the pair's latest stored verdict."""
    return {(r.baseline_capture_id, r.followup_capture_id): r.verdict for r in register.comparisons.for_lesion(lid)}


def test_the_flag_decides_from_the_comparison_with_the_reviewed_capture(register, tmp_path) -> None:
    """The lesion as big as on the reviewed capture: +25 % since the baseline (SIGNIFICANT) but NOT SIGNIFICANT since
    the reviewed capture, not flagged; grown by 25 % more: flagged, its note naming the growth since the review."""
    lid, base, reviewed = reviewed_lesion(register, tmp_path)
    same = add(register, lid, tmp_path, GROWN, DAYS[2])
    assert pairs(register, lid)[(base, same)] == "significant"  # against the baseline, as before
    assert pairs(register, lid)[(reviewed, same)] == "not significant"
    newest = register.comparisons.for_lesion(lid)[-1]  # audited as what it is
    assert register.audit.entries("comparison", newest.id)[0].action == COMPARED_ACTION
    assert significant_change(register, lid) is None and lesion_flag(register, lid) == ("", "")
    assert referral_reason(register, lid, same) == ""

    grown = add(register, lid, tmp_path, GROWN * GROWN, DAYS[3])
    assert pairs(register, lid)[(base, grown)] == pairs(register, lid)[(reviewed, grown)] == "significant"
    since = next(
        r
        for r in register.comparisons.for_lesion(lid)
        if r.baseline_capture_id == reviewed and r.followup_capture_id == grown
    )
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == grown and change.reviewed is not None
    assert change.reviewed.id == reviewed
    assert change.reasons[0] == f"{since.reasons[0]} since the reviewed capture of 16 Feb 2026"
    assert change.reasons[0].startswith("area grew by 2")  # +25 % over the reviewed capture, not +56 % since 5 Jan
    flag, why = lesion_flag(register, lid)
    assert flag == "⚠ CHANGED" and why.startswith(f"significant change on 11 May 2026 ({change.reasons[0]})")
    review_capture(register, "t", grown, "monitor", "")
    assert significant_change(register, lid) is None


def test_the_change_line_trend_and_report_show_the_comparisons_with_the_baseline_only(register, tmp_path) -> None:
    lid, base, reviewed = reviewed_lesion(register, tmp_path)
    same = add(register, lid, tmp_path, GROWN, DAYS[2])
    grown = add(register, lid, tmp_path, GROWN * GROWN, DAYS[3])
    rows = {r.followup_capture_id: r for r in register.comparisons.for_lesion(lid) if r.baseline_capture_id == base}
    for capture in (same, grown):  # the newest row of each is its comparison with the reviewed capture
        assert register.comparisons.for_lesion(lid)[-1].baseline_capture_id == reviewed
        line = change_line(register, capture)
        assert line is not None and line.since == DAYS[0] and line.verdict == "significant"
        assert line.first_reason == rows[capture].reasons[0]
    assert change_line(register, same).first_reason.startswith("area grew by 2")  # type: ignore[union-attr]
    trend = lesion_trend(register, lid)
    own = [rows[c].metrics["followup_area_mm2_own_scale"] for c in (reviewed, same, grown)]
    assert trend.area.unit == "mm²" and trend.area.values[1:] == own

    data = lesion_report_data(register, Settings(), lid, today=dt.date(2026, 5, 12))
    comparison = data.comparison
    assert comparison is not None and comparison.baseline_date == DAYS[0]
    assert comparison.area_change_percent == rows[grown].metrics["area_change_percent"] > 50
    text = pdf_text(build_lesion_report(data))
    flag, why = report_flag(register, lid)  # the app's flag, in a report's words (no menu, no "answer it")
    assert flag == "⚠ CHANGED" and "since the reviewed capture" in why
    assert "Change since 5 Jan 2026 (126 days): SIGNIFICANT" in text  # the baseline, dated as the app dates it
    before, reviews = text.split(" Reviews ", 1)  # the report's own change and trend: with the baseline only
    assert "since the reviewed capture" not in before and "84 days" not in text
    assert reviews.startswith(f"{flag}: {why}")  # the lesion's flag names the change since the review


def test_a_review_saved_after_a_later_import_is_approximated_until_a_correction_compares_it(register, tmp_path) -> None:
    """No comparison with the reviewed capture is stored where the review came after the later capture (as in a
    register from before): the two comparisons with the baseline approximate it; a correction's comparing again
    stores it, and the flag then reads it."""
    lid = register.lesions.add("t", register.patients.add("t", "R-2", "Late Review").id, "posterior torso").id
    base = add(register, lid, tmp_path, 1.0, DAYS[0])
    reviewed = add(register, lid, tmp_path, GROWN, DAYS[1])
    grown = add(register, lid, tmp_path, GROWN * GROWN, DAYS[2])
    review_capture(register, "t", reviewed, "monitor", "")
    assert (reviewed, grown) not in pairs(register, lid)
    change = significant_change(register, lid)
    assert change is not None and change.reviewed is not None and change.reviewed.id == reviewed
    approximated = change.reasons[0]
    assert approximated.startswith("area grew by 2") and approximated.endswith(
        "since the reviewed capture of 16 Feb 2026"
    )
    refresh_baseline_comparison(register, "t", lid)  # as after a correction of the lesion's captures
    assert pairs(register, lid)[(reviewed, grown)] == "significant" and (base, grown) in pairs(register, lid)
    row = register.comparisons.for_lesion(lid)[-1]
    assert (row.baseline_capture_id, row.followup_capture_id) == (reviewed, grown)
    change = significant_change(register, lid)
    first, *rest = row.reasons  # the comparison's own words now, its rule's note with them
    assert change is not None and change.reasons == [f"{first} since the reviewed capture of 16 Feb 2026", *rest]
    assert rest and len(change.reasons) > 1


def test_a_later_capture_with_nothing_new_hides_no_earlier_flag_nobody_answered(register, tmp_path) -> None:
    """After the review the lesion grew again (flagged, nobody answered), then measured as on the reviewed capture:
    nothing new since the review on the latest capture, but the growth on the one before still stands."""
    lid, base, reviewed = reviewed_lesion(register, tmp_path)
    grown = add(register, lid, tmp_path, GROWN * GROWN, DAYS[2])
    flagged = significant_change(register, lid)
    assert flagged is not None and flagged.capture.id == grown
    back = add(register, lid, tmp_path, GROWN, DAYS[3])
    assert pairs(register, lid)[(reviewed, back)] == "not significant"
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == grown and change.reasons == flagged.reasons
    assert change.latest.id == back  # the note names the latest capture beside it
    review_capture(register, "t", grown, "monitor", "seen: regrowth judged benign")  # answers the regrowth ...
    after = significant_change(register, lid)  # ... and the latest is judged since it: it shrank back
    assert after is not None and after.capture.id == back and after.reviewed is not None
    assert after.reviewed.id == grown and after.reasons[0].endswith("since the reviewed capture of 30 Mar 2026")
