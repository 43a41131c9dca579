"""Merging packages: patients by MRN with identity checks, records by uid and image sha256, conflicts reported,
no duplicates, round trips in both directions, and a crash mid-import leaving nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.services.captures import CaptureMeta, import_capture, import_files
from dermadesk.services.tracking import compare_captures, compare_latest_with_baseline
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage import transfer_apply
from dermadesk.storage.check import check_register
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.transfer_data import CHEAP_KDF, PASSPHRASE, add_assessment, counts, dump, fill, images, snapshot


def _export(data_dir: Path, out: Path, mrns: list[str] | None = None, since: str | None = None) -> Path:
    with Register(data_dir) as reg:
        export_patients(reg, out, PASSPHRASE, mrns, since, kdf=CHEAP_KDF)
    return out


def _import(data_dir: Path, package: Path, dry_run: bool = False):
    with Register(data_dir) as reg:
        return import_package(reg, package, PASSPHRASE, "importer", dry_run)


def test_import_into_a_register_holding_some_of_the_patients(tmp_path: Path) -> None:
    a, b = tmp_path / "A", tmp_path / "B"
    with Register(a) as reg:
        fill(reg, "P-1", "Ann Smith", seed=1)
        fill(reg, "P-2", "Bo Berg", lesions=1, seed=2)
        fill(reg, "P-3", "Cy Dahl", lesions=1, captures=1, seed=3)
    _import(b, _export(a, tmp_path / "first.ddtx", ["P-1"]))  # B got P-1 earlier
    with Register(b) as reg:
        reg.patients.add("field", "p-2", "BO  berg", "1960-05-01")  # registered there too: same person
        reg.patients.add("field", "P-3", "Cy Dahl-Other", "1960-05-01")  # the same MRN, another name
    before = snapshot(b)
    preview = _import(b, _export(a, tmp_path / "all.ddtx"), dry_run=True)
    assert [(p.mrn, p.status) for p in preview.plan.patients] == [("P-1", "present"), ("P-2", "present"),
                                                                  ("P-3", "conflict")]
    assert "name differs" in preview.plan.patients[2].reason
    assert snapshot(b) == before  # the preview wrote nothing
    done = _import(b, tmp_path / "all.ddtx")
    assert done.plan.added == {"patients": 0, "lesions": 1, "captures": 2, "assessments": 2, "comparisons": 1}
    assert done.plan.present == {"patients": 2, "lesions": 2, "captures": 4, "assessments": 4, "comparisons": 2}
    assert done.plan.left_out == {"patients": 1, "lesions": 1, "captures": 1, "assessments": 1, "comparisons": 0}
    assert done.plan.conflicts == ["patient P-3: the name differs (here 'Cy Dahl-Other', in the package "
                                   "'Cy Dahl'); not merged"]
    with Register(a) as ra, Register(b) as rb:
        da, db = dump(ra), dump(rb)
        assert counts(rb)["patients"] == 3  # no duplicate P-2, P-3 kept apart
        p2_here = rb.patients.by_mrn("P-2")
        lesions = rb.lesions.for_patient(p2_here.id)
        assert len(lesions) == 1 and lesions[0].label == "lesion 0"  # P-2's records under B's own P-2
        for table in ("lesions", "captures", "assessments", "comparisons"):
            for uid, row in db[table].items():
                if uid in da[table]:  # fields identical (P-2's lesion now points at B's own P-2)
                    assert {k: v for k, v in row.items() if k != "patient_uid"} == \
                        {k: v for k, v in da[table][uid].items() if k != "patient_uid"}
        assert set(images(rb)) <= set(images(ra))
        assert check_register(rb).ok
        p3 = rb.patients.by_mrn("P-3")
        assert p3.name == "Cy Dahl-Other" and rb.lesions.for_patient(p3.id) == []  # the conflict left untouched


def test_a_capture_imported_on_both_sides_is_matched_by_its_image(tmp_path: Path) -> None:
    a, b = tmp_path / "A", tmp_path / "B"
    with Register(a) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
    _import(b, _export(a, tmp_path / "one.ddtx"))
    same = lesion_jpeg(seed=77, width=160, height=120)
    for data_dir in (a, b):  # the same photo added independently on both sides
        with Register(data_dir) as reg:
            lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
            capture, _ = import_capture(reg, "someone", lesion.id, same, "same.jpg", CaptureMeta(taken_at="2025-06-01"))
            add_assessment(reg, capture.id, seed=77)
    done = _import(b, _export(a, tmp_path / "two.ddtx"))
    assert done.plan.added["captures"] == 0 and done.plan.present["captures"] == 2
    assert done.plan.added["assessments"] == 1  # A's assessment of it, kept with its origin
    with Register(b) as reg:
        assert counts(reg)["captures"] == 2
        origins = {r[0] for r in reg.database.query("SELECT origin FROM assessments")}
        assert len(origins) == 2  # made here, and made on A


def test_field_follow_up_comes_back_and_compares_with_the_baseline_on_both_sides(tmp_path: Path) -> None:
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    baseline, grown = tmp_path / "baseline.jpg", tmp_path / "grown.jpg"
    baseline.write_bytes(lesion_jpeg(seed=11))
    grown.write_bytes(lesion_jpeg(seed=11, scale=1.25))
    with Register(clinic) as reg:
        p = reg.patients.add("clinic", "F-1", "Fay Field", "1971-02-03")
        les = reg.lesions.add("clinic", p.id, "posterior torso", "left scapula")
        import_files(reg, "clinic", les.id, [baseline], CaptureMeta(taken_at="2025-01-10"))
    _import(field, _export(clinic, tmp_path / "to-field.ddtx", ["F-1"]))
    with Register(field) as reg:  # the follow-up visit, on the laptop
        les = reg.lesions.for_patient(reg.patients.by_mrn("F-1").id)[0]
        result = import_files(reg, "nurse", les.id, [grown], CaptureMeta(taken_at="2025-07-10"))
        assert result.comparison is not None and result.comparison.verdict == "significant"
        reg.captures.review("nurse", result.captures[0].id, "refer", "grew since January")
    back = _import(clinic, _export(field, tmp_path / "to-clinic.ddtx"))
    assert back.plan.added == {"patients": 0, "lesions": 0, "captures": 1, "assessments": 0, "comparisons": 1}
    with Register(clinic) as reg, Register(field) as freg:
        assert dump(reg) == dump(freg)  # both registers now hold the same history
        les = reg.lesions.for_patient(reg.patients.by_mrn("F-1").id)[0]
        first, second = reg.captures.for_lesion(les.id)
        assert second.decision == "refer" and second.clinician_notes == "grew since January"
        stored = reg.comparisons.for_lesion(les.id)
        assert [c.verdict for c in stored] == ["significant"]
        field_uid = freg.database.one("SELECT uid FROM workstations WHERE is_self = 1")[0]
        assert reg.database.one("SELECT origin FROM comparisons")[0] == field_uid  # kept with its origin
        again, _ = compare_captures(reg, "clinic", first.id, second.id)  # the comparison works in the clinic
        assert again.verdict == "significant"
        assert compare_latest_with_baseline(freg, "nurse", les.id) is not None  # and on the laptop
    assert _import(field, tmp_path / "to-clinic.ddtx").applied is False  # A -> B -> A: nothing new


def test_since_and_patient_choose_what_is_exported(tmp_path: Path) -> None:
    a = tmp_path / "A"
    with Register(a) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        fill(reg, "P-2", "Bo Berg", lesions=1, captures=1, seed=2)
        reg.database.conn.execute("UPDATE patients SET updated_at = '2020-01-01' WHERE mrn = 'P-1'")
        reg.database.conn.execute("UPDATE lesions SET updated_at = '2020-01-01'")
        reg.database.conn.execute("UPDATE captures SET created_at = '2020-01-01', taken_at = '2020-01-01' "
                                  "WHERE lesion_id = 1")
        reg.database.conn.execute("UPDATE assessments SET created_at = '2020-01-01' WHERE capture_id = 1")
        reg.database.conn.execute("DROP TRIGGER audit_log_no_update")  # P-1's capture history made old too
        reg.database.conn.execute("UPDATE audit_log SET at = '2020-01-01' WHERE entity = 'capture' AND entity_id = 1")
        reg.database.conn.execute("UPDATE audit_log SET at = '2020-01-01' WHERE entity IN ('patient', 'lesion') "
                                  "AND entity_id = 1")
        assert export_patients(reg, tmp_path / "s0.ddtx", None, since="2024-01-01").mrns == ["P-2"]
        for entity in ("patient", "lesion"):  # a conflict answered "keep this register's": an audit row, nothing else
            reg.database.conn.execute(f"UPDATE audit_log SET at = '2025-03-01' WHERE id = (SELECT max(id) FROM "
                                      f"audit_log WHERE entity = '{entity}' AND entity_id = 1)")
            assert export_patients(reg, tmp_path / f"{entity}.ddtx", None, since="2024-01-01").mrns == ["P-1", "P-2"]
            reg.database.conn.execute(f"UPDATE audit_log SET at = '2020-01-01' WHERE entity = '{entity}' "
                                      "AND entity_id = 1")
        reg.database.conn.execute("UPDATE audit_log SET at = '2025-03-01' WHERE id = (SELECT max(id) FROM audit_log "
                                  "WHERE entity = 'capture' AND entity_id = 1)")  # as if reviewed in March
        assert export_patients(reg, tmp_path / "s1.ddtx", None, since="2024-01-01").mrns == ["P-1", "P-2"]  # reviewed
        assert export_patients(reg, tmp_path / "p.ddtx", None, ["p-1"]).mrns == ["P-1"]


def test_a_crash_midway_through_the_import_leaves_no_half_patient(tmp_path: Path, monkeypatch) -> None:
    a, b = tmp_path / "A", tmp_path / "B"
    with Register(a) as reg:
        fill(reg, "P-1", "Ann Smith", seed=1)
        fill(reg, "P-2", "Bo Berg", seed=2)
    package = _export(a, tmp_path / "p.ddtx")
    with Register(b) as reg:
        fill(reg, "Q-1", "Quinn Here", lesions=1, captures=1, seed=9)
    before = snapshot(b)
    real, calls = transfer_apply.insert_row, []

    def crash_on_the_ninth(conn, table, values):
        calls.append(table)
        if len(calls) == 9:  # P-1 written whole, P-2 half written
            raise OSError("power cut (simulated)")
        return real(conn, table, values)

    monkeypatch.setattr(transfer_apply, "insert_row", crash_on_the_ninth)
    with pytest.raises(OSError, match="power cut"):
        _import(b, package)
    dumped, stored_images, audit_rows = snapshot(b)
    assert (dumped, audit_rows) == before[::2] and set(stored_images) >= set(before[1])  # rows untouched
    with Register(b) as reg:
        report = check_register(reg)
        assert report.ok and [p.mrn for p in reg.patients.search()] == ["Q-1"]
        assert len(report.orphan_files) == len(set(stored_images) - set(before[1]))  # images came first
    monkeypatch.setattr(transfer_apply, "insert_row", real)
    assert _import(b, package).plan.added["patients"] == 2  # the same package imports cleanly afterwards
    with Register(b) as reg:
        report = check_register(reg)
        assert report.ok and report.orphan_files == []


def test_a_cancelled_import_writes_no_rows(tmp_path: Path) -> None:
    from dermadesk.domain.errors import Cancelled
    from dermadesk.services.progress import CancelToken

    a, b = tmp_path / "A", tmp_path / "B"
    with Register(a) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=2)
    package = _export(a, tmp_path / "p.ddtx")
    token = CancelToken()

    def cancel_midway(fraction: float, message: str) -> None:
        if message.startswith("storing image"):
            token.cancel()

    with Register(b) as reg, pytest.raises(Cancelled):
        import_package(reg, package, PASSPHRASE, "importer", progress=cancel_midway, cancel=token)
    with Register(b) as reg:
        assert counts(reg)["patients"] == 0 and check_register(reg).ok
        assert not list(b.glob(".transfer-*"))
