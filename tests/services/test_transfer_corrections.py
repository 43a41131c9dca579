"""A date or scale correction brought by a transfer package (the capture corrected on the other workstation) leaves
the comparisons stored here with that capture stale: the import compares those lesions again, as a correction made
here does (``transfer.corrected_lesions``, ``tracking.refresh_lesions``: with the baseline, then with a reviewed
capture), within the import; cancelled then, the import stands and only the comparing stops; an image that cannot be
read stops it too, said so, the import written. A capture moved to another lesion there is a conflict, left out:
nothing here changes. Real registers, real packages, real synthetic images compared by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services import register_ops as ops
from dermadesk.services.progress import CancelToken
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.tracking import change_line, current_comparisons, refresh_lesions
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS, GROWN
from tests.services.test_transfer_review_compares import MRN, add, ids_by_day, send

WITH_BASELINE = "comparing the capture of 30 Mar 2026 with the baseline"


def current_pairs(reg: Register, lid: int) -> dict[tuple[int, int], int | None]:
    """(first capture, second capture) -> interval of each current comparison."""
    return {(r.baseline_capture_id, r.followup_capture_id): r.interval_days for r in current_comparisons(reg, lid)}


def corrected_on_the_laptop(
    tmp_path: Path, change: dict, day: str = DAYS[0], decide: bool = False, clinic: Path | None = None
) -> tuple[Path, Path]:
    """The clinic's baseline and grown capture (``decide``: the grown one answered 'monitor') sent to the laptop; the
    clinic then imports a later capture (compared here with the baseline, and with the reviewed capture); the laptop
    corrects its capture of ``day`` (``change``) and compares again, as the app does. (clinic, laptop)."""
    clinic, laptop = clinic or tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        add(reg, lid, tmp_path, 1.0, DAYS[0], 0)
        grown = add(reg, lid, tmp_path, GROWN, DAYS[1], 1)
        if decide:
            ops.review_capture(reg, "t", grown, "monitor", "even growth")
    send(clinic, laptop, tmp_path)
    with Register(clinic) as reg:
        add(reg, lid, tmp_path, GROWN * GROWN, DAYS[2], 2)
    there_lid, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        ops.edit_capture(reg, "dr field", there[day], change)
        refresh_lesions(reg, "dr field", [there_lid])
    return clinic, laptop


def test_a_scale_corrected_there_compares_the_later_capture_here_again(tmp_path: Path) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"mm_per_px": 0.025})
    lid, here = ids_by_day(clinic)
    base, later = here[DAYS[0]], here[DAYS[2]]
    with Register(clinic) as reg:
        assert change_line(reg, later) is not None  # compared with the baseline at 0.02 mm per pixel
    said: list[tuple[float, str]] = []
    outcome = send(laptop, clinic, tmp_path, progress=lambda f, m: said.append((f, m)))
    assert outcome.applied and outcome.recompare == [lid] and not outcome.compare_stopped
    assert outcome.recompare_error == ""
    with Register(clinic) as reg:
        assert reg.captures.get(base).mm_per_px == 0.025
        [row] = outcome.recompared  # the later capture only: the package brought the grown one's comparison
        assert (row.baseline_capture_id, row.followup_capture_id) == (base, later)
        assert row.metrics["scales"] == {"baseline": 0.025, "followup": 0.02}
        assert (base, later) in current_pairs(reg, lid)
        line = change_line(reg, later)  # the change line reads a current comparison again
        assert line is not None and line.verdict == "significant"
    messages = [m for _, m in said]
    assert WITH_BASELINE in messages and messages[-1] == "imported"
    fractions = [f for f, _ in said]
    # the import's own bar from 0.5 (the package checked before), comparing again in its 0.8 to 0.9, then after review
    assert fractions == sorted(fractions) and all(0.9 <= f < 0.95 for f, m in said if m == WITH_BASELINE)

    again = send(laptop, clinic, tmp_path)  # nothing new: nothing compared again
    assert not again.applied and again.recompare == [] and again.recompared == []


def test_a_date_corrected_there_compares_with_the_reviewed_capture_here_again(tmp_path: Path) -> None:
    """The reviewed capture's date corrected on the laptop: the clinic's later capture, compared with it before at
    the old interval, is compared with it again at the new one (after the comparisons with the baseline)."""
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"taken_at": "2026-02-02"}, DAYS[1], decide=True)
    lid, here = ids_by_day(clinic)
    base, reviewed, later = here[DAYS[0]], here[DAYS[1]], here[DAYS[2]]
    with Register(clinic) as reg:
        assert current_pairs(reg, lid)[(reviewed, later)] == 42
    outcome = send(laptop, clinic, tmp_path)
    assert outcome.recompare == [lid] and not outcome.compare_stopped
    with Register(clinic) as reg:
        assert reg.captures.get(reviewed).taken_at == "2026-02-02"
        [row] = outcome.recompared
        assert (row.baseline_capture_id, row.followup_capture_id, row.interval_days) == (reviewed, later, 56)
        assert reg.audit.entries("comparison", row.id)[0].action == COMPARED_ACTION
        assert current_pairs(reg, lid) == {(base, reviewed): 28, (base, later): 84, (reviewed, later): 56}


def test_cancelled_while_comparing_again_the_import_stands(tmp_path: Path) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"mm_per_px": 0.025})
    lid, here = ids_by_day(clinic)
    token = CancelToken()

    def cancel_at_the_comparison(_: float, message: str) -> None:
        if message == WITH_BASELINE:
            token.cancel()

    outcome = send(laptop, clinic, tmp_path, progress=cancel_at_the_comparison, cancel=token)
    assert outcome.applied and outcome.compare_stopped and outcome.recompare == [lid] and outcome.recompared == []
    with Register(clinic) as reg:
        assert reg.captures.get(here[DAYS[0]]).mm_per_px == 0.025  # the import is written
        assert (here[DAYS[0]], here[DAYS[2]]) not in current_pairs(reg, lid)  # not compared again yet


def test_an_image_that_cannot_be_read_stops_the_comparing_and_says_why(tmp_path: Path) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"mm_per_px": 0.025})
    lid, here = ids_by_day(clinic)
    with Register(clinic) as reg:
        reg.images.path(reg.captures.get(here[DAYS[2]]).image_sha256).write_bytes(b"damaged")
    outcome = send(laptop, clinic, tmp_path)
    assert outcome.applied and not outcome.compare_stopped and outcome.recompared == []
    assert "damaged" in outcome.recompare_error
    with Register(clinic) as reg:
        assert reg.captures.get(here[DAYS[0]]).mm_per_px == 0.025


def test_a_capture_moved_there_is_left_out_here(tmp_path: Path) -> None:
    """No import moves a capture: one the package has in another lesion is a conflict, so nothing here is stale."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        pid = reg.patients.add("t", MRN, "Tom Transfer").id
        lid = reg.lesions.add("t", pid, "lower extremity").id
        reg.lesions.add("t", pid, "upper extremity")
        add(reg, lid, tmp_path, 1.0, DAYS[0], 0)
        add(reg, lid, tmp_path, GROWN, DAYS[1], 1)
    send(clinic, laptop, tmp_path)
    there_lid, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        other = next(les.id for les in reg.lesions.for_patient(reg.patients.by_mrn(MRN).id) if les.id != there_lid)
        ops.move_capture(reg, "dr field", there[DAYS[1]], other)
    outcome = send(laptop, clinic, tmp_path)
    assert outcome.recompare == [] and "it belongs to another record here; left out" in outcome.plan.conflicts[0]
