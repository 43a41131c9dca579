"""A decision saved after later captures were imported: those captures are compared with the reviewed capture then
(``tracking.compare_since_review``), so the ⚠ CHANGED flag reads that comparison instead of the estimate from the
comparisons with the baseline; a decision cleared or changed leaves no stale comparison read; the rules are the
interval's between the two captures compared; an import decodes each image once for both of its comparisons. A real
SQLite register, real synthetic dermoscopy images compared by the real pipeline."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import dermadesk.services.tracking as tracking
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.register_ops import review_capture
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.standing import significant_change
from dermadesk.storage.register import Register
from tests.services.test_import_decodes_once import Calls
from tests.services.test_since_review import DAYS, GROWN, add, pairs, reviewed_lesion

# the reviewed capture 42 days after the baseline (short-term), the later one 150 days after it (long-term)
LONG = ("2025-06-01", "2025-07-13", "2025-12-10")


def late_imports(register: Register, tmp_path: Path, days: tuple[str, ...], later_scale: float) -> tuple[int, ...]:
    """A baseline, the lesion grown by 25 % (SIGNIFICANT), then a later capture (``later_scale`` times the baseline's
    radius), each imported as the app does: (lesion, baseline, grown, later). No decision yet."""
    lid = register.lesions.add("t", register.patients.add("t", f"L-{days[0]}", "Late Review").id, "lower extremity").id
    ids = []
    for k, (scale, day) in enumerate(((1.0, days[0]), (GROWN, days[1]), (later_scale, days[2]))):
        image = synthetic_lesion(LesionSpec(seed=7, scale=scale), 320, 240)
        image[:4, :4] = 50 * k + 20  # a dark corner: not refused as the same image
        path = tmp_path / f"{day}.jpg"
        path.write_bytes(jpeg_bytes(image))
        ids.append(import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02)).captures[0].id)
    return (lid, *ids)


def late_review(register: Register, tmp_path: Path, days: tuple[str, ...], later_scale: float) -> tuple[int, ...]:
    """``late_imports``, then the grown capture answered 'monitor' (the service alone: the decision saved): nothing
    compared the later capture with the reviewed one, the review came after its import."""
    lid, base, reviewed, later = late_imports(register, tmp_path, days, later_scale)
    review_capture(register, "t", reviewed, "monitor", "reviewed: benign pattern")
    assert (reviewed, later) not in pairs(register, lid)
    return lid, base, reviewed, later


def test_saving_the_decision_compares_the_later_captures_and_the_flag_reads_it(register, tmp_path) -> None:
    """The estimate flags +21 % since the review (short-term thresholds whatever the interval); the comparison made
    once the decision is saved judges the 150 days since the reviewed capture by long-term rules, as any pair that far
    apart: a symmetric growth under 30 % is no significant change, and the flag goes."""
    lid, base, reviewed, later = late_review(register, tmp_path, LONG, GROWN * 1.2**0.5)
    estimated = significant_change(register, lid)
    assert estimated is not None and estimated.capture.id == later and estimated.reviewed is not None
    assert estimated.reasons[0].startswith("area grew by 2")
    assert estimated.reasons[0].endswith("since the reviewed capture of 13 Jul 2025")
    assert [(a.id, b.id) for a, b in tracking.reviewed_pairs(register, lid)] == [(reviewed, later)]

    said: list[str] = []
    rows = tracking.compare_since_review(register, "t", reviewed, lambda _, text: said.append(text))
    assert said == ["comparing with the reviewed capture of 13 Jul 2025"]
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in rows] == [(reviewed, later)]
    row = rows[0]
    assert register.audit.entries("comparison", row.id)[0].action == COMPARED_ACTION
    assert row.interval_days == 150 and row.verdict == "not significant"
    assert row.reasons[0].startswith("no significant change under long-term rules (the visits are 150 days apart)")
    assert pairs(register, lid)[(base, later)] == "significant"  # +50 % since the baseline, 192 days: marked
    assert significant_change(register, lid) is None  # the flag reads the comparison, not the estimate
    assert tracking.reviewed_pairs(register, lid) == [] and tracking.compare_since_review(register, "t", reviewed) == []


def test_a_significant_change_since_the_review_names_the_stored_comparison(register, tmp_path) -> None:
    lid, _, reviewed, later = late_review(register, tmp_path, DAYS[:3], GROWN * GROWN)
    (row,) = tracking.compare_since_review(register, "t", reviewed)
    assert row.verdict == "significant" and row.interval_days == 42
    change = significant_change(register, lid)
    first, *rest = row.reasons
    assert change is not None and change.reasons == [f"{first} since the reviewed capture of 16 Feb 2026", *rest]


def test_a_decision_cleared_or_changed_reads_no_stale_comparison(register, tmp_path) -> None:
    """Cleared, or changed to 'refer' (which answers nothing): the stored comparison with that capture stays (its
    images did not change) but is not read; the change since the baseline stands. 'monitor' again: it is read again,
    nothing compared again."""
    lid, base, reviewed, later = late_review(register, tmp_path, LONG, GROWN * 1.2**0.5)
    tracking.compare_since_review(register, "t", reviewed)
    assert significant_change(register, lid) is None
    for decision in (None, "refer"):
        review_capture(register, "t", reviewed, decision, "")
        assert tracking.compare_since_review(register, "t", reviewed) == []  # no reviewed capture before it now
        change = significant_change(register, lid)
        assert change is not None and change.reviewed is None and change.capture.id == later
        assert change.reasons[0].startswith("marked enlargement: area grew by 5")  # since the baseline, as stored
    review_capture(register, "t", reviewed, "discharge", "")
    assert tracking.reviewed_pairs(register, lid) == [] and significant_change(register, lid) is None


def test_a_decision_cleared_has_the_later_captures_compared_with_the_earlier_reviewed_capture(
    register, tmp_path
) -> None:
    """Two reviews: the latest capture was compared on import with the later reviewed capture only. That decision
    cleared, it is judged since the earlier one: compared with it then (grown by 25 % since), and flagged."""
    lid, base, first = reviewed_lesion(register, tmp_path)
    second = add(register, lid, tmp_path, GROWN * GROWN, DAYS[2])
    review_capture(register, "t", second, "monitor", "regrowth judged benign")
    latest = add(register, lid, tmp_path, GROWN * GROWN, DAYS[3])
    assert pairs(register, lid)[(second, latest)] == "not significant" and (first, latest) not in pairs(register, lid)
    assert significant_change(register, lid) is None
    review_capture(register, "t", second, None, "")
    assert [(a.id, b.id) for a, b in tracking.reviewed_pairs(register, lid)] == [(first, latest)]
    (row,) = tracking.compare_since_review(register, "t", second)
    assert (row.baseline_capture_id, row.followup_capture_id, row.verdict) == (first, latest, "significant")
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == latest and change.reviewed is not None
    assert (
        change.reviewed.id == first
        and change.reasons[0] == f"{row.reasons[0]} since the reviewed capture of 16 Feb 2026"
    )


def test_an_import_decodes_each_image_once_for_both_comparisons_and_says_which(
    register, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A follow-up of a reviewed lesion is compared with the baseline, then with the reviewed capture: its image is
    decoded once for both, and the progress says each comparison (the reviewed capture by its date)."""
    lid, base, reviewed = reviewed_lesion(register, tmp_path)
    decodes = Calls(monkeypatch, tracking, "decode_image")
    image = synthetic_lesion(LesionSpec(seed=7, scale=GROWN * GROWN), 320, 240)
    path = tmp_path / "visit.jpg"
    path.write_bytes(jpeg_bytes(image))
    said: list[str] = []
    result = import_files(
        register, "t", lid, [path], CaptureMeta(taken_at=DAYS[2], mm_per_px=0.02), progress=lambda _, t: said.append(t)
    )
    later = result.captures[0].id
    assert pairs(register, lid)[(base, later)] == pairs(register, lid)[(reviewed, later)] == "significant"
    assert decodes.per_file == Counter({f"{DAYS[0]}.jpg": 1, f"{DAYS[1]}.jpg": 1, "visit.jpg": 1})
    assert said[-3:] == [
        "comparing with the baseline",
        "comparing with the reviewed capture of 16 Feb 2026",
        "imported 1 of 1",
    ]


