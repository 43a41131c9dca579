"""Plain words for a clinic user (#16): one area unit on the Change tab and in reports, naming the capture without
a scale; why a risk tier is what it is; which change rule made a verdict significant (a shrinkage included)."""

from __future__ import annotations

from dataclasses import replace


from dermadesk.analysis.change import SHORT_TERM_DAYS, compare
from dermadesk.analysis.synthetic import BLUE_GREY, LesionSpec, synthetic_lesion
from dermadesk.contract.manifest import RiskThresholds
from dermadesk.domain.records import Assessment
from dermadesk.services.explain import area_line, tier_reason
from dermadesk.ui.comparison_view import area_line as view_area_line

THRESHOLDS = RiskThresholds(monitor_malignant=0.05, refer_malignant=0.12, refer_melanoma=0.2, urgent_melanoma=0.6)


def metrics(base_mm2: float | None, own_mm2: float | None, verdict: float = 10.0) -> dict:
    return {
        "baseline": {"area_px": 3877.4, "area_mm2": base_mm2},
        "followup": {"area_px": 4265.2, "area_mm2": None},
        "followup_area_mm2_own_scale": own_mm2,
        "area_change_percent": verdict,
    }


def test_area_line_never_mixes_units_and_names_the_capture_without_a_scale() -> None:
    only_follow = area_line(metrics(None, 9.3))  # the new user's "baseline 3877 px -> follow-up 9.3 mm²"
    assert "baseline 3877 px → follow-up 4265 px" in only_follow and "mm² (" not in only_follow
    assert "the baseline has no scale" in only_follow
    only_base = area_line(metrics(1.55, None))
    assert "baseline 3877 px → follow-up 4265 px" in only_base and "the follow-up has no scale" in only_base
    assert "No mm²: neither capture has a scale (mm per pixel)" in area_line(metrics(None, None))
    both = area_line(metrics(1.5, 1.8, verdict=20.0))
    assert "each capture at its own scale: baseline 1.5 mm² → follow-up 1.8 mm² (+20%)" in both
    assert "verdict's area change" not in both  # the same change: nothing to tell apart
    assert "verdict's area change" not in area_line(metrics(1.5, 1.8, verdict=19.6))  # the same when rounded
    near = area_line(metrics(1.5, 1.8, verdict=21.0))  # helper 52 read "grew by 21%" beside "(+20%)"
    assert near == (  # the figure the verdict uses first, then the outlined areas, in two short sentences
        "The verdict's area change: +21% (measured on the two images aligned). Outlined area, another measure (the "
        "drawn outlines, each capture at its own scale): baseline 1.5 mm² → follow-up 1.8 mm² (+20.0%)."
    )
    differs = area_line(metrics(1.5, 1.8, verdict=12.0))
    assert differs.startswith("The verdict's area change: +12% (measured on the two images aligned). Outlined area")
    assert "verdict's area change" not in area_line(metrics(1.5, 1.8, verdict=20.04))  # "+20%" both, as rounded
    assert "do not match the zoom" not in differs
    # the new user's pair: the verdict "shrank by 27 %" and "0.7 mm² → 1.4 mm² (+105 %)" under it
    scales_off = {**metrics(0.7, 1.435, verdict=-27.0), "outlined_area_change_percent": -25.0}
    off = area_line(scales_off)
    assert off.startswith("Check the scales: the recorded mm per pixel of the two captures do not match the images")
    assert "The verdict's area change (-27%) does not use them: it is measured on the images" in off
    assert "baseline 0.7 mm², follow-up 1.4 mm² (not comparable until the scales are checked)" in off
    assert "+105" not in off and "%)" not in off.split("does not use them")[1]  # no competing percentage
    assert area_line({**scales_off, "area_change_percent": None}).count("%") == 0
    assert "area change (+0%)" in area_line({**scales_off, "area_change_percent": -0.03})  # not "-0%"
    assert "area change (-0.3%)" in area_line({**scales_off, "area_change_percent": -0.3})  # under 1 %: a decimal
    unstable = {**metrics(1.5, 1.8, verdict=0.0), "outlined_area_change_percent": 19.0}  # an outline, not a scale
    assert "do not match the zoom" not in area_line(unstable)
    assert area_line({"baseline": None, "followup": None}) == ""
    old_row = metrics(1.5, None, verdict=20.0)  # stored before own-scale areas: no such key at all
    del old_row["followup_area_mm2_own_scale"]
    old_row["followup"]["area_mm2"] = 1.8
    assert "baseline 1.5 mm² → follow-up 1.8 mm²" in area_line(old_row)


