"""Who set a record's field to the value it holds, and when, from the audit log, through transfers: a value saved
here is its audit row's (actor, time); a value that came in a transfer package is the row of the register where it
was saved, carried in the import's audit row (an "import" keeps the package's history of the record, an
"import-update" that of the fields it changed), named with that workstation ("dr.x at CLINIC-2"). A decision saved
on a field laptop and brought to the clinic keeps its day there: the follow-up interval runs from it on both."""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from dermadesk.domain.text import who_text

Stamp = tuple[str, str]  # (who, when: an audit time stamp)


def _as_dict(value: Any) -> dict[str, Any] | None:
    """An audit entry's ``before``/``after`` as a dict (JSON text in a package's history); None where none."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _host(after: Mapping[str, Any]) -> str:
    package = after.get("package")
    ws = package.get("workstation") if isinstance(package, dict) else None
    return str(ws.get("hostname") or "") if isinstance(ws, dict) else ""


def _history(after: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A transfer audit row's package history of the record, newest first."""
    history = after.get("history")
    return [h for h in reversed(history) if isinstance(h, dict)] if isinstance(history, list) else []


def who_set(entries: Iterable[Mapping[str, Any]], name: str, value: Any, host: str = "") -> Stamp | None:
    """(who, when) set field ``name`` to ``value``, as it stands after ``entries`` (one record's audit entries,
    newest first: ``Audit.entries`` as dicts, or a package's history); ``host``: the workstation the entries are
    of, where not this one. None where the log does not tell: a value changed otherwise (an undo, a correction
    of another kind), or a transfer that carried no row of it."""
    return who_set_any(entries, {name: value}, host)


def who_set_any(entries: Iterable[Mapping[str, Any]], values: Mapping[str, Any], host: str = "") -> Stamp | None:
    """(who, when) last changed any of the fields ``values`` names to the values it gives (as they stand), as
    ``who_set`` reads one: a review's decision and its re-check interval together, the latest entry that changed
    either (a clinician who changed only the interval is who set the review as it stands, that day its day)."""
    for entry in entries:
        action = entry.get("action")
        after, before = _as_dict(entry.get("after")) or {}, _as_dict(entry.get("before"))
        if action in ("import", "import-update"):
            row = after.get("row") if action == "import" else after
            touched = [name for name in values if isinstance(row, dict) and name in row]
            if not isinstance(row, dict) or not touched:
                continue  # an update of other fields
            if any(row[name] != values[name] for name in touched):
                return None
            there = _host(after)
            found = who_set_any(_history(after), values, there)
            if found is None and action == "import-update" and after.get("changed_at"):
                return (f"workstation {there}" if there else "another workstation", str(after["changed_at"]))
            return found
        touched = [name for name in values if before is not None and name in before and name in after]
        if touched:
            if action != "update" or any(after[name] != values[name] for name in touched):
                return None
            who = who_text(str(entry.get("actor") or ""))  # "root (the computer's account)", never "by root"
            return (f"{who} at {host}" if host and who else who or f"workstation {host}", str(entry.get("at") or ""))
    return None
