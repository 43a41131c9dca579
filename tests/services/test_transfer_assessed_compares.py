"""A transfer package that brings assessments (for captures here already, or with new captures of a lesion compared
here) leaves comparisons stored with the risk tier a capture had before: the import compares them again within itself,
by the rule Re-assess capture follows (``services.reassessed``, ``risk_record``), so the change line, the trend, the
⚠ flags and the reports read the tiers the captures have now. Cancelled then, the import stands; an image that cannot
be read stops it, said so. Real registers, real packages, the tiny ONNX models assessing, real synthetic images
compared by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.inference.engine import open_assessor
from dermadesk.inference.registry import install_model
from dermadesk.services import reassessed
from dermadesk.services.assessment import assess_capture, make_assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.progress import CancelToken
from dermadesk.services.register_ops import review_capture
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.tracking import current_comparisons, latest_change
from dermadesk.storage.register import Register
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_since_review import DAYS, GROWN, pairs
from tests.services.test_transfer_review_compares import MRN, REVIEWED, ids_by_day, send

RISE = "the model's risk tier rose from low to monitor, not counted as significant"
AGAIN = "comparing the capture of 30 Mar 2026 with the baseline"


def add(reg: Register, lid: int, tmp_path: Path, scale: float, day: str, model: str | None = None) -> int:
    """A capture of the lesion on ``day`` (synthetic, ``scale`` times the baseline's radius), imported as the app does:
    assessed by the installed ``model`` (None: none works, not assessed), compared with the baseline."""
    image = synthetic_lesion(LesionSpec(seed=7, scale=scale), 320, 240)
    image[:4, :4] = 60 * DAYS.index(day) + 10  # tells the image from the others of the same size
    path = tmp_path / f"{day}.jpg"
    path.write_bytes(jpeg_bytes(image))
    assess = make_assess_fn(reg.data_dir, model, "cpu")[0] if model else None
    return import_files(reg, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02), assess).captures[0].id


def tiers(reg: Register, lid: int, first: int, second: int) -> dict:
    """The risk tiers the pair's comparison of record (its latest current one) recorded."""
    rows = [
        r for r in current_comparisons(reg, lid) if (r.baseline_capture_id, r.followup_capture_id) == (first, second)
    ]
    return max(rows, key=lambda r: r.id).metrics["risk_tier"]


def assessed_on_the_laptop(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
    clinic: Path | None = None,
) -> tuple[Path, Path]:
    """The clinic's baseline and grown capture, imported while no model worked there (compared, no tiers), sent to the
    laptop; the clinic's model works again and its later capture is assessed MONITOR (compared with the baseline, which
    has no tier here); the laptop assesses the two it was sent LOW and compares them again, as the app does."""
    clinic, laptop = clinic or tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        add(reg, lid, tmp_path, 1.0, DAYS[0])
        add(reg, lid, tmp_path, GROWN, DAYS[1])
    send(clinic, laptop, tmp_path)
    install_model(tiny_model_dir / "tiny-test.json", clinic)
    with Register(clinic) as reg:
        later = add(reg, lid, tmp_path, GROWN * GROWN, DAYS[2], "tiny-test")
        assert tiers(reg, lid, reg.captures.for_lesion(lid)[0].id, later) == {"before": None, "after": "monitor"}
    install_model(low_model, laptop)
    there_lid, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        assessor = open_assessor(laptop, "tiny-low", "cpu")
        for day in DAYS[:2]:
            assert assess_capture(reg, assessor, "dr field", there[day]).risk_tier == "low"
        reassessed.compare_after_assessment(reg, "dr field", list(there.values()))
        assert tiers(reg, there_lid, there[DAYS[0]], there[DAYS[1]]) == {"before": "low", "after": "low"}
    return clinic, laptop


def assessed_and_decided_on_the_laptop(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
    clinic: Path | None = None,
) -> tuple[Path, Path]:
    """``assessed_on_the_laptop``, and the laptop then answers the grown capture (16 Feb 2026, SIGNIFICANT since the
    baseline) 'monitor': the package brings the assessments that outdate the clinic's comparison of its later capture
    with the baseline, and the decision that makes the grown capture the reviewed one of that later capture, which
    the clinic never compared with it (nothing later on the laptop to compare)."""
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model, clinic)
    _, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        review_capture(reg, "dr field", there[DAYS[1]], "monitor", "benign pattern")
    return clinic, laptop