def test_comparing_again_after_a_correction_says_each_comparison_with_its_share_of_the_bar(register, tmp_path) -> None:
    """A scale corrected on the later capture makes both of its comparisons stale: refreshed, the progress names the
    comparison with the baseline, then the one with the reviewed capture, its fraction counting both (the
    correction's task said nothing but its title, 'Comparing with the baseline again')."""
    lid, base, reviewed, later = late_review(register, tmp_path, LONG, GROWN * 1.2**0.5)
    tracking.compare_since_review(register, "t", reviewed)
    register.captures.update("t", later, mm_per_px=0.025)
    assert [(a.id, b.id) for a, b in tracking.reviewed_pairs(register, lid)] == []  # its baseline row is stale too
    said: list[tuple[float, str]] = []
    row = tracking.refresh_baseline_comparison(register, "t", lid, progress=lambda f, t: said.append((f, t)))
    assert row is not None and (row.baseline_capture_id, row.followup_capture_id) == (base, later)
    assert said == [
        (0.0, "comparing the capture of 10 Dec 2025 with the baseline"),
        (0.5, "comparing with the reviewed capture of 13 Jul 2025"),
    ]
    assert pairs(register, lid)[(reviewed, later)] == "not significant" and tracking.reviewed_pairs(register, lid) == []


def test_comparing_again_for_two_lesions_names_the_lesion_and_counts_both(register, tmp_path) -> None:
    """A move changes two lesions: each comparison is said with its lesion, the bar counting the lesions; a deleted
    lesion is left out."""
    lid, base, reviewed, later = late_review(register, tmp_path, LONG, GROWN * 1.2**0.5)
    patient = register.lesions.get(lid).patient_id
    empty = register.lesions.add("t", patient, "upper extremity").id
    gone = register.lesions.add("t", patient, "head/neck").id
    register.lesions.soft_delete("t", gone)
    register.captures.update("t", later, mm_per_px=0.025)
    said: list[tuple[float, str]] = []
    tracking.refresh_lesions(register, "t", [empty, lid, gone], lambda f, t: said.append((f, t)))
    number = register.lesions.get(lid).number
    assert said == [
        (1 / 3, f"lesion {number}: comparing the capture of 10 Dec 2025 with the baseline"),
        (0.5, f"lesion {number}: comparing with the reviewed capture of 13 Jul 2025"),
    ]
    assert pairs(register, lid)[(reviewed, later)] == "not significant"
