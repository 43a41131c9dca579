"""A transfer package's records checked for shape (``validate``), and the field rule for a record both sides
already hold:

- A field empty here and set in the package is filled in from the package.
- A field set on both sides with different values: the newer change wins. Patients and lesions are judged by
  their ``updated_at``; captures (no such column: their review, notes and date are changed in place) by the
  time of the last change in their audit history (here: this register's audit log; in the package: the
  history it carries; a record imported earlier counts the history it came with).
- When the times cannot decide (one is unknown, or they are equal), it is a conflict: listed, left as here.
- A field set here and empty in the package is kept as it is here (an import never empties a field).

Each update is written with an audit row ("import-update") whose ``before`` holds the value it replaced (the
older side's) and whose ``after`` names the package and the workstation it came from.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable

from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.transfer import FOREIGN_KEYS, TABLES

UPDATABLE = {  # fields an import may fill in or bring up to date on a record both sides hold
    "patients": ("birth_date", "sex", "skin_type", "notes"),
    "lesions": ("site", "label", "status", "body_view", "body_x", "body_y"),
    "captures": ("taken_at", "decision", "clinician_notes", "notes", "mm_per_px"),
}
ROW_TIME = {"patients": "updated_at", "lesions": "updated_at"}  # tables whose rows carry their change time


@dataclass
class FieldUpdate:
    """Fields of one record here to change from the package; ``lines`` says each in words."""

    table: str
    local_id: int
    before: dict[str, Any]
    changes: dict[str, Any]
    changed_at: str | None
    lines: list[str] = field(default_factory=list)


def empty(value: Any) -> bool:
    return value is None or value == ""


def shown(value: Any) -> str:
    return "(empty)" if empty(value) else repr(value)


def label(name: str) -> str:
    return name.replace("_", " ")


def _differ(name: str) -> str:
    """ "clinician notes differ", "decision differs"."""
    return f"{label(name)} {'differ' if name.endswith('notes') else 'differs'}"


def last_change(entries: Iterable[dict[str, Any]]) -> str | None:
    """The time of the newest change among audit entries {at, action, after}: an "import" entry counts the
    history it came with, an "import-update" its ``changed_at``; None when there is none."""
    times: list[str] = []
    for entry in entries:
        after: Any = entry.get("after")
        if isinstance(after, str):
            try:
                after = json.loads(after)
            except ValueError:
                after = None
        action = entry.get("action")
        if action == "import" and isinstance(after, dict) and isinstance(after.get("history"), list):
            inner = last_change(h for h in after["history"] if isinstance(h, dict))
            if inner:
                times.append(inner)
        elif action == "import-update" and isinstance(after, dict) and after.get("changed_at"):
            times.append(str(after["changed_at"]))
        elif entry.get("at"):
            times.append(str(entry["at"]))
    return max(times) if times else None


def compare(
    table: str,
    local_id: int,
    here: dict[str, Any],
    row: dict[str, Any],
    here_time: str | None,
    package_time: str | None,
    what: str,
) -> tuple[FieldUpdate | None, list[str], list[str]]:
    """(the update to make or None, notes, conflicts) for one record held on both sides."""
    changes: dict[str, Any] = {}
    lines: list[str] = []
    notes: list[str] = []
    conflicts: list[str] = []
    package_newer = bool(here_time and package_time and package_time > here_time)
    here_newer = bool(here_time and package_time and here_time > package_time)
    for name in UPDATABLE.get(table, ()):
        if name not in row or here[name] == row[name] or (empty(here[name]) and empty(row[name])):
            continue
        h, p = here[name], row[name]
        if empty(p):
            notes.append(
                f"{what}: {label(name)} {'are' if name.endswith('notes') else 'is'} empty in the package; kept as "
                f"it is here ({shown(h)})"
            )
        elif empty(h):
            changes[name] = p
            lines.append(
                f"{what}: {label(name)} filled in from the package (here: (empty), in the package: {shown(p)})"
            )
        elif package_newer:
            changes[name] = p
            lines.append(
                f"{what}: {label(name)} {shown(h)} -> {shown(p)} (changed later in the package: "
                f"{package_time}; here: {here_time})"
            )
        elif here_newer:
            notes.append(
                f"{what}: {_differ(name)} (here: {shown(h)}, in the package: {shown(p)}); kept as "
                f"it is here, changed later here ({here_time}; in the package: {package_time})"
            )
        else:
            conflicts.append(
                f"{what}: {_differ(name)} (here: {shown(h)}, in the package: {shown(p)}) and "
                "the change times cannot tell which is newer; left as it is here"
            )
    if not changes:
        return None, notes, conflicts
    known = [t for t in (here_time, package_time) if t]
    changed_at = max(known) if known else None
    if table in ROW_TIME and changed_at:
        changes[ROW_TIME[table]] = changed_at
    before = {name: here[name] for name in changes}
    return FieldUpdate(table, local_id, before, changes, changed_at, lines), notes, conflicts


def validate(db_columns: dict[str, set[str]], records: dict[str, Any]) -> None:
    """Refuse (IntegrityError) records of the wrong shape before anything is planned or written."""
    for table in TABLES:
        allowed = db_columns[table] - {"id"} - set(FOREIGN_KEYS[table])
        links = {f for f, _ in FOREIGN_KEYS[table].values()}
        for row in records[table]:
            if not isinstance(row, dict):
                raise IntegrityError(f"a {table[:-1]} record in the package is not an object")
            try:
                uuid.UUID(str(row.get("uid")))
                for link in links:
                    uuid.UUID(str(row.get(link)))
            except ValueError:
                raise IntegrityError(f"a {table[:-1]} record in the package has no valid uid") from None
            unknown = set(row) - allowed - links
            if unknown:
                raise IntegrityError(
                    f"a {table[:-1]} record in the package has fields this DermaDesk does not "
                    f"know: {', '.join(sorted(unknown))[:120]}"
                )
            if any(v is not None and not isinstance(v, (str, int, float)) for v in row.values()):
                raise IntegrityError(f"a {table[:-1]} record in the package holds a value that is not plain data")
        uids = [r["uid"] for r in records[table]]
        if len(uids) != len(set(uids)):
            raise IntegrityError(f"the package holds a {table[:-1]} twice")


def table_columns(db: Any) -> dict[str, set[str]]:
    return {t: {r[1] for r in db.query(f"PRAGMA table_info({t})")} for t in TABLES}
