"""Lesion numbers across a restore: the numbers the replaced register had given out stay given out.

A lesion's number ("Lesion 2") is its patient's next one when it is made (migration m010). A restore brings
back a register from before some lesions were made; without a floor, the next new lesion would take the
number of a lost one, which a printed report or a note may still name. The restore therefore keeps, per
patient (by uid), the highest number the replaced register had given out, in ``lesion_number_floors``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dermadesk.storage.db import Database

_GIVEN_OUT = (
    "SELECT p.uid, max(l.number) FROM lesions l JOIN patients p ON p.id = l.patient_id "
    "WHERE l.number IS NOT NULL GROUP BY p.uid UNION ALL SELECT patient_uid, last FROM lesion_number_floors"
)


def numbers_given_out(register_file: Path) -> dict[str, int]:
    """Patient uid -> the highest lesion number this register file has given out ({} when there is no file,
    or it is too old to number lesions, or it cannot be read)."""
    if not register_file.is_file():
        return {}
    try:
        conn = sqlite3.connect(f"file:{register_file.as_posix()}?mode=ro", uri=True, timeout=30)
        try:
            rows = conn.execute(_GIVEN_OUT).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    floors: dict[str, int] = {}
    for uid, last in rows:
        if uid is not None and last is not None:
            floors[str(uid)] = max(floors.get(str(uid), 0), int(last))
    return floors


def keep_numbers_given_out(db: Database, floors: dict[str, int]) -> None:
    """Raise this register's floors to ``floors`` (never lower them), in one transaction."""
    if not floors:
        return
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO lesion_number_floors (patient_uid, last) VALUES (?, ?) "
            "ON CONFLICT (patient_uid) DO UPDATE SET last = max(last, excluded.last)",
            sorted(floors.items()),
        )
