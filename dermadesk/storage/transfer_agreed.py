"""What two registers last agreed on a record both hold (``agreed_base``), read from the audit logs: the rows of
the imports between them, here and in the history a package carries (see ``transfer_fields`` for the whole rule).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, NamedTuple

UPDATABLE = {  # fields an import may fill in or bring up to date on a record both sides hold
    "patients": ("birth_date", "sex", "skin_type", "notes"),
    "lesions": ("site", "label", "status", "body_view", "body_x", "body_y"),
    "captures": (
        "taken_at",
        "decision",
        "recheck_months",
        "clinician_notes",
        "notes",
        "mm_per_px",
        "modality",
        "polarisation",
        "magnification",
    ),
}
SYNC_ACTIONS = ("import", "import-update")  # audit rows that record what the two sides agreed on


def audit_after(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An audit entry's ``after`` as a dict (stored as JSON text; {} where it is none or unreadable)."""
    after: Any = entry.get("after")
    if isinstance(after, str):
        try:
            after = json.loads(after)
        except ValueError:
            after = None
    return after if isinstance(after, dict) else {}


def last_change(entries: Iterable[dict[str, Any]]) -> str | None:
    """The time of the newest change among audit entries {at, action, after}: an "import" entry counts the
    history it came with, an "import-update" its ``changed_at``; None when there is none."""
    times: list[str] = []
    for entry in entries:
        after, action = audit_after(entry), entry.get("action")
        if action == "import" and isinstance(after.get("history"), list):
            inner = last_change(h for h in after["history"] if isinstance(h, dict))
            if inner:
                times.append(inner)
        elif action == "import-update" and after.get("changed_at"):
            times.append(str(after["changed_at"]))
        elif entry.get("at"):
            times.append(str(entry["at"]))
    return max(times) if times else None


def newest(entries: Iterable[dict[str, Any]]) -> str:
    """The newest ``at`` among a package's own history entries of a record ("" for none)."""
    return max((str(e["at"]) for e in entries if e.get("at")), default="")


def _source(after: dict[str, Any]) -> str:
    package: Any = after.get("package")
    ws: Any = package.get("workstation") if isinstance(package, dict) else None
    return str(ws.get("uid") or "") if isinstance(ws, dict) else ""


Found = tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]  # (order key, agreed, kept, settled)


def _walk(table: str, entries: Iterable[dict[str, Any]], peer: str, here: bool) -> Found | None:
    """(order key, agreed values, ``kept``, ``settled``) after the last sync row with ``peer`` among one side's
    entries (oldest first). The order key is always a time on the package's clock: for a row here, the newest package
    history entry that import had seen; for a row in the package, its own time."""
    found: Found | None = None
    names = UPDATABLE.get(table, ())
    for entry in entries:
        after = audit_after(entry)
        if entry.get("action") not in SYNC_ACTIONS or not peer or _source(after) != peer:
            continue
        base = dict(found[1]) if found else {}
        kept: dict[str, Any] = {}
        settled: dict[str, Any] = {}
        if entry.get("action") == "import" and isinstance(after.get("row"), dict):
            base = {k: v for k, v in after["row"].items() if k in names}
            history: Any = after.get("history")
            seen = newest(h for h in history if isinstance(h, dict)) if isinstance(history, list) else ""
        elif isinstance(after.get("agreed"), dict):  # a field it lacks (not updatable then: modality) keeps its value
            base.update({k: v for k, v in after["agreed"].items() if k in names})
            seen = str(after.get("seen") or "")
            kept = after["kept"] if isinstance(after.get("kept"), dict) else {}
            settled = after["settled"] if isinstance(after.get("settled"), dict) else {}
        else:  # an import-update written before ``agreed`` was kept: the fields it brought over
            base.update({k: v for k, v in after.items() if k in names})
            seen = ""
        found = ((seen if here else "") or str(entry.get("at") or ""), base, kept, settled)
    return found


class Agreed(NamedTuple):
    """What two registers last agreed on a record (``agreed_base``): the field ``values``; of them those answered
    ``KEEP`` here (``kept``: package values seen here, when the row here counts) or in the package's register
    (``overruled``: values of this register seen there and not taken, when the package's row counts), the values
    those answers kept (``settled``: of the register that answered), and when the package's row was written there
    (``at``, on the package's clock)."""

    values: dict[str, Any]
    kept: dict[str, Any]
    overruled: dict[str, Any]
    settled: dict[str, Any]
    at: str = ""


def agreed_base(table: str, here: list[dict[str, Any]], package: list[dict[str, Any]], me: str, them: str) -> Agreed:
    """The field values this register (workstation ``me``) and the package's (``them``) last agreed on, from
    the audit entries here and the history in the package (each oldest first), {} when they never exchanged it."""
    mine, theirs = _walk(table, here, them, True), _walk(table, package, me, False)
    if theirs and (not mine or theirs[0] > mine[0]):
        return Agreed(theirs[1], {}, theirs[2], theirs[3], theirs[0])
    return Agreed(mine[1], mine[2], {}, mine[3]) if mine else Agreed({}, {}, {}, {})
