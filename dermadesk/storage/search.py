"""Patient search: on the register's connection, or on a read-only connection of its own (a worker thread's,
so the GUI thread's page fetches never wait for a typed search)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path


def search_patient_ids(
    conn: sqlite3.Connection, text: str = "", limit: int | None = None, include_deleted: bool = False
) -> list[int]:
    """Patient ids whose name or MRN has every word of ``text`` as a prefix, by name, on ``conn``."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    lim = f" LIMIT {int(limit)}" if limit else ""
    if not words:
        alive = "" if include_deleted else " WHERE deleted_at IS NULL"
        rows = conn.execute(f"SELECT id FROM patients{alive} ORDER BY name, id{lim}").fetchall()
    else:
        alive = "" if include_deleted else " AND p.deleted_at IS NULL"
        match = " ".join(f'"{w}"*' for w in words)
        rows = conn.execute(
            f"SELECT p.id FROM patients_fts f JOIN patients p ON p.rowid = f.rowid "
            f"WHERE patients_fts MATCH ?{alive} ORDER BY p.name, p.id{lim}",
            (match,),
        ).fetchall()
    return [r[0] for r in rows]


def search_read_only(db_path: Path, text: str = "", include_deleted: bool = False) -> list[int]:
    """``search_patient_ids`` on a new read-only connection to ``db_path`` ([] when the file cannot be read)."""
    try:
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return []
    try:
        return search_patient_ids(conn, text, None, include_deleted)
    except sqlite3.Error:
        return []
    finally:
        conn.close()