def test_assessments_brought_for_captures_here_compare_the_later_capture_again(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    base, grown, later = (here[day] for day in DAYS[:3])
    said: list[tuple[float, str]] = []
    outcome = send(laptop, clinic, tmp_path, progress=lambda f, m: said.append((f, m)))
    assert outcome.applied and outcome.plan.added["assessments"] == 2 and not outcome.compare_stopped
    with Register(clinic) as reg:
        row = latest_change(reg, later)  # what the Change tab's line, the trend and the reports read
        assert row is not None and (row.baseline_capture_id, row.followup_capture_id) == (base, later)
        assert row.metrics["risk_tier"] == {"before": "low", "after": "monitor"}  # the baseline's tier brought
        assert any(r.startswith(RISE) for r in row.reasons)
        assert tiers(reg, lid, base, grown) == {"before": "low", "after": "low"}  # the laptop's, brought
        assert reassessed.outdated(reg, [base, grown, later]) == []
    assert outcome.reassess == [lid] and outcome.reassess_error == "" and outcome.recompare == []
    assert outcome.reassessed == [row]  # the grown capture's comparison came from the laptop, made with its tiers
    messages = [m for _, m in said]
    assert AGAIN in messages and messages[-1] == "imported"
    fractions = [f for f, _ in said]
    assert fractions == sorted(fractions) and all(0.9 <= f < 0.95 for f, m in said if m == AGAIN)

    again = send(laptop, clinic, tmp_path)  # nothing new: nothing compared again
    assert not again.applied and again.reassess == [] and again.reassessed == []


def test_a_new_capture_brought_with_a_comparison_made_before_its_assessment_is_compared_again(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """The laptop took a later capture while no model worked there (compared with the baseline: no tier), then
    assessed it MONITOR; its comparing again was cancelled there. The package brings the capture, its assessment and
    the comparison made without it: the clinic compares the pair again with both tiers."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    install_model(low_model, clinic)
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        base = add(reg, lid, tmp_path, 1.0, DAYS[0], "tiny-low")
        add(reg, lid, tmp_path, GROWN, DAYS[1], "tiny-low")
    send(clinic, laptop, tmp_path)
    there_lid, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        later = add(reg, there_lid, tmp_path, GROWN * GROWN, DAYS[2])
        assert tiers(reg, there_lid, there[DAYS[0]], later) == {"before": "low", "after": None}
    install_model(tiny_model_dir / "tiny-test.json", laptop)
    with Register(laptop) as reg:
        assess_capture(reg, open_assessor(laptop, "tiny-test", "cpu"), "dr field", later)  # comparing: cancelled
    outcome = send(laptop, clinic, tmp_path)
    added = outcome.plan.added
    assert (added["captures"], added["assessments"], added["comparisons"]) == (1, 1, 1)
    _, here = ids_by_day(clinic)
    with Register(clinic) as reg:
        row = latest_change(reg, here[DAYS[2]])
        assert row is not None and (row.baseline_capture_id, row.followup_capture_id) == (base, here[DAYS[2]])
        assert row.metrics["risk_tier"] == {"before": "low", "after": "monitor"}
        assert any(r.startswith(RISE) for r in row.reasons)
    assert outcome.reassess == [lid] and outcome.reassessed == [row] and not outcome.compare_stopped


def test_cancelled_while_comparing_again_the_import_stands(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    token = CancelToken()

    def cancel_at_the_comparison(_: float, message: str) -> None:
        if message == AGAIN:
            token.cancel()

    outcome = send(laptop, clinic, tmp_path, progress=cancel_at_the_comparison, cancel=token)
    assert outcome.applied and outcome.compare_stopped  # stopped while comparing again: the import stands
    with Register(clinic) as reg:
        assert reg.assessments.latest(here[DAYS[0]]).risk_tier == "low"  # type: ignore[union-attr]  # written
        assert tiers(reg, lid, here[DAYS[0]], here[DAYS[2]]) == {"before": None, "after": "monitor"}  # as before
        assert reassessed.outdated(reg, [here[DAYS[2]]]) == [lid]  # Re-assess capture would compare it
    assert outcome.reassess == [lid] and outcome.reassessed == []


def test_an_image_that_cannot_be_read_stops_the_comparing_and_says_why(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    with Register(clinic) as reg:
        reg.images.path(reg.captures.get(here[DAYS[2]]).image_sha256).write_bytes(b"damaged")
    outcome = send(laptop, clinic, tmp_path)
    assert outcome.applied and not outcome.compare_stopped and outcome.reassessed == []
    assert outcome.reassess == [lid] and "damaged" in outcome.reassess_error
    with Register(clinic) as reg:
        assert reg.assessments.latest(here[DAYS[0]]).risk_tier == "low"  # type: ignore[union-attr]


def test_a_first_comparison_with_the_reviewed_capture_is_not_one_compared_again(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """The lesion's comparison with the baseline is compared again for the tiers; the comparison of the later capture
    with the capture the package's decision made the reviewed one is a first one: made once, after the tiers, and
    said as a comparison with the reviewed capture (``compared``), not as one compared again (``reassessed``)."""
    clinic, laptop = assessed_and_decided_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    base, reviewed, later = (here[day] for day in DAYS[:3])
    said: list[str] = []
    outcome = send(laptop, clinic, tmp_path, progress=lambda _, m: said.append(m))
    assert outcome.applied and not outcome.compare_stopped and outcome.stopped_at == ""
    assert outcome.reassess == [lid] and outcome.reassess_error == ""
    [again] = outcome.reassessed
    [first] = outcome.compared
    assert (again.baseline_capture_id, again.followup_capture_id) == (base, later)
    assert (first.baseline_capture_id, first.followup_capture_id) == (reviewed, later)
    with Register(clinic) as reg:
        assert reg.captures.get(reviewed).decision == "monitor"
        assert reg.audit.entries("comparison", first.id)[0].action == COMPARED_ACTION
        assert [r.id for r in reg.comparisons.for_lesion(lid) if r.baseline_capture_id == reviewed] == [first.id]
        assert tiers(reg, lid, reviewed, later) == {"before": "low", "after": "monitor"}  # with the tier brought
        assert pairs(reg, lid)[(base, later)] == again.verdict
    assert said.index(AGAIN) < said.index(REVIEWED)  # the tiers' step, then the reviewed capture's


def test_cancelled_while_comparing_with_the_reviewed_capture_the_tiers_are_compared_again(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """A cancel as the later capture is compared with the reviewed capture stops that step only: the comparison the
    tiers outdated is compared again already, and the outcome says the step the cancel stopped."""
    clinic, laptop = assessed_and_decided_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    base, reviewed, later = (here[day] for day in DAYS[:3])
    token = CancelToken()

    def cancel_at_the_reviewed_capture(_: float, message: str) -> None:
        if message == REVIEWED:
            token.cancel()

    outcome = send(laptop, clinic, tmp_path, progress=cancel_at_the_reviewed_capture, cancel=token)
    assert outcome.applied and outcome.compare_stopped and outcome.stopped_at == "review"
    [again] = outcome.reassessed
    assert (again.baseline_capture_id, again.followup_capture_id) == (base, later) and outcome.compared == []
    with Register(clinic) as reg:
        assert tiers(reg, lid, base, later) == {"before": "low", "after": "monitor"}  # compared again
        assert reassessed.outdated(reg, [later], missing=False) == []
        assert (reviewed, later) not in pairs(reg, lid)  # until compared, the flag estimates it
