"""Records both sides hold: fields filled in or brought up to date from a package (only the side that changed a
field since the registers last agreed brings it; changed on both sides: a conflict, left as here),
records deleted here kept out, birth dates filled in, names differing only in accents reported as such."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_fields import compare, last_change
from tests.transfer_data import CHEAP_KDF, PASSPHRASE, fill


def _export(data_dir: Path, out: Path) -> Path:
    with Register(data_dir) as reg:
        export_patients(reg, out, PASSPHRASE, kdf=CHEAP_KDF, overwrite=True)
    return out


def _import(data_dir: Path, package: Path, dry_run: bool = False):
    with Register(data_dir) as reg:
        return import_package(reg, package, PASSPHRASE, "importer", dry_run)


def _captures(data_dir: Path) -> list:
    with Register(data_dir) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        return reg.captures.for_lesion(lesion.id)


def test_a_review_made_on_the_field_laptop_comes_to_the_clinic(tmp_path: Path) -> None:
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=2)  # capture 1 reviewed 'monitor', capture 2 not
    _import(field, _export(clinic, tmp_path / "out.ddtx"))
    first, second = _captures(field)
    with Register(field) as reg:
        reg.captures.review("nurse", first.id, "excise", "grew")  # changed after the clinic's review
        reg.captures.review("nurse", second.id, "excise", "")  # empty at the clinic
    package = _export(field, tmp_path / "back.ddtx")
    preview = _import(clinic, package, dry_run=True)
    assert preview.plan.changes_anything and preview.plan.updated == {"patients": 0, "lesions": 0, "captures": 2}
    lines = "\n".join(preview.plan.update_lines)
    assert "decision 'monitor' → 'excise' (changed in the package since the two registers last agreed" in lines
    assert "decision filled in from the package (here: (empty), in the package: 'excise')" in lines
    assert "clinician notes 'watch the border' → 'grew'" in lines
    done = _import(clinic, package)
    assert done.applied and [c.decision for c in _captures(clinic)] == ["excise", "excise"]
    with Register(clinic) as reg:
        rows = reg.database.query("SELECT before, after FROM audit_log WHERE action = 'import-update' ORDER BY id")
        before, after = (json.loads(v) for v in rows[0])
        assert before == {"decision": "monitor", "clinician_notes": "watch the border"}  # the older side's values
        assert after["decision"] == "excise" and after["package"]["file"] == "back.ddtx"
        assert after["package"]["workstation"]["uid"]
    again = _import(clinic, package)
    assert not again.applied and again.plan.updates == []  # the same package again: nothing to do
    # the clinic changes its mind later: the field's older value does not come back
    with Register(clinic) as reg:
        reg.captures.review("doctor", _captures(clinic)[0].id, "refer", "grew")
    later = _import(clinic, package, dry_run=True)
    assert later.plan.updates == [] and any("kept as it is here, changed here since" in n for n in later.plan.notes)


def test_a_field_is_taken_only_where_the_package_alone_changed_it() -> None:
    here = {"decision": "monitor", "notes": "", "clinician_notes": "a", "mm_per_px": 0.02, "taken_at": "2025-01-01"}
    row = {"decision": "excise", "notes": "x", "clinician_notes": "b", "mm_per_px": 0.03, "taken_at": "2025-01-01"}
    base = {"decision": "refer", "clinician_notes": "a", "mm_per_px": 0.03, "notes": ""}
    update, notes, conflicts = compare("captures", 1, here, row, base, "capture c")
    # only the package's; not its clinician notes beside a decision in conflict: the review is one conflict
    assert update is not None and update.changes == {"notes": "x"}
    assert update.agreed == {
        "decision": "refer",
        "notes": "x",
        "clinician_notes": "a",
        "mm_per_px": 0.03,
        "taken_at": "2025-01-01",
    }  # the conflict keeps its last agreed values
    assert [c.text for c in conflicts] == [
        "capture c: review (decision and clinician notes, answered together) changed on both sides (here: decision "
        "'monitor', clinician notes 'a'; in the package: decision 'excise', clinician notes 'b'; last agreed: decision "
        "'refer', clinician notes 'a'); left as it is here until answered (keep this register's review, or take the "
        "package's: its decision and clinician notes together)"
    ]
    assert notes == [
        "capture c: mm per px differs (here: 0.02, in the package: 0.03); kept as it is here, "
        "changed here since the two registers last agreed"
    ]
    never = compare("captures", 1, {"clinician_notes": "a"}, {"clinician_notes": "b"}, {}, "c")[2]
    assert never[0].text.startswith("c: clinician notes differ (here: 'a', in the package: 'b') and neither register")
    assert (
        last_change(
            [
                {
                    "at": "2025-01-02",
                    "action": "import",
                    "after": json.dumps({"history": [{"at": "2024-05-05", "action": "add"}]}),
                }
            ]
        )
        == "2024-05-05"
    )


def test_nothing_lands_in_a_patient_or_lesion_deleted_here(tmp_path: Path) -> None:
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        fill(reg, "P-2", "Bo Berg", lesions=2, captures=1, seed=2)
    _import(field, _export(clinic, tmp_path / "out.ddtx"))
    with Register(clinic) as reg:
        reg.patients.soft_delete("doctor", reg.patients.by_mrn("P-1").id)
        reg.lesions.soft_delete("doctor", reg.lesions.for_patient(reg.patients.by_mrn("P-2").id)[0].id)
    with Register(field) as reg:  # new captures on the field for both
        for mrn in ("P-1", "P-2"):
            for lesion in reg.lesions.for_patient(reg.patients.by_mrn(mrn).id):
                reg.captures.review("nurse", reg.captures.for_lesion(lesion.id)[0].id, "excise", "")
    done = _import(clinic, _export(field, tmp_path / "back.ddtx"))
    p1, p2 = done.plan.patients
    assert p1.status == "conflict" and p1.reason.startswith("deleted in this register on ")
    assert (
        "restore the patient first (Patient > Restore patient, with View > Show deleted patients) or it stays out"
        in done.plan.conflicts[0]
    )
    assert any(  # named as this register names it: its number here
        "lesion 1 (lesion 0, left posterior torso) of patient P-2: deleted in this register on" in c
        for c in done.plan.conflicts
    )
    assert done.plan.updated["captures"] == 1  # only P-2's lesion that is not deleted
    with Register(clinic) as reg:
        assert reg.database.one("SELECT count(*) FROM captures WHERE decision = 'excise'")[0] == 1


def test_a_missing_birth_date_is_filled_in_and_accents_are_named(tmp_path: Path) -> None:
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(field) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        fill(reg, "P-2", "José Núñez", lesions=1, captures=1, seed=2)
    with Register(clinic) as reg:
        reg.patients.add("clerk", "P-1", "ann smith", None)
        reg.patients.add("clerk", "P-2", "Jose Nunez", "1960-05-01")
    done = _import(clinic, _export(field, tmp_path / "back.ddtx"))
    assert [p.status for p in done.plan.patients] == ["present", "conflict"]
    assert any(
        "birth date filled in from the package (here: (empty), in the package: 1 May 1960)" in line  # as dates are said
        for line in done.plan.update_lines
    )
    assert done.plan.patients[1].reason.startswith("the name differs only in accents or case")
    with Register(clinic) as reg:
        assert reg.patients.by_mrn("P-1").birth_date == "1960-05-01"
