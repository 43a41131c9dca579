"""What the imports of one transfer package wrote here, read back from their audit rows ("import" for a record added,
"import-update" for one brought up to date: ``transfer_apply``): the captures whose date or scale they corrected or
whose decision they brought, the captures they added, and the captures of the assessments and comparisons they added.
An import whose comparing was cancelled is finished by importing the same package again (nothing is imported twice):
these tell what that comparing was for, after the package's records are all here."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from dermadesk.storage.db import Database


@dataclass
class PackageImported:
    """By ids here: ``corrected`` the captures an import of the package corrected (a field of ``fields`` changed),
    ``decided`` those whose decision it brought (updated, or added with the capture), ``added`` the captures it added,
    ``assessed`` the captures of the assessments it added, of the two of each comparison it added, and those whose
    modality it corrected."""

    corrected: set[int] = field(default_factory=set)
    decided: set[int] = field(default_factory=set)
    added: set[int] = field(default_factory=set)
    assessed: set[int] = field(default_factory=set)


def _after(text: str | None) -> dict[str, Any]:
    try:
        after = json.loads(text or "")
    except ValueError:
        return {}
    return after if isinstance(after, dict) else {}


def package_imported(db: Database, package_uid: str, fields: Collection[str]) -> PackageImported:
    """What the imports of the package ``package_uid`` done here so far wrote (see ``PackageImported``); ``fields``: a
    capture's fields whose change is a correction (its date, its scale). Empty where it was never imported."""
    out = PackageImported()
    if not package_uid:
        return out
    rows = db.query(
        "SELECT entity, entity_id, action, after FROM audit_log WHERE action IN ('import', 'import-update') "
        "AND entity IN ('capture', 'assessment', 'comparison') AND instr(after, ?) > 0 ORDER BY id",
        (package_uid,),
    )
    for entity, entity_id, action, text in rows:
        after = _after(text)
        if (after.get("package") or {}).get("package_uid") != package_uid or entity_id is None:
            continue
        row = after.get("row") or {}
        if entity == "capture" and action == "import-update":
            out.corrected.update([entity_id] if set(fields) & after.keys() else [])
            out.decided.update([entity_id] if "decision" in after else [])
            out.assessed.update([entity_id] if "modality" in after else [])  # its assessment now: another, or none
        elif entity == "capture":
            out.added.add(entity_id)
            out.decided.update([entity_id] if row.get("decision") else [])
        elif entity == "assessment" and action == "import":
            out.assessed.update([row["capture_id"]] if row.get("capture_id") else [])
        elif entity == "comparison" and action == "import":
            out.assessed.update(row[k] for k in ("baseline_capture_id", "followup_capture_id") if row.get(k))
    return out


def packages_of(db: Database, lesion_id: int) -> list[tuple[str, str]]:
    """(package uid, its file name) of each transfer package whose import here added or updated a capture of the lesion
    ``lesion_id``, or added an assessment of one or a comparison of the lesion: the latest import first, each package
    once. Reads that lesion's audit rows only (by the audit log's index)."""
    rows = db.query(
        "SELECT after FROM audit_log WHERE action IN ('import', 'import-update') AND ("
        "(entity = 'capture' AND entity_id IN (SELECT id FROM captures WHERE lesion_id = ?)) OR "
        "(entity = 'assessment' AND entity_id IN (SELECT a.id FROM assessments a "
        "JOIN captures c ON c.id = a.capture_id WHERE c.lesion_id = ?)) OR "
        "(entity = 'comparison' AND entity_id IN (SELECT id FROM comparisons WHERE lesion_id = ?))) ORDER BY id DESC",
        (lesion_id, lesion_id, lesion_id),
    )
    out: dict[str, str] = {}
    for (text,) in rows:
        package = _after(text).get("package") or {}
        if package.get("package_uid"):
            out.setdefault(str(package["package_uid"]), str(package.get("file") or "the package"))
    return list(out.items())


def lesions_to_correct(db: Database, records: dict[str, Any], fields: Collection[str]) -> list[int]:
    """The ids here of the package's lesions (by uid, not deleted) with a capture whose ``fields`` (its date, its
    scale) the package holds otherwise than here, or that is not here by its uid: those whose stored comparisons an
    import of it may make stale, or current again. By id."""
    lesions = {str(uid): int(i) for i, uid in db.query("SELECT id, uid FROM lesions WHERE deleted_at IS NULL")}
    columns = ", ".join(fields)
    here = {str(r[0]): tuple(r[1:]) for r in db.query(f"SELECT uid, {columns} FROM captures")}
    out = set()
    for row in records.get("captures") or []:
        lesion_id = lesions.get(str(row.get("lesion_uid")))
        if lesion_id is not None and here.get(str(row.get("uid"))) != tuple(row.get(f) for f in fields):
            out.add(lesion_id)
    return sorted(out)
