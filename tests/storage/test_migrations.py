"""Migrations: from empty, from every earlier version, and a newer file refused."""

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
