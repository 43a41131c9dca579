"""Merging a transfer package's records into a register: plan first (nothing written, here), then one transaction
(``transfer_apply``).

Patients are matched by MRN ignoring case, and only when name and birth date agree (otherwise a conflict:
that patient and everything under it is left out and reported, unless answered "import it as a new patient
under another MRN"), or by uid as one imported so before (``transfer_mrns``). Lesions, captures, assessments and
comparisons are matched by uid; a capture also by its image's sha256 within the same lesion. A patient or
lesion deleted here is a conflict (restore it first). For a record already here, ``transfer_fields.py`` says
which fields are filled in or brought up to date from the package, and ``transfer_answers`` how a field changed
on both sides is answered (an answer given in the package's register against a value here is said so: the plan's
``overruled``). ``transfer_names`` puts records in words: a lesion held here is named as this register names it.
Each ``PatientPlan`` lists its field conflicts by number and counts its values overruled, so that its row says what
waits there.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.modality_ahead import assessment_ahead
from dermadesk.storage.transfer import FOREIGN_KEYS, TABLES, table_columns, validate
from dermadesk.storage.transfer_answers import NO_ANSWERS, Answers, conflict_rows, number
from dermadesk.storage.transfer_fields import UPDATABLE, FieldConflict, FieldUpdate, merge_record
from dermadesk.storage.transfer_mrns import match_patient
from dermadesk.storage.transfer_names import capture_short, deleted_here, key, lesion_short, named, overruled_line

CHILD_TABLES = TABLES[1:]
UNDER = {"lesions": "captures", "captures": "assessments"}  # comparisons are planned per lesion, after its captures
Row = dict[str, Any]


@dataclass
class PatientPlan:
    """One package patient: "new", "present" (possibly with new records) or "conflict" (left out)."""

    mrn: str
    name: str
    birth_date: str | None
    status: str
    reason: str = ""
    new: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHILD_TABLES, 0))
    present: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHILD_TABLES, 0))
    updated: int = 0  # records of this patient (itself included) with fields to update
    fields: list[int] = field(default_factory=list)  # the numbers of its fields changed on both sides
    overruled: int = 0  # its fields whose value here the package's register answered 'keep its own' against
    uid: str = ""
    renamed: str = ""  # its MRN here, where not the package's (``transfer_mrns``: imported under another MRN)
    suggested: str = ""  # a free MRN to import it under, where its MRN is another person's here
    left_out: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))  # with it, under a conflict

    @property
    def here(self) -> str:
        """The MRN it has, or gets, in this register."""
        return self.renamed or self.mrn


@dataclass
class ImportPlan:
    patients: list[PatientPlan] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})  # to add, in order
    # (table, package uid) -> id here; once carried out (``apply_import``), of the records added too
    local_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    left_out: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))  # under a conflict
    conflicts: list[str] = field(default_factory=list)
    fields: list[FieldConflict] = field(default_factory=list)  # every field changed on both sides, numbered
    notes: list[str] = field(default_factory=list)
    updates: list[FieldUpdate] = field(default_factory=list)  # fields of records here to fill in or update
    overruled: list[str] = field(default_factory=list)  # values here the package's answers replace, in words
    renamed: dict[str, dict[str, str]] = field(default_factory=dict)  # uid -> {package_mrn, mrn, why}: added so

    @property
    def added(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in self.rows.items()}

    @property
    def updated(self) -> dict[str, int]:
        return {
            t: sum(1 for u in self.updates if u.table == t and u.changes) for t in TABLES if t in UPDATABLE
        }

    @property
    def update_lines(self) -> list[str]:
        return [line for u in self.updates for line in u.lines]

    @property
    def field_conflicts(self) -> int:
        """Of the fields changed on both sides, those not answered (left as here)."""
        return sum(c.answer is None for c in self.fields)

    @property
    def complete(self) -> bool:
        """Nothing left out under a conflict, and no field changed on both sides left unanswered."""
        return not any(self.left_out.values()) and not self.field_conflicts

    @property
    def changes_anything(self) -> bool:
        return any(self.rows.values()) or bool(self.updates)

    def images(self) -> list[str]:
        """Digests of the images the rows to add need (capture images and heat maps)."""
        shas = {r["image_sha256"] for r in self.rows["captures"]}
        return sorted(shas | {r["cam_sha256"] for r in self.rows["assessments"] if r.get("cam_sha256")})


class _Planner:
    def __init__(self, db: Any, records: dict[str, Any], them: str, answers: Answers) -> None:
        self.db, self.plan, self.them, self.answers = db, ImportPlan(), them, answers  # them: its workstation uid
        self.me = str((db.one("SELECT uid FROM workstations WHERE is_self = 1", ()) or [""])[0])
        hosts = [w for w in records.get("workstations") or [] if isinstance(w, dict) and w.get("uid") == them]
        self.host = str(hosts[0].get("hostname") or "") if hosts else ""  # the package's workstation, by name
        self.children: dict[tuple[str, str], list[Row]] = defaultdict(list)  # (table, parent uid) -> rows
        for table in CHILD_TABLES:
            parent_field = next(iter(FOREIGN_KEYS[table].values()))[0]
            for row in records[table]:
                self.children[(table, row[parent_field])].append(row)
        self.walked = dict.fromkeys(TABLES, 0)
        self.to_add: set[str] = set()  # uids of the records planned as new
        self.mrns = {key(r.get("mrn")) for r in records["patients"]}  # the package's MRNs
        self.offered: set[str] = set()  # MRNs suggested to its patients whose MRN is another person's here
        self.names: dict[str, str] = {}  # package lesion or capture uid -> ``lesion_short``, ``capture_short``
        self.history: dict[str, list[Row]] = defaultdict(list)  # package uid -> its audit entries there
        for entry in records.get("audit") or []:
            if isinstance(entry, dict):
                self.history[str(entry.get("entity_uid"))].append(entry)

    def one(self, sql: str, *params: Any) -> sqlite3.Row | None:
        return self.db.one(sql, params)

    def merge_fields(self, table: str, here: sqlite3.Row, row: Row, what: str, p: PatientPlan) -> None:
        """Plan the fields to fill in or update (``transfer_fields``); list the notes and conflicts."""
        if table not in UPDATABLE:
            return
        if row.get("deleted_at") and not here["deleted_at"]:
            self.plan.notes.append(
                f"{what}: deleted in the package's register on {str(row['deleted_at'])[:10]}; "
                "kept here (delete it here if it should go)"
            )
        entries = [dict(e) for e in self.db.query(
            "SELECT at, actor, action, before, after FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
            (table[:-1], here["id"]))]
        sides = (entries, self.history.get(row["uid"], []), self.me, self.them)
        update, notes, conflicts = merge_record(table, dict(here), row, sides, what, self.answers)
        number(self.plan.fields, conflicts)
        p.fields += [c.number for c in conflicts]
        self.plan.notes += notes
        self.plan.conflicts += [c.text for c in conflicts if c.answer is None]
        if update is not None:
            ahead = self.modality_ahead(table, here, row, update)
            update.lines = [line + ahead if line.startswith(f"{what}: modality ") else line for line in update.lines]
            self.plan.updates.append(update)
            p.updated += bool(update.changes)
            p.overruled += len(update.overruled)
            self.plan.overruled += [overruled_line(what, n, o, self.host) + (ahead if n == "modality" else "")
                                    for n, o in update.overruled.items()]

    def modality_ahead(self, table: str, here: sqlite3.Row, row: Row, update: FieldUpdate) -> str:
        """Where the update makes a capture another modality, what its assessment is then (``modality_ahead``)."""
        if table != "captures" or "modality" not in update.changes:
            return ""
        brought = self.children.get(("assessments", row["uid"]), [])
        return assessment_ahead(self.db, int(here["id"]), str(update.changes["modality"]), brought)

    def leave_out(self, table: str, row: Row, p: PatientPlan) -> None:
        """Count a record and everything under it as left out with a conflict."""
        self.plan.left_out[table] += 1
        p.left_out[table] += 1
        self.walked[table] += 1
        for child in CHILD_TABLES:  # uids are unique across tables: only this record's children match
            for sub in self.children.get((child, row["uid"]), []):
                self.leave_out(child, sub, p)

    def patient(self, row: Row, mrns_seen: set[str]) -> None:
        p = PatientPlan(row.get("mrn", ""), row.get("name", ""), row.get("birth_date"), "new", uid=row["uid"])
        self.plan.patients.append(p)
        history, renames = self.history.get(row["uid"], []), self.answers.renames
        found = match_patient(self.db, row, self.mrns, history, renames, self.offered)
        here, problem = found.here, found.problem
        if key(p.mrn) in mrns_seen:
            problem, found.suggested, found.mrn = "the package holds this MRN twice", "", ""
        mrns_seen.add(key(p.mrn))
        p.renamed, p.suggested = found.mrn, found.suggested
        if problem:
            p.status, p.reason = "conflict", problem
            gone = problem.startswith("deleted in this register")  # says how to let it in
            self.plan.conflicts.append(f"patient {p.mrn}: {problem}" + ("" if gone else "; not merged"))
            self.leave_out("patients", row, p)
            return
        self.walked["patients"] += 1
        if here is None:
            self.plan.rows["patients"].append(row)
            if found.mrn:
                self.plan.renamed[row["uid"]] = {"package_mrn": p.mrn, "mrn": found.mrn, "why": found.why}
                p.reason = f"imported as {found.mrn}, as answered: {found.why}"
        else:
            p.status = "present"
            self.plan.present["patients"] += 1
            self.plan.local_ids[("patients", row["uid"])] = int(here["id"])
            self.merge_fields("patients", here, row, f"patient {p.here}", p)
        for lesion in self.children.get(("lesions", row["uid"]), []):
            self.record("lesions", lesion, p)

    def record(self, table: str, row: Row, p: PatientPlan) -> None:
        """Plan a lesion, capture or assessment (and what hangs under it) against its parent's plan."""
        column, (parent_field, parent_table) = next(iter(FOREIGN_KEYS[table].items()))
        parent_here = self.plan.local_ids.get((parent_table, row[parent_field]))
        here = self.one(f"SELECT * FROM {table} WHERE uid = ?", row["uid"])
        if here is None and table == "captures" and parent_here is not None:
            here = self.one(
                "SELECT * FROM captures WHERE lesion_id = ? AND image_sha256 = ? ORDER BY id LIMIT 1",
                parent_here,
                row.get("image_sha256"),
            )
        under = self.names.get(row[parent_field], "")  # a capture's lesion, an assessment's capture, in words
        several = table == "assessments" and len(self.children.get((table, row[parent_field]), [])) > 1
        if here is not None and here[column] != parent_here:
            self.plan.conflicts.append(f"{named(table, row, p.here, None, under, several)}: it belongs to another "
                                       "record here; left out")
            p.reason = p.reason or "some records are left out (see the conflicts)"
            self.leave_out(table, row, p)
            return
        if here is not None and table == "lesions" and here["deleted_at"]:
            gone = deleted_here("lesion", here["deleted_at"])
            self.plan.conflicts.append(f"{named(table, row, p.here, here)}: {gone}")
            p.reason = p.reason or "some records are left out (see the conflicts)"
            self.leave_out(table, row, p)
            return
        self.walked[table] += 1
        if table in ("lesions", "captures"):
            self.names[row["uid"]] = lesion_short(row, here) if table == "lesions" else capture_short(row, here, under)
        if here is None and table == "lesions" and number_taken(self.db, parent_here, row.get("number")):
            self.plan.notes.append(f"{named(table, row, p.here)}: lesion {row['number']} in the package; that "
                                   "number is taken here, so it becomes this patient's next lesion number")
        if here is None:
            self.plan.rows[table].append(row)
            self.to_add.add(row["uid"])
            p.new[table] += 1
        else:
            self.plan.local_ids[(table, row["uid"])] = int(here["id"])
            self.plan.present[table] += 1
            p.present[table] += 1
            self.merge_fields(table, here, row, named(table, row, p.here, here, under, several), p)
        if table in UNDER:
            for sub in self.children.get((UNDER[table], row["uid"]), []):
                self.record(UNDER[table], sub, p)
        if table == "lesions":
            for cmp_ in self.children.get(("comparisons", row["uid"]), []):
                self.comparison(cmp_, p)

    def comparison(self, row: Row, p: PatientPlan) -> None:
        pair = (row["baseline_capture_uid"], row["followup_capture_uid"])
        if any(("captures", uid) not in self.plan.local_ids and uid not in self.to_add for uid in pair):
            self.leave_out("comparisons", row, p)  # one of its captures was left out with a conflict
            return
        self.walked["comparisons"] += 1
        here = self.one("SELECT id FROM comparisons WHERE uid = ?", row["uid"])
        if here is None:
            self.plan.rows["comparisons"].append(row)
            p.new["comparisons"] += 1
        else:
            self.plan.present["comparisons"] += 1
            p.present["comparisons"] += 1


