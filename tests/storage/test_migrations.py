"""Migrations: from empty, from every earlier version, and a newer file refused."""

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from dermadesk.domain.errors import RegisterVersionError
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import MIGRATIONS, SCHEMA_VERSION, applied, migrate


def test_from_empty_applies_all(tmp_path: Path) -> None:
    db = open_db(tmp_path / "r.sqlite3")
    assert applied(db.db) == [m.__name__ for m in MIGRATIONS]
    assert {"patients", "lesions", "captures", "assessments", "comparisons", "audit_log"} <= set(db.db.table_names())
    assert db.one("PRAGMA foreign_keys")[0] == 1
    assert db.one("PRAGMA journal_mode")[0] == "wal"
    assert db.one("PRAGMA busy_timeout")[0] == 5000
    db.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version_keeps_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    migrate(old.db, upto=version)
    old.conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) VALUES ('M1', 'Old Patient', 'x', 'x')")
    old.conn.execute("INSERT INTO lesions (patient_id, site, created_at, updated_at) VALUES (1, 'head/neck', 'x', 'x')")
    old.close()
    db = open_db(path)
    assert applied(db.db) == [m.__name__ for m in MIGRATIONS]
    assert db.one("SELECT name FROM patients WHERE mrn = 'M1'")[0] == "Old Patient"
    from dermadesk.storage.register import Register

    reg = Register(tmp_path, db)
    assert [p.mrn for p in reg.patients.search("old")] == ["M1"]  # FTS index covers pre-existing rows
    db.close()


def test_newer_register_is_refused_with_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_db(path).close()
    raw = sqlite_utils.Database(path)
    raw.execute("INSERT INTO _migrations (name, applied_at) VALUES ('m999_from_the_future', 'x')")
    raw.conn.commit()
    raw.close()
    with pytest.raises(RegisterVersionError, match="newer DermaDesk"):
        open_db(path)


def test_reopen_is_idempotent(tmp_path: Path) -> None:
    open_db(tmp_path / "r.sqlite3").close()
    db = open_db(tmp_path / "r.sqlite3")
    assert len(applied(db.db)) == SCHEMA_VERSION
    db.close()


def test_assessment_status_migration_keeps_old_assessments_assessed_and_allows_no_tier(tmp_path: Path) -> None:
    path = tmp_path / "m4.sqlite3"
    old = Database(path)
    migrate(old.db, upto=4)
    old.conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) VALUES ('M1', 'P', 'x', 'x')")
    old.conn.execute("INSERT INTO lesions (patient_id, site, created_at, updated_at) VALUES (1, 'head/neck', 'x', 'x')")
    old.conn.execute("INSERT INTO captures (lesion_id, taken_at, image_sha256, width, height, file_size, "
                     "image_format, created_at) VALUES (1, '2026-01-01', 'ab', 10, 10, 1, 'JPEG', 'x')")
    old.conn.execute("INSERT INTO assessments (capture_id, model_name, model_version, provider, probabilities, "
                     "top_class, malignant_probability, melanoma_probability, risk_tier, recommendation, ood_score, "
                     "ood_flag, created_at) "
                     "VALUES (1, 'm', '1', 'CPU', '{}', 'nv', 0.1, 0.05, 'low', 'r', 0.5, 0, 'x')")
    old.conn.commit()
    old.close()
    db = open_db(path)
    row = db.one("SELECT status, status_reasons, risk_tier FROM assessments WHERE id = 1")
    assert tuple(row) == ("assessed", "[]", "low")
    with pytest.raises(sqlite3.IntegrityError):  # not assessable with a tier: refused by the schema
        db.conn.execute("INSERT INTO assessments (capture_id, model_name, model_version, provider, probabilities, "
                        "top_class, risk_tier, recommendation, ood_flag, created_at, status) VALUES "
                        "(1, 'm', '1', 'CPU', '{}', '', 'low', 'r', 1, 'x', 'not assessable')")
    db.conn.execute("INSERT INTO assessments (capture_id, model_name, model_version, provider, probabilities, "
                    "top_class, ood_flag, created_at, status) VALUES (1, 'm', '1', 'CPU', '{}', '', 1, 'x', "
                    "'not assessable')")
    db.close()


def test_transfer_ids_migration_gives_old_rows_uids_and_the_register_one_workstation(tmp_path: Path) -> None:
    import uuid

    path = tmp_path / "m7.sqlite3"
    old = Database(path)
    migrate(old.db, upto=7)
    for mrn in ("M1", "M2"):
        old.conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) VALUES (?, 'P', 'x', 'x')", (mrn,))
    old.conn.execute("INSERT INTO lesions (patient_id, site, created_at, updated_at) VALUES (1, 'head/neck', 'x', 'x')")
    old.close()
    db = open_db(path)
    uids = [r[0] for r in db.query("SELECT uid FROM patients UNION ALL SELECT uid FROM lesions")]
    assert len(set(uids)) == 3 and all(uuid.UUID(u).version == 4 for u in uids)
    (me,) = db.query("SELECT uid, hostname FROM workstations WHERE is_self = 1")
    assert uuid.UUID(me[0]) and me[1]
    from dermadesk.storage.register import Register

    reg = Register(tmp_path, db)
    p = reg.patients.add("u", "M3", "New Patient")
    les = reg.lesions.add("u", p.id, "head/neck")
    row = db.one("SELECT uid FROM lesions WHERE id = ?", (les.id,))
    assert uuid.UUID(row[0]) and reg.patients.search("new")[0].mrn == "M3"  # the search index is intact
    db.close()
