"""A capture assessed after it was compared (imported while no model worked, or assessed again): the comparisons that
recorded another outcome for it are compared again (``services.reassessed``), so a tier rise enters the change verdict,
the ⚠ CHANGED flag and the change line; its comparison with the reviewed capture too. An assessment with the same
outcome compares nothing. A real SQLite register, real synthetic dermoscopy images compared by the real pipeline; the
assessments are stored as the engine's would be (a model that gives URGENT on a synthetic image is not at hand)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.domain.records import Assessment
from dermadesk.services import reassessed
from dermadesk.services.risk_record import NO_RISK_TREND, risk_outdated
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.standing import significant_change
from dermadesk.services.tracking import change_line, current_comparisons
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS, GROWN, add, pairs, reviewed_lesion

TIERS = {"low": 0.05, "monitor": 0.15, "urgent": 0.9}  # a malignant probability that gives each tier


def assessment(tier: str | None, p: float | None = None) -> Assessment:
    """An assessment as the engine makes one: ``tier`` with its probability, or NOT ASSESSABLE (None)."""
    chance = p if p is not None else TIERS.get(tier or "", 0.1)
    return Assessment(
        model_name="tiny-test",
        model_version="0.0.1",
        provider="CPUExecutionProvider",
        probabilities={"nv": 1 - chance, "mel": chance},
        top_class="nv",
        malignant_probability=chance,
        melanoma_probability=chance,
        risk_tier=tier,
        recommendation=None if tier is None else "as the tier says",
        status="assessed" if tier else "not assessable",
        status_reasons=[] if tier else ["image too blurred: retake it in focus"],
    )


def unchanged_lesion(register: Register, tmp_path: Path) -> tuple[int, int, int]:
    """A baseline and an unchanged follow-up, both imported while no model worked (compared: NOT SIGNIFICANT, no
    tiers): (lesion, baseline, follow-up)."""
    lid = register.lesions.add("t", register.patients.add("t", "A-1", "Asse Ssed").id, "upper extremity").id
    base, later = add(register, lid, tmp_path, 1.0, DAYS[0]), add(register, lid, tmp_path, 1.0, DAYS[1])
    assert pairs(register, lid) == {(base, later): "not significant"}
    return lid, base, later


def test_a_first_assessment_urgent_enters_the_verdict_and_the_flag(register, tmp_path) -> None:
    lid, base, later = unchanged_lesion(register, tmp_path)
    register.assessments.store("t", base, assessment("low"))
    said: list[str] = []
    [row] = reassessed.compare_after_assessment(register, "t", [base], lambda _, text: said.append(text))
    assert said == ["comparing the capture of 16 Feb 2026 with the baseline"]
    assert row.metrics["risk_tier"] == {"before": "low", "after": None} and row.verdict == "not significant"
    assert significant_change(register, lid) is None

    register.assessments.store("t", later, assessment("urgent"))  # the follow-up, imported unassessed, now assessed
    assert risk_outdated(register, row) and reassessed.outdated(register, [later]) == [lid]
    [row] = reassessed.compare_after_assessment(register, "t", [later])
    assert (row.baseline_capture_id, row.followup_capture_id) == (base, later)
    assert row.metrics["risk_tier"] == {"before": "low", "after": "urgent"} and row.verdict == "significant"
    assert row.reasons[0] == "the model's risk tier rose from low to urgent (malignant probability 5% -> 90%)"
    line = change_line(register, later)  # the Change tab's line, the trend, the reports: the comparison made again
    assert line is not None and line.verdict == "significant" and line.first_reason == row.reasons[0]
    change = significant_change(register, lid)  # the lesion list's ⚠ CHANGED, the referral prompt
    assert change is not None and change.capture.id == later and change.reasons[0] == row.reasons[0]
    assert reassessed.outdated(register, [later]) == []
    assert reassessed.compare_after_assessment(register, "t", [later]) == []  # nothing outdated: nothing compared


def test_the_same_outcome_again_compares_nothing(register, tmp_path) -> None:
    lid, base, later = unchanged_lesion(register, tmp_path)
    for capture, tier in ((base, "low"), (later, "monitor")):
        register.assessments.store("t", capture, assessment(tier))
    made = reassessed.compare_after_assessment(register, "t", [base, later])
    assert len(made) == 1 and made[0].metrics["risk_tier"] == {"before": "low", "after": "monitor"}
    assert made[0].verdict == "not significant"  # a rise within the model's noise: said, not counted
    assert any(r.startswith("the model's risk tier rose from low to monitor, not counted") for r in made[0].reasons)
    count = len(register.comparisons.for_lesion(lid))
    register.assessments.store("t", later, assessment("monitor"))  # Re-assess capture: the same tier, the same figure
    register.assessments.store("t", base, assessment("low", p=0.051))  # another device: the figure moved, no tier
    assert reassessed.outdated(register, [base, later]) == []
    assert reassessed.compare_after_assessment(register, "t", [base, later]) == []
    assert len(register.comparisons.for_lesion(lid)) == count


def test_a_capture_the_model_cannot_assess_says_so_in_its_comparison(register, tmp_path) -> None:
    lid, base, later = unchanged_lesion(register, tmp_path)
    register.assessments.store("t", later, assessment(None))  # a first assessment: NOT ASSESSABLE, no tier
    [row] = reassessed.compare_after_assessment(register, "t", [later])
    assert row.reasons[-1] == f"{NO_RISK_TREND}follow-up (not assessable: image too blurred: retake it in focus)"
    register.assessments.store("t", later, assessment("low"))  # assessable once retaken
    [row] = reassessed.compare_after_assessment(register, "t", [later])
    assert not any(r.startswith(NO_RISK_TREND) for r in row.reasons)
    assert row.metrics["risk_tier"] == {"before": None, "after": "low"}
    assert [r.id for r in current_comparisons(register, lid)][-1] == row.id


def test_the_comparison_with_the_reviewed_capture_follows_and_the_flag_returns(register, tmp_path) -> None:
    """The lesion grew by 25 % (SIGNIFICANT, answered 'monitor'), then stayed as big: nothing new since the review,
    no flag. The later capture assessed URGENT (the others LOW): both its comparisons are made again, and the tier
    rise since the reviewed capture flags the lesion again."""
    lid, base, reviewed = reviewed_lesion(register, tmp_path)
    later = add(register, lid, tmp_path, GROWN, DAYS[2])
    assert pairs(register, lid)[(reviewed, later)] == "not significant" and significant_change(register, lid) is None
    for capture in (base, reviewed):
        register.assessments.store("t", capture, assessment("low"))
    reassessed.compare_after_assessment(register, "t", [base, reviewed])
    assert significant_change(register, lid) is None  # LOW everywhere: nothing new since the review
    register.assessments.store("t", later, assessment("urgent"))
    said: list[str] = []
    made = reassessed.compare_after_assessment(register, "t", [later], lambda _, text: said.append(text))
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in made] == [(base, later), (reviewed, later)]
    assert said == [
        "comparing the capture of 30 Mar 2026 with the baseline",
        "comparing with the reviewed capture of 16 Feb 2026",
    ]
    assert register.audit.entries("comparison", made[1].id)[0].action == COMPARED_ACTION
    assert made[1].verdict == "significant" and made[1].metrics["risk_tier"] == {"before": "low", "after": "urgent"}
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == later and change.reviewed is not None
    assert any("risk tier rose from low to urgent" in r for r in change.reasons)


def test_each_lesion_is_named_where_a_patient_s_captures_are_assessed(register, tmp_path) -> None:
    lid, base, later = unchanged_lesion(register, tmp_path)
    pid = register.lesions.get(lid).patient_id
    other = register.lesions.add("t", pid, "posterior torso").id
    first, second = (add(register, other, tmp_path, 1.0, day) for day in DAYS[2:])
    for capture in (later, second):
        register.assessments.store("t", capture, assessment("monitor"))
    said: list[str] = []
    made = reassessed.compare_after_assessment(register, "t", [later, second], lambda _, text: said.append(text))
    numbers = [register.lesions.get(i).number for i in (lid, other)]
    assert said == [
        f"lesion {numbers[0]}: comparing the capture of 16 Feb 2026 with the baseline",
        f"lesion {numbers[1]}: comparing the capture of 11 May 2026 with the baseline",
    ]
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in made] == [(base, later), (first, second)]
