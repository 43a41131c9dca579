"""What a transfer import's comparing left, and what its corrections put back in use (``transfer_left``).

Cancelled in its corrections step, an import never ran its tier step: the outcome names the lesions with a comparison
still to make (``left``) and those whose comparisons the assessments it brought outdated (``tiers_left``); importing
the same package again imports nothing twice and compares what is left (``left_before``), as the first import would
have; a third import finds nothing. A package that brings a date or scale back to the one the stored comparisons were
made with puts them back in use (``in_use_again``), not made again. Real registers, real packages, the tiny ONNX
models, real synthetic images compared by the real pipeline; the cancel is the services' cancel token."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services import reassessed
from dermadesk.services import register_ops as ops
from dermadesk.services.attention import lesion_flag
from dermadesk.services.progress import CancelToken
from dermadesk.services.standing import significant_change
from dermadesk.services.tracking import compare_since_review, current_comparisons, refresh_lesions
from dermadesk.services.transfer import ImportOutcome, export_patients, import_package
from dermadesk.storage.register import Register
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_since_review import DAYS, GROWN, pairs
from tests.services.test_transfer_assessed_compares import (
    assessed_and_decided_on_the_laptop,
    assessed_on_the_laptop,
    tiers,
)
from tests.services.test_transfer_corrections import corrected_on_the_laptop
from tests.services.test_transfer_review_compares import REVIEWED, add, decided_on_the_laptop, ids_by_day, send


def corrected_assessed_and_decided(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
    clinic: Path | None = None,
) -> tuple[Path, Path]:
    """``assessed_and_decided_on_the_laptop``, and the laptop then corrects the grown capture's scale (0.02 -> 0.025 mm
    per pixel) and compares it again: the package's corrections step compares the clinic's later capture with the
    grown one (the reviewed capture its decision makes), before the tier step compares the later capture again with
    the baseline, whose LOW tier the package brings. (clinic, the laptop's package)."""
    clinic, laptop = assessed_and_decided_on_the_laptop(tmp_path, tiny_model_dir, low_model, clinic)
    lid, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        ops.edit_capture(reg, "dr field", there[DAYS[1]], {"mm_per_px": 0.025})
        refresh_lesions(reg, "dr field", [lid])
        export_patients(reg, tmp_path / "back.ddtx", None)
    return clinic, tmp_path / "back.ddtx"


def imported(clinic: Path, package: Path, **kwargs) -> ImportOutcome:
    with Register(clinic) as reg:
        return import_package(reg, package, None, "importer", **kwargs)


def cancel_at(said: str) -> tuple[CancelToken, object]:
    """The user's Cancel, the moment the import says ``said``."""
    token = CancelToken()

    def progress(_: float, message: str) -> None:
        if message == said:
            token.cancel()

    return token, progress


def test_cancelled_in_the_corrections_it_names_what_is_left_and_the_same_package_again_finishes_it(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, package = corrected_assessed_and_decided(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    base, grown, later = (here[day] for day in DAYS[:3])
    token, progress = cancel_at(REVIEWED)
    first = imported(clinic, package, progress=progress, cancel=token)
    assert first.applied and first.compare_stopped and first.stopped_at == "corrections"
    assert first.recompare == [lid] and first.reassess == [] and first.compared == []  # the tier step never ran
    assert first.left == [lid] and first.tiers_left == [lid]
    with Register(clinic) as reg:
        assert reg.captures.get(grown).mm_per_px == 0.025  # the import is written
        assert tiers(reg, lid, base, later) == {"before": None, "after": "monitor"}  # made with the tier before
        assert (grown, later) not in pairs(reg, lid)
        rows = len(reg.comparisons.for_lesion(lid))

    again = imported(clinic, package)  # the same file: nothing is imported twice, what is left is compared
    assert not again.applied and not any(again.plan.added.values()) and not any(again.plan.updated.values())
    assert again.left_before == [lid] and not again.compare_stopped and again.left == []
    assert again.reassess == [lid] and again.recompare_error == again.reassess_error == ""
    made = {
        (r.baseline_capture_id, r.followup_capture_id) for r in again.recompared + again.reassessed + again.compared
    }
    assert made == {(base, later), (grown, later)}
    with Register(clinic) as reg:
        assert tiers(reg, lid, base, later) == {"before": "low", "after": "monitor"}  # the baseline's tier brought
        assert tiers(reg, lid, grown, later) == {"before": "low", "after": "monitor"}
        assert reassessed.outdated(reg, list(here.values())) == []  # nothing left for Re-assess capture either
        assert len(reg.comparisons.for_lesion(lid)) == rows + 2

    third = imported(clinic, package)  # done: nothing to import, nothing to compare
    assert third.left_before == [] and third.recompared == third.reassessed == third.compared == []


def test_a_complete_import_leaves_nothing_for_the_same_package_again(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, package = corrected_assessed_and_decided(tmp_path, tiny_model_dir, low_model)
    first = imported(clinic, package)
    assert not first.compare_stopped and first.left == [] and first.left_before == []
    assert first.recompared and first.reassessed  # compared in full: with the reviewed capture, then for the tiers
    again = imported(clinic, package)
    assert again.left_before == [] and again.recompare == again.reassess == []
    assert again.recompared == again.reassessed == again.compared == []


def corrected_back_on_the_laptop(tmp_path: Path, clinic: Path | None = None) -> tuple[Path, Path]:
    """The laptop corrected the baseline's scale (0.02 -> 0.025: ``corrected_on_the_laptop``), the clinic imported it
    (compared again at 0.025); the laptop then corrects it back to 0.02 (its comparisons at 0.02 current again there,
    nothing made): its package brings back the scale the clinic's first comparisons were made with.
    (clinic, the laptop's package)."""
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"mm_per_px": 0.025}, clinic=clinic)
    assert send(laptop, clinic, tmp_path).recompared  # at 0.025: compared again
    lid, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        ops.edit_capture(reg, "dr field", there[DAYS[0]], {"mm_per_px": 0.02})
        refresh_lesions(reg, "dr field", [lid])
        export_patients(reg, tmp_path / "back.ddtx", None)
    return clinic, tmp_path / "back.ddtx"


def first_comparisons(clinic: Path) -> dict[tuple[int, int], int]:
    """(first capture, second capture) -> the id of the clinic's comparison of the pair made at 0.02 mm per pixel."""
    lid, _ = ids_by_day(clinic)
    with Register(clinic) as reg:
        rows = [r for r in reg.comparisons.for_lesion(lid) if r.metrics["scales"]["baseline"] == 0.02]
    return {(r.baseline_capture_id, r.followup_capture_id): r.id for r in rows}


def test_a_correction_brought_back_puts_the_comparisons_made_with_it_in_use_again(tmp_path: Path) -> None:
    clinic, package = corrected_back_on_the_laptop(tmp_path)
    lid, here = ids_by_day(clinic)
    base, grown, later = (here[day] for day in DAYS[:3])
    made_at_first = first_comparisons(clinic)
    with Register(clinic) as reg:
        rows = len(reg.comparisons.for_lesion(lid))
    back = imported(clinic, package)
    assert back.plan.updated["captures"] == 1 and back.recompare == [lid] and back.recompared == []
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in back.in_use_again] == [(base, grown), (base, later)]
    assert [r.id for r in back.in_use_again] == [made_at_first[(base, grown)], made_at_first[(base, later)]]
    assert all(r.verdict == "significant" for r in back.in_use_again)
    with Register(clinic) as reg:
        assert reg.captures.get(base).mm_per_px == 0.02
        assert len(reg.comparisons.for_lesion(lid)) == rows  # none made again: the stored ones are current
        assert {r.id for r in current_comparisons(reg, lid)} >= {r.id for r in back.in_use_again}


FINISH_FLAG = "; to confirm it, import field.ddtx again: it finishes comparing (nothing is imported twice)"


def decided_with_two_later(tmp_path: Path) -> tuple[Path, Path]:
    """``decided_on_the_laptop``, the clinic holding one more later capture (11 May 2026, grown 95 % since the baseline,
    56 % since the grown one): its package makes the grown capture the reviewed capture of both later ones, to compare
    with it one after the other. (clinic, the laptop's package, not imported yet)."""
    clinic, laptop = decided_on_the_laptop(tmp_path)
    lid, _ = ids_by_day(clinic)
    with Register(clinic) as reg:
        add(reg, lid, tmp_path, GROWN**3, DAYS[3], 3)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "field.ddtx", None)
    return clinic, tmp_path / "field.ddtx"