def number_taken(db: Any, patient_id: int | None, number: Any) -> bool:
    """A lesion number already held by another lesion of this patient here (kept otherwise, as in the package)."""
    if patient_id is None or number is None:
        return False
    return db.one("SELECT 1 FROM lesions WHERE patient_id = ? AND number = ?", (patient_id, number)) is not None


def plan_import(db: Any, records: dict[str, Any], source: str = "", answers: Answers = NO_ANSWERS) -> ImportPlan:
    """What importing these records (from workstation uid ``source``) would add, find already here, and leave
    out, with fields changed on both sides ``answers`` answers; nothing is written."""
    validate(table_columns(db), records)
    planner = _Planner(db, records, source, answers)
    seen: set[str] = set()
    for row in records["patients"]:
        planner.patient(row, seen)
    stray = {t: len(records[t]) - planner.walked[t] for t in TABLES if len(records[t]) != planner.walked[t]}
    if stray:
        raise IntegrityError(f"the package holds records that point at nothing in it ({stray})")
    return planner.plan


def describe(plan: ImportPlan) -> dict[str, Any]:
    """The plan as plain data (for --json and the preview)."""
    return {
        "add": plan.added,
        "update": plan.updated,
        "present": plan.present,
        "left_out": plan.left_out,
        "updates": plan.update_lines,
        "overruled": plan.overruled,
        "renamed": list(plan.renamed.values()),
        "conflicts": plan.conflicts,
        "complete": plan.complete,
        "notes": plan.notes,
        "field_conflicts": conflict_rows(plan.fields),
        "patients": [asdict(p) for p in plan.patients],
    }
