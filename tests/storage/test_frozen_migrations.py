"""Shipped migrations are frozen: the schema each one leaves is byte-for-byte what it was when it shipped."""

from __future__ import annotations

import ast
from pathlib import Path

from dermadesk.storage.db import Database
from dermadesk.storage.migrations import migrate

HERE = Path(__file__).parent
FROZEN = 13  # m001..m007 were frozen when frozen_schema.txt was written; m008..m013 added as each shipped


def schema_after_each(tmp_path: Path, upto: int) -> list[str]:
    """sqlite_master after m001, after m001..m002, ... (as ``repr`` lines, one per object)."""
    lines: list[str] = []
    for n in range(1, upto + 1):
        db = Database(tmp_path / f"r{n}.sqlite3")
        migrate(db.db, upto=n)
        rows = db.conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != '_migrations' ORDER BY type, name"
        ).fetchall()
        db.close()
        lines += [f"-- upto {n}", *(repr(tuple(r)) for r in rows)]
    return lines


def test_shipped_migrations_leave_the_schema_they_shipped_with(tmp_path: Path) -> None:
    frozen = (HERE / "frozen_schema.txt").read_text(encoding="utf-8").splitlines()
    assert schema_after_each(tmp_path, FROZEN) == frozen


def test_migrations_do_not_build_sql_from_vocabularies() -> None:
    """A CHECK built from ``domain.records.SITES`` would change a shipped migration when the list changes."""
    import dermadesk.storage.migrations as migrations

    tree = ast.parse(Path(migrations.__file__).read_text(encoding="utf-8"))
    imported = {f"{node.module}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "dermadesk.domain.records" not in imported and "dermadesk.contract" not in imported
