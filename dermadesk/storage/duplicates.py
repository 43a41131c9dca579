"""Patients who may already be the one being added: born the same day, the name the same or alike
(``domain.names``); deleted patients too.

The patients born that day are read (the table scanned: no index on the birth date, 100,000 patients about 5-10 ms)
and their names compared here; a birth date is shared by a few patients, so the comparing costs nothing.
"""

from __future__ import annotations

from dermadesk.domain.names import SAME, fold_name, name_likeness
from dermadesk.storage.db import Database


def likely_same(db: Database, name: str, birth_date: str, other_than: int | None = None) -> list[tuple[int, str]]:
    """(patient id, ``SAME`` or ``ALIKE``) of the patients born on ``birth_date`` (ISO) whose name is the same as
    ``name`` or alike, other than ``other_than`` (the patient being edited): the same names first, then the patients
    not deleted, then by name."""
    folded = fold_name(name)
    rows = db.query(
        "SELECT id, name, deleted_at IS NOT NULL AS gone FROM patients WHERE birth_date = ? AND id IS NOT ?",
        (birth_date, other_than),
    )
    found = [
        (how, row["gone"], row["name"], row["id"])
        for row in rows
        if (how := name_likeness(folded, fold_name(row["name"])))
    ]
    found.sort(key=lambda f: (f[0] != SAME, f[1], f[2].casefold(), f[3]))
    return [(id_, how) for how, _, _, id_ in found]
