"""The audit log cannot be rewritten: REPLACE is refused, and db check verifies the hash chain."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.storage.audit_chain import GENESIS
from dermadesk.storage.check import check_register
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import migrate
from dermadesk.storage.register import Register


@pytest.fixture
def audited(data_dir: Path) -> Path:
    with Register(data_dir) as reg:
        p = reg.patients.add("alice", "A-1", "Audit Trail")
        reg.patients.update("alice", p.id, name="Audit Trail Changed")
        reg.lesions.add("alice", p.id, "head/neck")
    return data_dir / "register.sqlite3"


@pytest.mark.parametrize("sql", [
    "INSERT OR REPLACE INTO audit_log (id, at, actor, action, entity, entity_id, prev_hash, hash) "
    "VALUES (1, 'x', 'mallory', 'create', 'patient', 1, 'p', 'h')",
    "REPLACE INTO audit_log (id, at, actor, action, entity, entity_id, prev_hash, hash) "
    "VALUES (2, 'x', 'mallory', 'create', 'patient', 1, 'p', 'h')",
    "UPDATE audit_log SET actor = 'mallory' WHERE id = 1",
    "DELETE FROM audit_log WHERE id = 3",
    "INSERT INTO audit_log (at, actor, action, entity, prev_hash, hash) VALUES ('x', 'm', 'a', 'e', 'p', 'h')",
])
def test_rewriting_the_audit_log_is_refused_even_from_a_plain_connection(audited: Path, sql: str) -> None:
    conn = sqlite3.connect(audited)  # e.g. the sqlite3 shell: no pragmas of ours
    before = conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    with pytest.raises(sqlite3.IntegrityError, match="append-only|hash of the row before"):
        conn.execute(sql)
    conn.rollback()
    assert conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall() == before
    conn.close()


def test_db_check_verifies_the_chain_and_names_a_changed_row(audited: Path, capsys) -> None:
    assert main(["db", "check"]) == 0
    out = capsys.readouterr().out
    assert "audit log: 3 rows, chain ok" in out
    conn = sqlite3.connect(audited)  # a determined editor drops the guard and rewrites a row
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    conn.commit()
    conn.close()
    assert main(["db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"] and report["audit"] == ["audit row 2 was changed after it was written (hash mismatch)"]


def test_a_removed_row_breaks_the_chain(audited: Path) -> None:
    conn = sqlite3.connect(audited)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 2")
    conn.commit()
    conn.close()
    with Register(audited.parent) as reg:
        report = check_register(reg)
    assert not report.ok and "audit row 3 does not follow the row before it" in report.audit[0]


def test_migration_chains_existing_rows_and_new_rows_follow(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    migrate(old.db, upto=5)
    for i in range(3):
        old.conn.execute("INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after) VALUES "
                         "(?, 'bob', 'create', 'patient', ?, NULL, ?)", (f"2025-01-0{i + 1}", i, json.dumps({"i": i})))
    old.close()
    db = open_db(path)
    rows = db.query("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")
    assert [r["id"] for r in rows] == [1, 2, 3] and rows[0]["prev_hash"] == GENESIS
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:2]]
    reg = Register(tmp_path, db)
    reg.patients.add("carol", "N-1", "New Row")
    report = check_register(reg)
    assert report.ok and report.audit_rows == 4 and report.audit == []
    db.close()