def test_a_cancel_keeps_the_comparisons_made_before_it_and_the_flag_says_it_is_not_confirmed(tmp_path: Path) -> None:
    """Cancel as the second later capture is to be compared with the reviewed capture: the first comparison made is in
    the outcome (it was lost with the cancel); the lesion's flag, the estimate from the comparisons with the baseline,
    says it is not confirmed and that importing the package again finishes it; that import confirms it."""
    clinic, package = decided_with_two_later(tmp_path)
    lid, here = ids_by_day(clinic)
    reviewed, later, latest = (here[day] for day in DAYS[1:4])
    token, seen = CancelToken(), []

    def second_comparison(_: float, message: str) -> None:
        seen.append(message)
        if seen.count(REVIEWED) == 2:
            token.cancel()

    first = imported(clinic, package, progress=second_comparison, cancel=token)
    assert first.compare_stopped and first.stopped_at == "review" and first.left == [lid]
    with Register(clinic) as reg:
        assert [(r.baseline_capture_id, r.followup_capture_id) for r in first.compared] == [(reviewed, later)]
        assert (reviewed, later) in pairs(reg, lid) and (reviewed, latest) not in pairs(reg, lid)  # stored, kept
        change = significant_change(reg, lid)
        assert change is not None and change.capture.id == latest and change.unconfirmed
        assert change.note.startswith("significant change on 11 May 2026, not confirmed yet (estimated: area grew by ")
        assert change.note.endswith("since the reviewed capture of 16 Feb 2026)")
        flag, why = lesion_flag(reg, lid)
        assert flag == "⚠ CHANGED" and why.startswith(f"{change.note}{FINISH_FLAG}; status still 'monitoring' — ")

    again = imported(clinic, package)
    assert again.left_before == [lid] and not again.compare_stopped
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in again.compared] == [(reviewed, latest)]
    with Register(clinic) as reg:
        change = significant_change(reg, lid)  # the comparison made: it reads that, no estimate
        assert change is not None and not change.unconfirmed and "not confirmed" not in lesion_flag(reg, lid)[1]