def test_change_tab_area_line_of_a_pair_where_only_the_follow_up_has_a_scale() -> None:
    base = synthetic_lesion(LesionSpec(seed=5), 240, 180)
    result = compare(base, base.copy(), interval_days=40, mm_per_px=None, followup_mm_per_px=0.02)
    assert result.followup_area_mm2_own_scale is not None  # what made the line mix px and mm² before
    line = view_area_line(result)
    assert "mm²" not in line.split("No mm²")[0] and " px → follow-up " in line
    assert "the baseline has no scale (mm per pixel)" in line


def assessment(mal: float, mel: float, tier: str, top: str = "nv") -> Assessment:
    return Assessment(
        model_name="m",
        model_version="1",
        provider="CPU",
        probabilities={top: 0.6},
        top_class=top,
        malignant_probability=mal,
        melanoma_probability=mel,
        risk_tier=tier,
        recommendation="Refer.",
    )


def test_tier_reason_says_the_threshold_not_the_top_class_decided() -> None:
    why = tier_reason(assessment(0.23, 0.09, "refer"), THRESHOLDS)
    assert why.startswith(
        "Referral because the chance of a malignant lesion (23%) is at or above the referral "
        "threshold (12%), although the most likely class is Melanocytic nevus."
    )
    assert "not from the most likely class" in why and "melanoma (9%)" not in why  # only what fired
    mel = tier_reason(assessment(0.7, 0.65, "urgent", top="mel"), THRESHOLDS)
    assert "melanoma (65%) is at or above the urgent-referral threshold (60%)" in mel and "although" not in mel
    assert "below the follow-up thresholds (5% and 5%)" in tier_reason(assessment(0.01, 0.01, "low"), THRESHOLDS)
    other = RiskThresholds(refer_malignant=0.5, refer_melanoma=0.5)  # figures that do not meet the stored tier
    assert "reached the model's referral threshold" in tier_reason(assessment(0.23, 0.09, "refer"), other)
    assert tier_reason(assessment(0.23, 0.09, "unheard-of"), THRESHOLDS) == ""
    unknown = tier_reason(assessment(0.23, 0.09, "refer"), None)  # the model that made it is not installed now
    assert "reached the model's referral threshold" in unknown and "although the most likely class" in unknown
    assert tier_reason(replace(assessment(0.2, 0.1, "refer"), status="not assessable", risk_tier=None), None) == ""


def test_a_chance_and_its_threshold_never_read_equal_when_they_differ() -> None:
    """ "the chance of a malignant lesion (7%) ... below the follow-up thresholds (7% and 6%)": 0.0658 against 0.07."""
    at = RiskThresholds(monitor_malignant=0.07, monitor_melanoma=0.06, refer_malignant=0.12)
    low = tier_reason(assessment(0.0658, 0.04, "low"), at)
    assert "malignant lesion (6.6%) and of melanoma (4%) are both below the follow-up thresholds (7.0% and 6%)" in low
    close = tier_reason(assessment(0.0699, 0.0596, "low"), at)  # a decimal more where one is not enough
    assert "(6.99%) and of melanoma (5.96%)" in close and "thresholds (7.00% and 6.00%)" in close
    hair = tier_reason(assessment(0.069999999999, 0.01, "low"), at)  # cut towards its side, never "7.0%" twice
    assert "malignant lesion (6.9%)" in hair and "(7.0% and 6%)" in hair
    above = tier_reason(assessment(0.1204, 0.04, "refer"), at)
    assert "malignant lesion (12.04%) is at or above the referral threshold (12.00%)" in above
    assert "malignant lesion (12%) is at or above the referral threshold (12%)" in tier_reason(
        assessment(0.12, 0.04, "refer"), at
    )  # equal: said so
    assert "(23%) is at or above the referral threshold (12%)" in tier_reason(assessment(0.23, 0.04, "refer"), at)


