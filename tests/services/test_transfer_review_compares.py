"""A decision brought by a transfer package, on a capture after which this register holds later ones: the import
compares those with the reviewed capture (``transfer.compare_since_import``, within the import), as a decision saved
here does, so the ⚠ CHANGED flag reads that comparison instead of the estimate from the comparisons with the baseline;
a capture the package adds after a reviewed capture here likewise. Cancelled then, the import stands and only the
comparing stops. Real registers, real packages, real synthetic images compared by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.progress import CancelToken
from dermadesk.services.register_ops import review_capture
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.standing import significant_change
from dermadesk.services.tracking import compare_since_review, reviewed_pairs
from dermadesk.services.transfer import ImportOutcome, export_patients, import_package
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS, GROWN, pairs

MRN = "T-9"
REVIEWED = "comparing with the reviewed capture of 16 Feb 2026"


def add(reg: Register, lid: int, tmp_path: Path, scale: float, day: str, k: int) -> int:
    """A capture of the lesion on ``day`` (synthetic, ``scale`` times the baseline's radius; ``k`` tells its image
    from the others), imported as the app does (compared with the baseline, and with a reviewed capture before it)."""
    image = synthetic_lesion(LesionSpec(seed=7, scale=scale), 320, 240)
    image[:4, :4] = 60 * k + 10
    path = tmp_path / f"{day}.jpg"
    path.write_bytes(jpeg_bytes(image))
    return import_files(reg, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02)).captures[0].id


def send(source: Path, target: Path, tmp_path: Path, **kwargs) -> ImportOutcome:
    """Every patient of ``source`` exported (not encrypted) and imported into ``target``."""
    package = tmp_path / "week.ddtx"
    with Register(source) as reg:
        export_patients(reg, package, None, overwrite=True)
    with Register(target) as reg:
        return import_package(reg, package, None, "importer", **kwargs)


def ids_by_day(data_dir: Path) -> tuple[int, dict[str, int]]:
    with Register(data_dir) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn(MRN).id)[0]
        return lesion.id, {c.taken_at[:10]: c.id for c in reg.captures.for_lesion(lesion.id)}


def decided_on_the_laptop(
    tmp_path: Path, clinic: Path | None = None, days: tuple[str, ...] = DAYS[:3], later: float = GROWN * GROWN
) -> tuple[Path, Path]:
    """The clinic's baseline and grown capture (+25 %: SIGNIFICANT) sent to the laptop; the clinic then imports a
    later capture (``later`` times the baseline's radius), the laptop answers the grown one 'monitor' (nothing later
    there to compare). (clinic, laptop)."""
    clinic, laptop = clinic or tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        add(reg, lid, tmp_path, 1.0, days[0], 0)
        add(reg, lid, tmp_path, GROWN, days[1], 1)
    send(clinic, laptop, tmp_path)
    with Register(clinic) as reg:
        add(reg, lid, tmp_path, later, days[2], 2)
    _, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        review_capture(reg, "dr field", there[days[1]], "monitor", "benign pattern")
        assert compare_since_review(reg, "dr field", there[days[1]]) == []  # nothing later on the laptop
    return clinic, laptop


def test_a_decision_imported_compares_the_later_capture_here(tmp_path: Path) -> None:
    clinic, laptop = decided_on_the_laptop(tmp_path)
    lid, here = ids_by_day(clinic)
    reviewed, later = here[DAYS[1]], here[DAYS[2]]
    said: list[tuple[float, str]] = []
    outcome = send(laptop, clinic, tmp_path, progress=lambda f, m: said.append((f, m)))
    assert outcome.applied and outcome.plan.updated["captures"] == 1 and not outcome.compare_stopped
    with Register(clinic) as reg:
        assert reg.captures.get(reviewed).decision == "monitor"
        [row] = outcome.compared
        assert (row.baseline_capture_id, row.followup_capture_id, row.verdict) == (reviewed, later, "significant")
        assert reg.audit.entries("comparison", row.id)[0].action == COMPARED_ACTION
        assert pairs(reg, lid)[(reviewed, later)] == "significant" and reviewed_pairs(reg, lid) == []
        change = significant_change(reg, lid)  # the flag reads the comparison, not the estimate
        assert change is not None and change.reviewed is not None and change.reviewed.id == reviewed
        assert change.reasons[0] == f"{row.reasons[0]} since the reviewed capture of 16 Feb 2026"
        assert change.reasons[0].startswith("area grew by 2")  # +25 % since the review, not +56 % since 5 Jan
    messages = [m for _, m in said]
    assert REVIEWED in messages and messages[-1] == "imported"
    fractions = [f for f, _ in said]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0  # one bar for the import and its comparisons
    assert all(f >= 0.8 for f, m in said if m == REVIEWED)

    again = send(laptop, clinic, tmp_path)  # nothing new: nothing compared again
    assert not again.applied and again.compared == []


def test_a_reviewed_capture_imported_with_its_decision_compares_the_later_capture_here(tmp_path: Path) -> None:
    """The laptop took the grown capture and answered it; the clinic took a later one meanwhile: the import adds the
    reviewed capture (with its comparison with the baseline), then compares the clinic's later capture with it."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        add(reg, lid, tmp_path, 1.0, DAYS[0], 0)
    send(clinic, laptop, tmp_path)
    _, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        grown = add(reg, reg.captures.get(there[DAYS[0]]).lesion_id, tmp_path, GROWN, DAYS[1], 1)
        review_capture(reg, "dr field", grown, "monitor", "benign pattern")
    with Register(clinic) as reg:
        later = add(reg, lid, tmp_path, GROWN * GROWN, DAYS[2], 2)
    outcome = send(laptop, clinic, tmp_path)
    _, here = ids_by_day(clinic)
    reviewed = here[DAYS[1]]
    assert outcome.plan.added["captures"] == 1 and len(outcome.compared) == 1
    with Register(clinic) as reg:
        assert reg.captures.get(reviewed).decision == "monitor"
        assert pairs(reg, lid)[(reviewed, later)] == "significant" and reviewed_pairs(reg, lid) == []
        change = significant_change(reg, lid)
        assert change is not None and change.reviewed is not None and change.reviewed.id == reviewed


def test_cancelled_while_comparing_the_import_stands(tmp_path: Path) -> None:
    clinic, laptop = decided_on_the_laptop(tmp_path)
    lid, here = ids_by_day(clinic)
    token = CancelToken()

    def cancel_at_the_comparison(_: float, message: str) -> None:
        if message == REVIEWED:
            token.cancel()

    outcome = send(laptop, clinic, tmp_path, progress=cancel_at_the_comparison, cancel=token)
    assert outcome.applied and outcome.compare_stopped and outcome.compared == []
    with Register(clinic) as reg:
        assert reg.captures.get(here[DAYS[1]]).decision == "monitor"  # the import is written
        assert (here[DAYS[1]], here[DAYS[2]]) not in pairs(reg, lid)
        assert [(a.id, b.id) for a, b in reviewed_pairs(reg, lid)] == [(here[DAYS[1]], here[DAYS[2]])]
        estimate = significant_change(reg, lid)  # until compared, the flag estimates it, as before
        assert estimate is not None and estimate.reviewed is not None
