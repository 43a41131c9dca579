"""A capture's polarisation and magnification, corrected with Edit capture or 'capture edit' (``ops.edit_capture``),
reach the other workstation with the next package, as its notes and scale do: brought over where changed on one side
only, a conflict where both sides changed them since they last agreed. Real registers, real packages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dermadesk.services import register_ops as ops
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import TAKE, Answers
from tests.transfer_data import fill, move

WHAT = "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1"
CHANGED_THERE = "(changed in the package since the two registers last agreed, not here)"


def _registers(tmp_path: Path) -> tuple[Path, Path]:
    """P-1 made at the clinic (its capture with no polarisation or magnification recorded), sent to the laptop."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
    move(clinic, laptop, tmp_path / "first.ddtx")
    return clinic, laptop


def _recorded(data_dir: Path, **changes: Any) -> tuple[str | None, float | None]:
    """P-1's first capture's (polarisation, magnification), corrected first with ``changes`` as the app does."""
    with Register(data_dir) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        capture = reg.captures.for_lesion(lesion.id)[0]
        if changes:
            capture = ops.edit_capture(reg, "dr.x", capture.id, changes).after
        return capture.polarisation, capture.magnification


def test_a_correction_on_one_workstation_reaches_the_other(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _recorded(laptop, polarisation="polarised", magnification=10)
    done = move(laptop, clinic, tmp_path / "one.ddtx")
    assert done.plan.fields == [] and done.plan.update_lines == [
        f"{WHAT}: polarisation filled in from the package (here: (empty), in the package: 'polarised')",
        f"{WHAT}: magnification filled in from the package (here: (empty), in the package: 10.0)",
    ]
    assert _recorded(clinic) == ("polarised", 10)
    _recorded(clinic, polarisation="non-polarised", magnification=20)  # corrected again, at the clinic this time
    back = move(clinic, laptop, tmp_path / "two.ddtx")
    assert back.plan.fields == [] and back.plan.update_lines == [
        f"{WHAT}: polarisation 'polarised' → 'non-polarised' {CHANGED_THERE}",
        f"{WHAT}: magnification 10.0 → 20.0 {CHANGED_THERE}",
    ]
    assert _recorded(laptop) == ("non-polarised", 20)
    again = move(laptop, clinic, tmp_path / "three.ddtx")  # agreed now: nothing to bring back, nothing asked
    assert (again.plan.update_lines, again.plan.fields, again.plan.notes) == ([], [], [])


def test_both_sides_corrected_is_a_conflict_each_answered_alone(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _recorded(laptop, polarisation="polarised", magnification=10)
    move(laptop, clinic, tmp_path / "one.ddtx")  # both: polarised, 10
    _recorded(clinic, polarisation="non-polarised", magnification=20)
    _recorded(laptop, polarisation="unknown", magnification=40)
    preview = move(laptop, clinic, tmp_path / "two.ddtx")
    assert [c.text for c in preview.plan.fields] == [
        f"{WHAT}: polarisation changed on both sides (here: 'non-polarised', in the package: 'unknown', last agreed: "
        "'polarised'); left as it is here until answered (keep this register's value, or take the package's)",
        f"{WHAT}: magnification changed on both sides (here: 20.0, in the package: 40.0, last agreed: 10.0); left as "
        "it is here until answered (keep this register's value, or take the package's)",
    ]
    assert _recorded(clinic) == ("non-polarised", 20)  # left as here until answered
    polarisation = preview.plan.fields[0].key
    taken = move(laptop, clinic, tmp_path / "two.ddtx", Answers(each={polarisation: TAKE}))
    assert [c.answer for c in taken.plan.fields] == [TAKE, None]
    assert _recorded(clinic) == ("unknown", 20)  # the one answered taken, the other left as here