def test_a_short_term_shrinkage_says_which_rule_fired_and_why_to_look() -> None:
    base = synthetic_lesion(LesionSpec(seed=3), 320, 240)
    smaller = synthetic_lesion(LesionSpec(seed=3, scale=0.85), 320, 240)
    r = compare(base, smaller, interval_days=94)
    assert r.verdict == "significant" and r.reasons[0].startswith("area shrank by"), r.reasons
    last = r.reasons[-1]
    assert last.startswith(
        f"judged by short-term rules (the visits are 94 days apart): up to {SHORT_TERM_DAYS} days apart any change in "
        "size is flagged, here the area changed by 10% or more. Shrinking counts as well as growing"
    )
    assert "regression" in last and "a clinician should look at both images" in last
    assert "mm²" not in r.reasons[0]  # no figures at another scale than the area line's


def test_other_rules_say_their_rule_set() -> None:
    base = synthetic_lesion(LesionSpec(seed=3), 320, 240)
    grown = compare(base, synthetic_lesion(LesionSpec(seed=3, scale=1.3), 320, 240), interval_days=200)
    assert grown.verdict == "significant" and grown.reasons[0].startswith("marked enlargement"), grown.reasons
    assert grown.reasons[-1].startswith(
        f"judged by long-term rules (the visits are 200 days apart): more than {SHORT_TERM_DAYS} days"
    )
    assert not any("any change in size is flagged" in x for x in grown.reasons)
    blue = compare(base, synthetic_lesion(LesionSpec(seed=3, blob_colour=BLUE_GREY), 320, 240), interval_days=40)
    assert blue.verdict == "significant" and any("new colour" in x for x in blue.reasons), blue.reasons
    assert blue.reasons[-1].endswith(
        "any change in size, shape or colour is flagged, except an even change of the whole lesion's colour"
    )


def test_trend_charts_pixels_when_the_follow_up_has_no_scale(register, tmp_path) -> None:
    """Before, the follow-up was charted in mm² at the baseline's scale lent to it, beside the area line's px."""
    from dermadesk.services.captures import CaptureMeta, import_files
    from dermadesk.services.tracking import lesion_trend
    from tests.conftest import lesion_jpeg

    lid = register.lesions.add("t", register.patients.add("t", "T-1", "Tre Nd").id, "anterior torso").id
    for name, scale, day, mm in (("a", 1.0, "2026-01-10", 0.02), ("b", 1.2, "2026-03-10", None)):
        (tmp_path / f"{name}.jpg").write_bytes(lesion_jpeg(seed=40, scale=scale))
        import_files(register, "t", lid, [tmp_path / f"{name}.jpg"], CaptureMeta(taken_at=day, mm_per_px=mm))
    trend = lesion_trend(register, lid)
    # the follow-up without a scale: the area change since the baseline, as the comparison measured it
    change = register.comparisons.for_lesion(lid)[-1].metrics["area_change_percent"]
    assert trend.area.unit == "%" and trend.area.values == [0.0, change] and change > 20, trend


def test_a_duplicate_image_is_named_by_its_date_in_its_lesion(register, tmp_path) -> None:
    """Not by the register-wide id: the patient's second lesion's first capture is capture 2 of the register."""
    from dermadesk.services.captures import CaptureMeta, import_files
    from tests.conftest import lesion_jpeg

    pid = register.patients.add("t", "D-1", "Du Plicate").id
    first, second = (register.lesions.add("t", pid, site).id for site in ("head/neck", "anterior torso"))
    for i, lesion in enumerate((first, second)):
        (tmp_path / f"{i}.jpg").write_bytes(lesion_jpeg(seed=50 + i, width=120, height=90))
        import_files(register, "t", lesion, [tmp_path / f"{i}.jpg"], CaptureMeta(taken_at="2026-02-01"), compare=False)
    again = import_files(register, "t", second, [tmp_path / "1.jpg"], compare=False)
    assert "already in this lesion (the capture of 1 Feb 2026, from 1.jpg)" in again.skipped[0][1]
    moved = import_files(register, "t", first, [tmp_path / "1.jpg"], compare=False)
    assert "the same image is the capture of 1 Feb 2026 in Lesion 2 · " in moved.errors[0][1], moved.errors
