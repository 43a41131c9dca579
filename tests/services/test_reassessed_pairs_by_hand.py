"""A pair of captures a user compared by hand (``dermadesk compare 2 3``: neither the baseline nor a reviewed capture
first) is compared again, as the comparisons with the baseline are, when an assessment gives one of its captures
another outcome (``services.reassessed``): its stored verdict and risk trend then agree with the captures' tiers (the
⚠ CHANGED flag reads such a pair where the comparison with the baseline cannot tell), its alignment by hand kept. A
real SQLite register, the tiny ONNX models assessing, real synthetic images compared by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from dermadesk.inference.engine import open_assessor
from dermadesk.inference.registry import install_model
from dermadesk.services import reassessed
from dermadesk.services.assessment import assess_capture
from dermadesk.services.tracking import align_by_hand, compare_captures, current_comparisons
from dermadesk.storage.register import Register
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_since_review import DAYS, GROWN, add
from tests.services.test_transfer_assessed_compares import RISE

SPOTS = [(100.0, 80.0), (220.0, 90.0), (160.0, 180.0)]  # the same spots on both images: they are not moved


def by_hand(register: Register, tmp_path: Path) -> tuple[int, list[int]]:
    """A baseline and two grown captures imported while no model worked (each compared with the baseline, no tiers),
    the last two compared with each other by hand: (lesion, [baseline, second, third])."""
    lid = register.lesions.add("t", register.patients.add("t", "B-1", "By Hand").id, "upper extremity").id
    ids = [add(register, lid, tmp_path, scale, day) for scale, day in zip((1.0, GROWN, GROWN * GROWN), DAYS)]
    row, _ = compare_captures(register, "t", ids[1], ids[2])
    assert row.metrics["risk_tier"] == {"before": None, "after": None}
    return lid, ids


def pair_row(register: Register, lid: int, first: int, second: int):  # noqa: ANN201
    rows = [
        r
        for r in current_comparisons(register, lid)
        if (r.baseline_capture_id, r.followup_capture_id) == (first, second)
    ]
    return max(rows, key=lambda r: r.id)


def assess(register: Register, data_dir: Path, model: str, *capture_ids: int) -> None:
    assessor = open_assessor(data_dir, model, "cpu")
    for capture_id in capture_ids:
        assess_capture(register, assessor, "t", capture_id)


def test_a_pair_compared_by_hand_says_the_tier_rise_once_assessed(
    register: Register,
    data_dir: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    lid, (base, second, third) = by_hand(register, tmp_path)
    for manifest in (low_model, tiny_model_dir / "tiny-test.json"):
        install_model(manifest, data_dir)
    assess(register, data_dir, "tiny-low", base, second)  # LOW
    assess(register, data_dir, "tiny-test", third)  # MONITOR
    assert reassessed.outdated(register, [second]) == [lid]
    said: list[str] = []
    made = reassessed.compare_after_assessment(register, "t", [base, second, third], lambda _, text: said.append(text))
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in made] == [
        (base, second),
        (base, third),
        (second, third),
    ]
    assert said[-1] == "comparing the capture of 30 Mar 2026 with the capture of 16 Feb 2026"
    row = pair_row(register, lid, second, third)
    assert row == made[-1] and row.metrics["risk_tier"] == {"before": "low", "after": "monitor"}
    assert any(r.startswith(RISE) for r in row.reasons)  # its risk trend agrees with the tiers now
    assert reassessed.outdated(register, [base, second, third]) == []
    assert reassessed.compare_after_assessment(register, "t", [third]) == []  # nothing outdated: nothing compared


def test_its_alignment_by_hand_is_kept(
    register: Register,
    data_dir: Path,
    tiny_model_dir: Path,
    tmp_path: Path,
) -> None:
    lid, (base, second, third) = by_hand(register, tmp_path)
    aligned, _ = align_by_hand(register, "t", second, third, [(p, p) for p in SPOTS])
    assert aligned.metrics["registration"]["method"] == "manual"
    install_model(tiny_model_dir / "tiny-test.json", data_dir)
    assess(register, data_dir, "tiny-test", third)  # its first assessment: MONITOR
    made = reassessed.compare_after_assessment(register, "t", [third])
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in made] == [(base, third), (second, third)]
    row = pair_row(register, lid, second, third)
    assert row == made[-1] and row.metrics["risk_tier"] == {"before": None, "after": "monitor"}
    assert row.metrics["registration"]["method"] == "manual" and row.transform == aligned.transform
