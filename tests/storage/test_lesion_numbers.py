"""Lesion numbers ("Lesion 2"): per patient, in creation order, deleted lesions counted, never given out again:
not after a restore from an older backup, not on an import into another workstation (issue 16: a nurse saw
database ids, "#7" and "#12" on one patient, and a restore gave ids out again)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.backup import backup
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import migrate
from dermadesk.storage.register import Register
from dermadesk.storage.restore import restore
from tests.transfer_data import CHEAP_KDF, PASSPHRASE


def _numbers(reg: Register, mrn: str, deleted: bool = True) -> dict[str, int]:
    patient = reg.patients.by_mrn(mrn)
    return {les.label: les.number for les in reg.lesions.for_patient(patient.id, include_deleted=deleted)}


def test_numbers_count_per_patient_in_creation_order_and_a_deleted_one_is_not_given_out_again(tmp_path: Path) -> None:
    with Register(tmp_path / "r") as reg:
        a = reg.patients.add("u", "A-1", "Ann A")
        b = reg.patients.add("u", "B-1", "Bo B")
        for patient, label in [(a, "a1"), (b, "b1"), (a, "a2"), (a, "a3"), (b, "b2")]:
            reg.lesions.add("u", patient.id, "head/neck", label)
        assert _numbers(reg, "A-1") == {"a1": 1, "a2": 2, "a3": 3}
        assert _numbers(reg, "B-1") == {"b1": 1, "b2": 2}
        third = reg.lesions.for_patient(a.id)[2]
        assert (third.id, third.number, third.title) == (4, 3, "Lesion 3")  # the id is not what a user sees
        reg.lesions.soft_delete("u", third.id)
        assert reg.lesions.add("u", a.id, "head/neck", "a4").number == 4  # 3 stays with the deleted lesion
        created = reg.audit.entries("lesion", third.id)[-1]
        assert created.action == "create" and created.after["number"] == 3  # the audit row holds it


def test_the_migration_numbers_existing_lesions_in_id_order_per_patient(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    migrate(old.db, upto=9)
    for mrn in ("M1", "M2"):
        old.conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) VALUES (?, 'P', 'x', 'x')", (mrn,))
    for patient_id in (2, 1, 1, 2, 1):
        old.conn.execute(
            "INSERT INTO lesions (patient_id, site, created_at, updated_at) VALUES (?, 'head/neck', 'x', 'x')",
            (patient_id,),
        )
    old.conn.execute("UPDATE lesions SET deleted_at = 'x' WHERE id = 3")  # deleted lesions are counted
    old.close()
    db = open_db(path)
    rows = [tuple(r) for r in db.query("SELECT id, patient_id, number FROM lesions ORDER BY id")]
    assert rows == [(1, 2, 1), (2, 1, 1), (3, 1, 2), (4, 2, 2), (5, 1, 3)]
    reg = Register(tmp_path, db)
    assert reg.lesions.add("u", 1, "head/neck").number == 4 and reg.lesions.add("u", 2, "head/neck").number == 3
    db.close()


def test_a_restore_keeps_the_numbers_and_never_gives_out_the_number_of_a_lesion_it_lost(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Register(data) as reg:
        p = reg.patients.add("u", "R-1", "Rae R")
        for label in ("first", "second"):
            reg.lesions.add("u", p.id, "lower extremity", label)
        backup(data, tmp_path / "b.zip")
        lost = reg.lesions.add("u", p.id, "lower extremity", "made after the backup")
        assert lost.number == 3
    restore(tmp_path / "b.zip", data)
    with Register(data) as reg:
        assert _numbers(reg, "R-1") == {"first": 1, "second": 2}  # kept as they were
        new = reg.lesions.add("u", reg.patients.by_mrn("R-1").id, "lower extremity", "new")
        assert new.number == 4  # not 3: a report printed before the restore may name lesion 3
        assert new.id == lost.id  # (the database id, by contrast, is given out again)
        other = reg.patients.add("u", "R-2", "New Patient")
        assert reg.lesions.add("u", other.id, "head/neck").number == 1
    restore(tmp_path / "b.zip", data)  # a second restore of the same backup remembers lesion 4 too
    with Register(data) as reg:
        assert reg.lesions.add("u", reg.patients.by_mrn("R-1").id, "head/neck").number == 5


def test_an_import_keeps_the_package_numbers_unless_taken_here(tmp_path: Path) -> None:
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(clinic) as reg:
        p = reg.patients.add("clinic", "T-1", "Tia T", "1970-01-01")
        for label in ("one", "two", "three"):
            reg.lesions.add("clinic", p.id, "head/neck", label)
        reg.lesions.soft_delete("clinic", reg.lesions.for_patient(p.id)[0].id)
        export_patients(reg, tmp_path / "first.ddtx", PASSPHRASE, ["T-1"], kdf=CHEAP_KDF)
    with Register(field) as reg:
        import_package(reg, tmp_path / "first.ddtx", PASSPHRASE, "field", False)
        assert _numbers(reg, "T-1") == {"one": 1, "two": 2, "three": 3}  # as at the clinic
        reg.lesions.add("field", reg.patients.by_mrn("T-1").id, "head/neck", "found in the field")
    with Register(clinic) as reg:
        reg.lesions.add("clinic", reg.patients.by_mrn("T-1").id, "head/neck", "found at the clinic")
        export_patients(reg, tmp_path / "second.ddtx", PASSPHRASE, ["T-1"], kdf=CHEAP_KDF)
    with Register(field) as reg:
        preview = import_package(reg, tmp_path / "second.ddtx", PASSPHRASE, "field", True)
        assert any("lesion 4 in the package; that number is taken here" in n for n in preview.plan.notes)
        import_package(reg, tmp_path / "second.ddtx", PASSPHRASE, "field", False)
        assert _numbers(reg, "T-1") == {
            "one": 1,
            "two": 2,
            "three": 3,
            "found in the field": 4,
            "found at the clinic": 5,
        }
