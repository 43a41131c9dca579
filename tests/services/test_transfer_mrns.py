"""Two clinics gave MRN P-1 to different people: the package's P-1 is never merged into the P-1 here. Unanswered it
is left out and listed, a free MRN suggested; answered, it is a new patient under another MRN, audited, and the next
import of the same package patient (either way round) finds it by its uid. Real registers and packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.errors import ValidationError
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import Answers
from dermadesk.storage.transfer_mrns import renames_given
from tests.transfer_data import counts, dump, fill, move

BOB = "MRN P-1 is another patient's here: 'Bob Jones', born 1971-02-03"


def _uid(data_dir: Path, mrn: str) -> str:
    with Register(data_dir) as reg:
        return str(reg.database.one("SELECT uid FROM patients WHERE mrn = ?", (mrn,))[0])


def _two_clinics(tmp_path: Path) -> tuple[Path, Path]:
    """The laptop's P-1 is Ann Smith (two lesions); the clinic's P-1 is Bob Jones, and its P-1-2 someone else."""
    field, clinic = tmp_path / "field", tmp_path / "clinic"
    with Register(field) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
    with Register(clinic) as reg:
        fill(reg, "P-1", "Bob Jones", lesions=1, captures=1, seed=3, birth_date="1971-02-03")
        reg.patients.add("clinic", "P-1-2", "Carl Other")
    return field, clinic


def test_unanswered_it_is_left_out_with_a_free_mrn_suggested_and_bob_untouched(tmp_path: Path) -> None:
    field, clinic = _two_clinics(tmp_path)
    with Register(clinic) as reg:
        before = dump(reg), counts(reg)
    done = move(field, clinic, tmp_path / "in.ddtx")
    [ann] = done.plan.patients
    assert (ann.status, ann.suggested, ann.renamed) == ("conflict", "P-1-3", "")  # P-1-2 is taken here
    assert ann.reason == "the name differs (here 'Bob Jones', in the package 'Ann Smith')"
    assert ann.left_out == {"patients": 1, "lesions": 2, "captures": 2, "assessments": 2, "comparisons": 0}
    assert not done.plan.complete and done.plan.renamed == {}
    with Register(clinic) as reg:
        assert (dump(reg), counts(reg)) == before  # nothing of Ann merged into Bob; nothing written at all


def test_answered_it_is_a_new_patient_audited_and_found_again_both_ways(tmp_path: Path) -> None:
    field, clinic = _two_clinics(tmp_path)
    ann_uid = _uid(field, "P-1")
    done = move(field, clinic, tmp_path / "in.ddtx", Answers(renames={ann_uid: "P-1-3"}))
    [ann] = done.plan.patients
    assert (ann.status, ann.renamed, ann.reason) == ("new", "P-1-3", f"imported as P-1-3, as answered: {BOB}")
    assert done.plan.complete and done.plan.added["lesions"] == 2 and _uid(clinic, "P-1-3") == ann_uid
    with Register(clinic) as reg:
        bob, new = reg.patients.by_mrn("P-1"), reg.patients.by_mrn("P-1-3")
        assert (bob.name, new.name) == ("Bob Jones", "Ann Smith")
        assert [len(reg.lesions.for_patient(p.id)) for p in (bob, new)] == [1, 2]
        [entry] = [e for e in reg.audit.entries("patient", new.id) if e.action == "import"]
        assert entry.after["renamed"] == {"package_mrn": "P-1", "mrn": "P-1-3", "why": BOB}

    again = move(field, clinic, tmp_path / "in.ddtx")  # next week, the same package: found as P-1-3, nothing new
    [ann] = again.plan.patients
    assert (ann.status, ann.renamed, again.plan.conflicts, again.applied) == ("present", "P-1-3", [], False)
    with Register(field) as reg:
        reg.patients.update("nurse", reg.patients.by_mrn("P-1").id, notes="itchy")
    update = move(field, clinic, tmp_path / "in.ddtx")  # a change on the laptop reaches P-1-3, named as here
    assert update.plan.update_lines == [
        "patient P-1-3: notes filled in from the package (here: (empty), in the package: 'itchy')"
    ]
    with Register(clinic) as reg:
        assert reg.patients.by_mrn("P-1-3").notes == "itchy" and reg.patients.by_mrn("P-1").notes == ""

    back = move(clinic, field, tmp_path / "back.ddtx")  # the clinic's package at the laptop
    mine, theirs = (next(p for p in back.plan.patients if p.uid == uid) for uid in (ann_uid, _uid(clinic, "P-1")))
    assert (mine.status, mine.mrn, mine.renamed) == ("present", "P-1-3", "P-1")  # its Ann, as the clinic named her
    assert (theirs.status, theirs.suggested) == ("conflict", "P-1-4")  # Bob: free at the laptop and in the package
    with Register(field) as reg:
        assert reg.patients.by_mrn("P-1").name == "Ann Smith" and reg.patients.count() == 2  # Ann, Carl


def test_an_mrn_taken_since_it_was_chosen_leaves_the_patient_out_and_says_so(tmp_path: Path) -> None:
    field, clinic = _two_clinics(tmp_path)
    ann_uid = _uid(field, "P-1")
    done = move(field, clinic, tmp_path / "in.ddtx", Answers(renames={ann_uid: "p-1-2"}))  # Carl's, any case
    [ann] = done.plan.patients
    assert ann.status == "conflict" and ann.reason.endswith(
        "; MRN p-1-2 is held here by 'Carl Other', so it was not imported under it"
    )
    with Register(clinic) as reg:
        assert reg.patients.count() == 2


def test_rename_mrn_options_are_checked_against_the_preview(tmp_path: Path) -> None:
    field, clinic = _two_clinics(tmp_path)
    with Register(field) as reg:
        fill(reg, "P-7", "Dora Same", lesions=0, seed=7)
    plan = move(field, clinic, tmp_path / "in.ddtx").plan  # P-7 added, P-1 left out
    with Register(clinic) as reg:
        ann = plan.patients[0]
        assert renames_given(plan.patients, reg.database, ["p-1=Q-77"]) == {ann.uid: "Q-77"}
        for pair, said in (
            ("P-1", "--rename-mrn takes OLD=NEW (the MRN in the package, then the new one), not 'P-1'"),
            ("P-9=Q-1", "the package holds no patient with MRN P-9"),
            ("P-7=Q-1", "patient P-7 of the package is not one whose MRN is another patient's here: nothing to rename"),
            ("P-1=P-1-2", "MRN P-1-2 is held here by 'Carl Other': choose another MRN for patient P-1 (free: P-1-3)"),
            ("P-1=P-7", "MRN P-7 is held here by 'Dora Same': choose another MRN for patient P-1 (free: P-1-3)"),
        ):
            with pytest.raises(ValidationError) as refused:
                renames_given(plan.patients, reg.database, [pair])
            assert str(refused.value) == said


def test_a_patient_held_here_under_an_mrn_changed_by_hand_is_not_offered_a_new_one(tmp_path: Path) -> None:
    """Ann's MRN corrected to A-1 at the clinic, then P-1 given to Bob: the laptop's P-1 is Ann, already here under
    A-1, so importing it as a new patient would make her twice; it stays a conflict that says where she is."""
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
    move(clinic, field, tmp_path / "out.ddtx")
    with Register(clinic) as reg:
        reg.patients.update("clerk", reg.patients.by_mrn("P-1").id, mrn="A-1")
        reg.patients.add("clerk", "P-1", "Bob Jones", "1971-02-03")
    [ann] = move(field, clinic, tmp_path / "in.ddtx").plan.patients
    assert (ann.status, ann.suggested) == ("conflict", "")
    assert ann.reason == "this register holds the same patient record under MRN A-1"
    with Register(clinic) as reg:
        with pytest.raises(ValidationError, match="not one whose MRN is another patient's here"):
            renames_given([ann], reg.database, ["P-1=P-1-2"])
