"""A capture reviewed differently here and in a transfer package: the conflict names who decided on each side and
when ("here: decision 'monitor', re-check in 6 months, ... — by Dr Ames on 3 Mar 2026; in the package: decision
'excise', ... — by Dr Lee on 10 Mar 2026"), so that the clinician choosing which review to keep knows whose each is;
as data in --json, in the note of a review kept and the line of one taken. Real registers, audit rows dated as if
saved those days, real packages."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, TAKE, Answers
from tests.services.test_review_who_and_when import backdate_last_row
from tests.transfer_data import fill

AMES_AT, LEE_AT = "2026-03-03T12:00:00.000+00:00", "2026-03-10T12:00:00.000+00:00"  # when each saved the review
HERE = (
    f"decision 'monitor', re-check in 6 months, clinician notes 'border regular' — by Dr Ames on {human_date(AMES_AT)}"
)
THERE = f"decision 'excise', clinician notes 'border irregular' — by Dr Lee on {human_date(LEE_AT)}"


def first_capture(reg: Register) -> int:
    return reg.captures.for_lesion(reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0].id)[0].id


def review(reg: Register, who: str, at: str, decision: str, notes: str, months: int | None = None) -> None:
    """P-1's first capture reviewed by ``who``, its audit row dated ``at`` as if saved that day."""
    cid = first_capture(reg)
    reg.captures.review(who, cid, decision, notes, months)
    backdate_last_row(reg, cid, at)


def reviews_apart(clinic: Register, field: Path, package: Path, ames_at: str = AMES_AT, lee_at: str = LEE_AT) -> None:
    """P-1 made at the clinic (reviewed 'monitor', 'watch the border') and sent to the field laptop; then Dr Lee on the
    laptop reviewed its capture 'excise' (10 Mar 2026, or ``lee_at``) and Dr Ames at the clinic 'monitor', 6 months
    (3 Mar 2026, or ``ames_at``): the laptop's package at ``package``, not yet imported."""
    fill(clinic, "P-1", "Ann Smith", lesions=1, captures=1)
    export_patients(clinic, package, None)
    with Register(field) as reg:
        import_package(reg, package, None, "nurse")
        review(reg, "Dr Lee", lee_at, "excise", "border irregular")
        export_patients(reg, package, None, overwrite=True)
    review(clinic, "Dr Ames", ames_at, "monitor", "border regular", 6)


def test_the_conflict_names_who_reviewed_on_each_side_and_when(tmp_path: Path) -> None:
    with Register(tmp_path / "clinic") as clinic:
        reviews_apart(clinic, tmp_path / "field", tmp_path / "in.ddtx")
        preview = import_package(clinic, tmp_path / "in.ddtx", None, "importer", dry_run=True)
    [conflict] = preview.plan.fields
    assert f"changed on both sides (here: {HERE}; in the package: {THERE}; last agreed: decision 'monitor'" in (
        conflict.text
    )
    assert preview.plan.conflicts == [conflict.text]  # as the import's result lists it
    assert (conflict.set_here, conflict.set_there) == (("Dr Ames", AMES_AT), ("Dr Lee", LEE_AT))
    [row] = preview.to_dict()["field_conflicts"]  # --json: who and the stored stamp
    assert (row["set_here"], row["set_in_package"]) == (
        {"by": "Dr Ames", "at": AMES_AT},
        {"by": "Dr Lee", "at": LEE_AT},
    )


@pytest.mark.parametrize("answer", [KEEP, TAKE])
def test_a_review_kept_or_taken_says_whose_it_was(tmp_path: Path, answer: str) -> None:
    with Register(tmp_path / "clinic") as clinic:
        reviews_apart(clinic, tmp_path / "field", tmp_path / "in.ddtx")
        done = import_package(clinic, tmp_path / "in.ddtx", None, "importer", answers=Answers(answer))
        decision = clinic.captures.get(first_capture(clinic)).decision
    if answer == KEEP:
        assert decision == "monitor" and any(
            f"review kept as it is here ({HERE}), as answered: the package's review ({THERE}) is recorded as seen" in n
            for n in done.plan.notes
        )
    else:
        [line] = done.plan.update_lines
        assert decision == "excise" and line.endswith(
            f"(changed on both sides: the package's review, by Dr Lee on {human_date(LEE_AT)}, taken whole, as "
            "answered)"
        )


def test_a_review_brought_by_an_earlier_import_names_the_register_it_was_saved_in(tmp_path: Path) -> None:
    """Dr Kim's 'refer' came to the clinic from a second laptop; the first laptop's 'excise' then conflicts with it:
    the clinic's side names Dr Kim at the workstation she saved it on, and her day there."""
    kim_at = "2026-03-05T12:00:00.000+00:00"
    with Register(tmp_path / "clinic") as clinic:
        reviews_apart(clinic, tmp_path / "field", tmp_path / "in.ddtx")
        export_patients(clinic, tmp_path / "to-second.ddtx", None)
        with Register(tmp_path / "second") as second:
            import_package(second, tmp_path / "to-second.ddtx", None, "nurse")
            review(second, "Dr Kim", kim_at, "refer", "refer to derm")
            export_patients(second, tmp_path / "from-second.ddtx", None)
        import_package(clinic, tmp_path / "from-second.ddtx", None, "importer")  # the clinic now holds Dr Kim's
        preview = import_package(clinic, tmp_path / "in.ddtx", None, "importer", dry_run=True)
    [conflict] = preview.plan.fields
    assert (
        f"(here: decision 'refer', clinician notes 'refer to derm' — by Dr Kim at {socket.gethostname()} on "
        f"{human_date(kim_at)}; in the package: {THERE};" in conflict.text
    )
