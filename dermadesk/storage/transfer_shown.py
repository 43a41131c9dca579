"""Which of a transfer package's heat maps the app shows: that of each capture's current assessment (the register's
own rule, ``assessments.CURRENT`` and ``NEWEST``, as ``Assessments.latest`` runs it), where it has a result. One made
before a capture was assessed again, or before its modality was corrected, shows nowhere; nor does a NOT ASSESSABLE
result's ("No heat map"). Read from the package's rows alone (an export's, or an import's before anything is
written): the rows go into a private in-memory table and the register's rule runs over them unchanged."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any, Mapping, Sequence

from dermadesk.contract import NOT_ASSESSABLE
from dermadesk.storage.assessments import CURRENT, NEWEST

_TABLES = (
    "CREATE TABLE captures (id INTEGER PRIMARY KEY, uid TEXT, modality TEXT)",
    "CREATE TABLE assessments (id INTEGER PRIMARY KEY, capture_id INTEGER, modality TEXT, risk_tier TEXT, "
    "status TEXT, created_at TEXT, cam_sha256 TEXT)",
    "CREATE INDEX captures_uid ON captures (uid)",
    "CREATE INDEX assessments_capture ON assessments (capture_id)",
)
# each capture's current assessment, as ``Assessments.latest`` picks it (``a``: the assessment, ``c``: its capture)
_SHOWN = (
    "SELECT cur.cam_sha256 FROM captures c JOIN assessments cur ON cur.id = (SELECT a.id FROM assessments a "
    f"WHERE a.capture_id = c.id AND {CURRENT} {NEWEST}) WHERE cur.cam_sha256 IS NOT NULL AND cur.status IS NOT ?"
)


def _plain(value: Any) -> str | int | float | None:
    """A package's value as SQLite takes it (one that is not plain data said as text: it matches nothing)."""
    return value if value is None or isinstance(value, (str, int, float)) else str(value)


def shown_heat_maps(records: Mapping[str, Sequence[Mapping[str, Any]]]) -> set[str]:
    """The digests of the heat maps the app shows for ``records``' captures: each one's current assessment's, where
    that has a result (its rows in the order the register made them: ``NEWEST`` breaks a tie of times by it)."""
    captures = [r for r in records.get("captures", []) if isinstance(r, Mapping)]
    assessments = [r for r in records.get("assessments", []) if isinstance(r, Mapping)]  # with a heat map or not
    if not captures or not any(r.get("cam_sha256") for r in assessments):
        return set()
    with closing(sqlite3.connect(":memory:")) as db:
        for sql in _TABLES:
            db.execute(sql)
        db.executemany(
            "INSERT INTO captures (uid, modality) VALUES (?, ?)",
            [(_plain(r.get("uid")), _plain(r.get("modality"))) for r in captures],
        )
        columns = ("modality", "risk_tier", "status", "created_at", "cam_sha256")
        db.executemany(
            f"INSERT INTO assessments (capture_id, {', '.join(columns)}) SELECT id, ?, ?, ?, ?, ? FROM captures "
            "WHERE uid = ? LIMIT 1",
            [(*(_plain(r.get(k)) for k in columns), _plain(r.get("capture_uid"))) for r in assessments],
        )
        return {str(sha) for (sha,) in db.execute(_SHOWN, (NOT_ASSESSABLE,))}