def test_a_change_estimated_after_a_decision_here_says_what_confirms_it(register: Register, tmp_path: Path) -> None:
    """No import involved: a decision saved on the grown capture after the later one was imported, its comparison with
    the reviewed capture not made yet: the flag says it is not confirmed until that comparison is made."""
    lid = register.lesions.add("t", register.patients.add("t", "R-2", "Re Later").id, "upper extremity").id
    for k, (scale, day) in enumerate(((1.0, DAYS[0]), (GROWN, DAYS[1]), (GROWN**3, DAYS[2]))):
        add(register, lid, tmp_path, scale, day, k)
    grown = register.captures.for_lesion(lid)[1].id
    ops.review_capture(register, "t", grown, "monitor", "even growth")
    change = significant_change(register, lid)
    assert change is not None and change.unconfirmed and "not confirmed yet" in change.note
    assert lesion_flag(register, lid)[1].startswith(
        f"{change.note}; to confirm it, compare the 30 Mar 2026 capture with the reviewed capture (Patient > Compare "
        "with the reviewed capture); "
    )
    compare_since_review(register, "t", grown)
    change = significant_change(register, lid)
    assert change is not None and not change.unconfirmed and "not confirmed" not in lesion_flag(register, lid)[1]


def test_the_comparisons_the_package_brought_from_its_workstation_are_named(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """The laptop assessed two captures and compared them again: the import names that comparison, in use here as it
    came (``made_there``), apart from the one it compared again here for the tiers."""
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)
    lid, here = ids_by_day(clinic)
    base, grown, later = (here[day] for day in DAYS[:3])
    done = imported(clinic, tmp_path / "back.ddtx")
    assert done.plan.added["comparisons"] == 1 and done.brought == []
    [row] = done.made_there
    assert (row.baseline_capture_id, row.followup_capture_id) == (base, grown)
    assert row.metrics["risk_tier"] == {"before": "low", "after": "low"}  # as the laptop made it
    assert [(r.baseline_capture_id, r.followup_capture_id) for r in done.reassessed] == [(base, later)]


def corrected_back_and_another(tmp_path: Path, clinic: Path | None = None) -> tuple[Path, Path, int]:
    """``corrected_back_on_the_laptop``, the clinic holding another patient's lesion too (T-8, a baseline and a grown
    capture, sent to the laptop with T-9), whose grown capture's scale the laptop corrects (0.02 -> 0.025) before it
    exports: the package puts T-9's stored comparisons back in use and has T-8's compared again. (clinic, the laptop's
    package, T-8's lesion)."""
    clinic = clinic or tmp_path / "clinic"
    with Register(clinic) as reg:
        other = reg.lesions.add("t", reg.patients.add("t", "T-8", "Otto Other").id, "upper extremity").id
        add(reg, other, tmp_path, 1.0, DAYS[0], 3)
        add(reg, other, tmp_path, GROWN, DAYS[1], 4)
    clinic, package = corrected_back_on_the_laptop(tmp_path, clinic)
    laptop = tmp_path / "laptop"
    with Register(laptop) as reg:
        there = reg.lesions.for_patient(reg.patients.by_mrn("T-8").id)[0].id
        ops.edit_capture(reg, "dr field", reg.captures.for_lesion(there)[1].id, {"mm_per_px": 0.025})
        export_patients(reg, package, None, overwrite=True)
    return clinic, package, other
