"""Patient search: on the register's connection, or on a read-only connection of its own (a worker thread's,
so the GUI thread's page fetches never wait for a typed search).

Every word must match: as the beginning of a word of the name or the MRN (accents and case ignored, and
punctuation too: "obrien" finds O'Brien, "smithjones" Smith-Jones, "mrn1001" MRN-1001), or, written as a date
(1961-03-12, 12.03.1961, 12-03-1961, 12/03/1961, 12 Mar 1961) or a year (1961), the birth date."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from dermadesk.domain.dates import WRITTEN_DATE, date_readings


def _fts_word(word: str) -> str:
    """The FTS5 query for one typed word: a prefix of a token, or (punctuation left out) of two adjacent ones
    ("obrien": O'Brien, "mrn1001": MRN-1001), or of three for a short word ("darcyng": D'Arcy-Ng)."""
    options = [f'"{word}"*']
    n = len(word)
    if 3 <= n <= 30:
        options += [f'"{word[:i]} {word[i:]}"*' for i in range(1, n)]
    if 3 <= n <= 12:
        options += [f'"{word[:i]} {word[i:j]} {word[j:]}"*' for i in range(1, n - 1) for j in range(i + 1, n)]
    return " OR ".join(options)


def search_patient_ids(
    conn: sqlite3.Connection, text: str = "", limit: int | None = None, include_deleted: bool = False
) -> list[int]:
    """Patient ids matching every word of ``text`` (see the module's docstring), by name, on ``conn``."""
    clauses: list[str] = [] if include_deleted else ["p.deleted_at IS NULL"]
    params: list[str] = []
    for match in WRITTEN_DATE.finditer(text):
        days = sorted(d.isoformat() for d in date_readings(match))
        clauses.append(f"p.birth_date IN ({','.join('?' * len(days))})" if days else "0")
        params += days
    in_fts = "p.rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?)"
    for word in re.findall(r"\w+", WRITTEN_DATE.sub(" ", text), flags=re.UNICODE):
        if re.fullmatch(r"(19|20)\d\d", word):  # a year: of the birth date, or the beginning of an MRN
            clauses.append(f"({in_fts} OR p.birth_date LIKE ?)")
            params += [_fts_word(word), f"{word}-%"]
        else:
            clauses.append(in_fts)
            params.append(_fts_word(word))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    lim = f" LIMIT {int(limit)}" if limit else ""
    rows = conn.execute(f"SELECT p.id FROM patients p{where} ORDER BY p.name, p.id{lim}", params).fetchall()
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
