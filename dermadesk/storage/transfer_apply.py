"""Writing an import (``transfer_merge`` plans it): the images the plan needs, then every row and its audit row in
one transaction, planned again under the write lock.

Every added row gets an audit row ("import") naming the package, the workstation it came from, and the record's
history there (and, for a patient imported under another MRN, ``renamed``); every update, and every answer, an
"import-update" row holding what ``transfer_fields`` reads at the next import (``agreed``, ``seen``, ``kept``,
``settled``, ``overruled``).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any, Callable

from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.register import Register
from dermadesk.storage.repositories import Audit
from dermadesk.storage.transfer import FOREIGN_KEYS, TABLES
from dermadesk.storage.transfer_answers import NO_ANSWERS, Answers
from dermadesk.storage.transfer_files import each_file, image_files
from dermadesk.storage.transfer_merge import ImportPlan, Row, number_taken, plan_import
from dermadesk.storage.transfer_shown import shown_heat_maps


def insert_row(conn: sqlite3.Connection, table: str, values: Row) -> int:
    """One INSERT (a seam for fault-injection tests)."""
    cols = ", ".join(values)
    cur = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(values))})", tuple(values.values()))
    return int(cur.lastrowid or 0)  # always set by an INSERT


def apply_import(
    register: Register,
    records: dict[str, Any],
    image: Callable[[str], bytes],
    actor: str,
    source: dict[str, Any],
    workstations: list[dict[str, Any]],
    progress: Callable[[float, str], None],
    cancel: Callable[[], None] | None = None,
    answers: Answers = NO_ANSWERS,
) -> ImportPlan:
    """Write the images the plan needs (idempotent, before any row), then every row and its audit row in one
    transaction (planned again under the write lock, with the same ``answers``). Returns the plan that was carried
    out, its ``local_ids`` naming the records added too. ``cancel`` (raises to stop) is called between images; once the
    transaction has begun it runs to its end."""
    them = str((source.get("workstation") or {}).get("uid") or "")
    first = plan_import(register.database, records, them, answers)
    if not first.changes_anything:
        return first
    # the files ``first.images()`` names: capture images, then heat maps, those the package's own rows show counted
    files = image_files(first.rows, shown_heat_maps(records))
    total = sum(len(shas) for shas in files.values())
    for i, (sha, said) in enumerate(each_file(files)):
        if cancel is not None:
            cancel()
        if not register.images.exists(sha):
            register.images.put(image(sha))
        progress(0.5 * (i + 1) / max(total, 1), f"storing {said}")
    history: dict[str, list[Row]] = defaultdict(list)
    for entry in records.get("audit", []):
        if isinstance(entry, dict):
            history[str(entry.get("entity_uid"))].append({k: v for k, v in entry.items() if k != "entity_uid"})
    audit = Audit(register.database)
    with register.database.transaction() as conn:
        plan = plan_import(register.database, records, them, answers)
        for sha in plan.images():  # the register may have changed since the first plan
            if not register.images.exists(sha):
                register.images.put(image(sha))
        for ws in workstations:
            conn.execute(
                "INSERT OR IGNORE INTO workstations (uid, hostname, is_self, first_seen) VALUES (?, ?, 0, "
                "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (str(ws["uid"]), str(ws.get("hostname") or "?")),
            )
        ids = dict(plan.local_ids)
        total, done = max(sum(plan.added.values()), 1), 0
        for table in TABLES:
            for row in plan.rows[table]:
                values = {k: v for k, v in row.items() if k not in {f for f, _ in FOREIGN_KEYS[table].values()}}
                for column, (link, parent) in FOREIGN_KEYS[table].items():
                    values[column] = ids[(parent, row[link])]
                if table == "lesions" and number_taken(register.database, values["patient_id"], values.get("number")):
                    values["number"] = None  # the schema's trigger gives it the patient's next number
                renamed = plan.renamed.get(row["uid"]) if table == "patients" else None
                if renamed:
                    values["mrn"] = renamed["mrn"]  # its MRN is another person's here: a new patient, as answered
                try:
                    new_id = insert_row(conn, table, values)
                except sqlite3.IntegrityError as exc:
                    raise IntegrityError(
                        f"a {table[:-1]} record in the package is not valid here ({exc}); nothing was imported"
                    ) from None
                ids[(table, row["uid"])] = new_id
                stored = dict(conn.execute(f"SELECT * FROM {table} WHERE id = ?", (new_id,)).fetchone())
                audit.write(
                    actor,
                    "import",
                    table[:-1],
                    new_id,
                    None,
                    {
                        "row": stored,
                        "package": source,
                        "history": history.get(row["uid"], []),
                        **({"renamed": renamed} if renamed else {}),
                    },
                )
                done += 1
                progress(0.5 + 0.5 * done / total, f"importing record {done} of {total}")
        for update in plan.updates:  # an update that only answers 'keep' changes no field: its audit row says so
            sets = ", ".join(f"{k} = ?" for k in update.changes)
            if update.changes:
                conn.execute(
                    f"UPDATE {update.table} SET {sets} WHERE id = ?", (*update.changes.values(), update.local_id)
                )
            audit.write(
                actor,
                "import-update",
                update.table[:-1],
                update.local_id,
                update.before,
                {
                    **update.changes,
                    "changed_at": update.changed_at,
                    "package": source,
                    "agreed": update.agreed,
                    "seen": update.seen,
                    "history": history.get(update.uid, []),  # who changed it there, and when (``who_set``)
                    **({"kept": update.kept} if update.kept else {}),
                    **({"settled": update.settled} if update.settled else {}),
                    **({"overruled": update.overruled} if update.overruled else {}),
                },
            )
    plan.local_ids.update(ids)  # the records added too, by their ids here: what the import brought, to compare
    return plan
