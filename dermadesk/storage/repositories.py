"""Repositories: rows in, records out; every change writes its audit row in the same transaction."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
import uuid
from dataclasses import fields
from typing import Any, Iterable, TypeVar

from dermadesk.domain.errors import DuplicateError, NotFoundError, ValidationError
from dermadesk.domain.records import (DECISIONS, LESION_STATUSES, MODALITIES, POLARISATIONS, SEXES, SITES,
                                      SKIN_TYPES, AuditEntry, Capture, Comparison, Lesion, Patient,
                                      check_birth_date, check_choice, check_recheck, check_taken_at)
from dermadesk.domain.text import clean_file_name, clean_text
from dermadesk.storage.audit_chain import GENESIS, row_hash
from dermadesk.storage.db import Database, utc_now
from dermadesk.storage.migrations import ORIGIN_TABLES, UID_TABLES
from dermadesk.storage.search import search_patient_ids

T = TypeVar("T")
_JSON_COLUMNS = {"probabilities", "quality", "reasons", "metrics", "transform", "before", "after", "status_reasons"}


def _record(cls: type[T], row: sqlite3.Row | None) -> T:
    if row is None:
        raise NotFoundError(f"{cls.__name__.lower()} not found")
    keys = row.keys()
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in keys:
            v = row[f.name]
            values[f.name] = json.loads(v) if f.name in _JSON_COLUMNS and isinstance(v, str) else v
    if "ood_flag" in values:
        values["ood_flag"] = bool(values["ood_flag"])
    return cls(**values)


class Audit:
    """Append-only, hash-chained audit log (UPDATE, DELETE and REPLACE are refused by triggers)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def write(self, actor: str, action: str, entity: str, entity_id: int | None,
              before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Append one row holding the previous row's hash (call inside the change's transaction)."""
        last = self.db.conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        row = dict(id=last[0] + 1 if last else 1, at=utc_now(), actor=actor or "unknown", action=action,
                   entity=entity, entity_id=entity_id,
                   before=json.dumps(before, default=str) if before is not None else None,
                   after=json.dumps(after, default=str) if after is not None else None)
        prev = last[1] if last else GENESIS
        self.db.conn.execute(
            "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)", (*row.values(), prev, row_hash(prev, row)))

    def entries(self, entity: str | None = None, entity_id: int | None = None, limit: int = 1000) -> list[AuditEntry]:
        sql, params = "SELECT * FROM audit_log", []
        if entity is not None:
            sql += " WHERE entity = ?" + (" AND entity_id = ?" if entity_id is not None else "")
            params = [entity] + ([entity_id] if entity_id is not None else [])
        rows = self.db.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [_record(AuditEntry, r) for r in rows]


class _Repo:
    table = ""
    record: type = object

    def __init__(self, db: Database, audit: Audit) -> None:
        self.db, self.audit = db, audit

    def _row(self, id_: int) -> dict[str, Any]:
        row = self.db.one(f"SELECT * FROM {self.table} WHERE id = ?", (id_,))
        if row is None:
            raise NotFoundError(f"{self.table[:-1]} {id_} not found")
        return dict(row)

    def get(self, id_: int) -> Any:
        row = self.db.one(f"SELECT * FROM {self.table} WHERE id = ?", (id_,))
        if row is None:
            raise NotFoundError(f"{self.table[:-1]} {id_} not found")
        return _record(self.record, row)

    def _insert(self, actor: str, values: dict[str, Any], action: str = "create") -> int:
        """Insert a row (with a new uid, and this workstation as the origin where the table has one) and its
        audit row, in one transaction."""
        if self.table in UID_TABLES:
            values = {"uid": str(uuid.uuid4()), **values}
        if self.table in ORIGIN_TABLES and values.get("origin") is None:
            values = {**values, "origin": workstation_uid(self.db)}
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self.db.transaction() as conn:
            cur = conn.execute(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", tuple(values.values()))
            new_id = int(cur.lastrowid or 0)  # always set by an INSERT
            self.audit.write(actor, action, self.table[:-1], new_id, None, self._row(new_id))
        return new_id

    def _update(self, actor: str, id_: int, changes: dict[str, Any], action: str = "update") -> None:
        if not changes:
            return
        with self.db.transaction() as conn:
            before = self._row(id_)
            real = {k: v for k, v in changes.items() if k != "updated_at" and before.get(k) != v}
            if not real:
                return  # nothing changed: no write, no audit row
            if "updated_at" in before:
                real_with_time = {**real, "updated_at": changes.get("updated_at") or utc_now()}
            else:
                real_with_time = real
            sets = ", ".join(f"{k} = ?" for k in real_with_time)
            conn.execute(f"UPDATE {self.table} SET {sets} WHERE id = ?", (*real_with_time.values(), id_))
            after = self._row(id_)
            self.audit.write(actor, action, self.table[:-1], id_, {k: before[k] for k in real},
                             {k: after[k] for k in real})

    def soft_delete(self, actor: str, id_: int) -> None:
        if self._row(id_)["deleted_at"] is not None:
            return
        self._update(actor, id_, {"deleted_at": utc_now()}, action="delete")

    def restore(self, actor: str, id_: int) -> None:
        if self._row(id_)["deleted_at"] is None:
            return
        self._update(actor, id_, {"deleted_at": None}, action="restore")


def workstation_uid(db: Database) -> str:
    """This register's workstation identity (a uuid4 stored once, by migration m008)."""
    row = db.one("SELECT uid FROM workstations WHERE is_self = 1")
    if row is None:
        raise NotFoundError("this register has no workstation identity")
    return str(row[0])


def _constraint_error(exc: sqlite3.IntegrityError, what: str) -> Exception:
    msg = str(exc)
    if "UNIQUE" in msg and "mrn" in msg:
        return DuplicateError(f"a patient with MRN {what} already exists")
    if "FOREIGN KEY" in msg:
        return NotFoundError(f"{what}: referenced record does not exist")
    return ValidationError(f"{what}: {msg}")


class Patients(_Repo):
    table, record = "patients", Patient

    @staticmethod
    def clean(values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        if "mrn" in out:
            raw = out["mrn"] or ""
            if any(c in raw.strip() for c in "\t\n\r"):
                raise ValidationError("MRN must be 1 to 64 characters on one line")
            mrn = clean_text(raw, "MRN")
            if not mrn or len(mrn) > 64:
                raise ValidationError("MRN must be 1 to 64 characters on one line")
            out["mrn"] = mrn
        if "name" in out:
            name = clean_text(out["name"], "patient name", max_len=200)
            if not name:
                raise ValidationError("patient name must not be empty")
            out["name"] = name
        if out.get("notes") is not None:
            out["notes"] = clean_text(out["notes"], "notes", multiline=True)
        if "birth_date" in out:
            out["birth_date"] = check_birth_date(out["birth_date"])
        if "sex" in out:
            out["sex"] = check_choice(out["sex"], SEXES, "sex")
        if "skin_type" in out:
            value = out["skin_type"]
            out["skin_type"] = check_choice(value.upper() if isinstance(value, str) else value, SKIN_TYPES,
                                            "Fitzpatrick skin type")
        return out

    def add(self, actor: str, mrn: str, name: str, birth_date: str | None = None, sex: str | None = None,
            skin_type: str | None = None, notes: str = "") -> Patient:
        values = self.clean(dict(mrn=mrn, name=name, birth_date=birth_date, sex=sex, skin_type=skin_type,
                                 notes=notes or ""))
        self._refuse_duplicate(values["mrn"])
        now = utc_now()
        try:
            new_id = self._insert(actor, {**values, "created_at": now, "updated_at": now})
        except sqlite3.IntegrityError as exc:
            raise _constraint_error(exc, values["mrn"]) from None
        return self.get(new_id)

    def update(self, actor: str, patient_id: int, **changes: Any) -> Patient:
        allowed = {"mrn", "name", "birth_date", "sex", "skin_type", "notes"}
        bad = set(changes) - allowed
        if bad:
            raise ValidationError(f"cannot change {', '.join(sorted(bad))}")
        values = self.clean(changes)
        if "mrn" in values:
            self._refuse_duplicate(values["mrn"], patient_id)
        try:
            self._update(actor, patient_id, {**values, "updated_at": utc_now()} if values else {})
        except sqlite3.IntegrityError as exc:
            raise _constraint_error(exc, str(values.get("mrn"))) from None
        return self.get(patient_id)

    def _refuse_duplicate(self, mrn: str, own_id: int | None = None) -> None:
        """MRNs are unique ignoring case (a schema trigger backs this up)."""
        row = self.db.one("SELECT mrn FROM patients WHERE mrn = ? COLLATE NOCASE AND id IS NOT ? LIMIT 1",
                          (mrn, own_id))
        if row is not None:
            same = "" if row[0] == mrn else f" as {row[0]} (MRNs are compared ignoring case)"
            raise DuplicateError(f"a patient with MRN {mrn} already exists{same}")

    def by_mrn(self, mrn: str, include_deleted: bool = False) -> Patient:
        """The patient with this MRN, ignoring case (an exact match first)."""
        key = unicodedata.normalize("NFC", mrn.strip())
        row = self.db.one("SELECT * FROM patients WHERE mrn = ? COLLATE NOCASE" + ("" if include_deleted else
                          " AND deleted_at IS NULL") + " ORDER BY mrn = ? DESC, id LIMIT 1", (key, key))
        if row is None:
            raise NotFoundError(f"no patient with MRN {mrn}")
        return _record(Patient, row)

    def search_ids(self, text: str = "", limit: int | None = None, include_deleted: bool = False) -> list[int]:
        """Patient ids matching every word of ``text`` as a prefix of the name or MRN, by name."""
        with self.db._lock:  # noqa: SLF001 - the shared connection is used by one thread at a time
            return search_patient_ids(self.db.conn, text, limit, include_deleted)

    def get_many(self, ids: Iterable[int]) -> list[Patient]:
        ids = list(ids)
        if not ids:
            return []
        rows = {r["id"]: r for r in self.db.query(
            f"SELECT * FROM patients WHERE id IN ({','.join('?' * len(ids))})", tuple(ids))}
        return [_record(Patient, rows[i]) for i in ids if i in rows]

    def search(self, text: str = "", limit: int = 200, include_deleted: bool = False) -> list[Patient]:
        return self.get_many(self.search_ids(text, limit, include_deleted))

    def count(self) -> int:
        row = self.db.one("SELECT count(*) FROM patients WHERE deleted_at IS NULL")
        return int(row[0]) if row is not None else 0


class Lesions(_Repo):
    table, record = "lesions", Lesion

    @staticmethod
    def clean(values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        if "site" in out:
            out["site"] = check_choice(out["site"], SITES, "anatomic site", optional=False)
        if out.get("label") is not None:
            out["label"] = clean_text(out["label"], "lesion label", max_len=200)
        if "status" in out:
            out["status"] = check_choice(out["status"], LESION_STATUSES, "lesion status", optional=False)
        if out.get("body_view") is not None and out["body_view"] not in ("front", "back"):
            raise ValidationError("body map view must be front or back")
        for axis in ("body_x", "body_y"):
            if out.get(axis) is not None and not 0.0 <= float(out[axis]) <= 1.0:
                raise ValidationError("body map position must lie within the drawing (0..1)")
        return out

    def add(self, actor: str, patient_id: int, site: str, label: str = "", status: str = "monitoring",
            body_view: str | None = None, body_x: float | None = None, body_y: float | None = None) -> Lesion:
        values = self.clean(dict(site=site, status=status, body_view=body_view, body_x=body_x, body_y=body_y,
                                 label=label or ""))
        now = utc_now()
        try:
            new_id = self._insert(actor, {"patient_id": patient_id, **values,
                                          "created_at": now, "updated_at": now})
        except sqlite3.IntegrityError as exc:
            raise _constraint_error(exc, f"patient {patient_id}") from None
        return self.get(new_id)

    def update(self, actor: str, lesion_id: int, action: str = "update", **changes: Any) -> Lesion:
        allowed = {"site", "label", "status", "body_view", "body_x", "body_y"}
        if set(changes) - allowed:
            raise ValidationError(f"cannot change {', '.join(sorted(set(changes) - allowed))}")
        values = self.clean(changes)
        self._update(actor, lesion_id, {**values, "updated_at": utc_now()} if values else {}, action)
        return self.get(lesion_id)

    def for_patient(self, patient_id: int, include_deleted: bool = False) -> list[Lesion]:
        alive = "" if include_deleted else " AND deleted_at IS NULL"
        rows = self.db.query(f"SELECT * FROM lesions WHERE patient_id = ?{alive} ORDER BY number, id",
                             (patient_id,))
        return [_record(Lesion, r) for r in rows]


MAGNIFICATION_MOST = 1000.0  # a capture's magnification: above 0, up to this
MAGNIFICATION_RANGE = f"(above 0, up to {MAGNIFICATION_MOST:g})"  # as the errors say it


class Captures(_Repo):
    table, record = "captures", Capture

    def add(self, actor: str, lesion_id: int, taken_at: str, image_sha256: str, width: int, height: int,
            file_size: int, image_format: str, modality: str = "dermoscopic", polarisation: str | None = None,
            magnification: float | None = None, mm_per_px: float | None = None, notes: str = "",
            original_name: str = "") -> Capture:
        modality = check_choice(modality, MODALITIES, "modality", optional=False)  # type: ignore[assignment]
        polarisation = check_choice(polarisation, POLARISATIONS, "polarisation")
        if mm_per_px is not None and not 0 < mm_per_px < 10:
            raise ValidationError(f"mm per pixel {mm_per_px} is out of range (0..10)")
        if magnification is not None and not 0 < magnification <= MAGNIFICATION_MOST:
            raise ValidationError(f"magnification {magnification:g} is out of range {MAGNIFICATION_RANGE}")
        taken_at = check_taken_at(taken_at)  # as ``update`` checks it: no capture dated in the future
        values = dict(lesion_id=lesion_id, taken_at=taken_at, image_sha256=image_sha256, width=width,
                      height=height, file_size=file_size, image_format=image_format, modality=modality,
                      polarisation=polarisation, magnification=magnification, mm_per_px=mm_per_px,
                      operator=actor, notes=clean_text(notes, "capture notes", multiline=True),
                      original_name=clean_file_name(original_name), created_at=utc_now())
        try:
            new_id = self._insert(actor, values)
        except sqlite3.IntegrityError as exc:
            raise _constraint_error(exc, f"lesion {lesion_id}") from None
        return self.get(new_id)

    def update(self, actor: str, capture_id: int, action: str = "update", **changes: Any) -> Capture:
        """Correct a capture's date, modality, scale, lesion, polarisation, magnification or notes (audited, before
        and after), each checked as ``add`` checks it; notes "" clear them, magnification None."""
        bad = set(changes) - {"taken_at", "modality", "mm_per_px", "lesion_id", "polarisation", "magnification",
                              "notes"}
        if bad:
            raise ValidationError(f"cannot change {', '.join(sorted(bad))}")
        values = dict(changes)
        if "taken_at" in values:
            values["taken_at"] = check_taken_at(values["taken_at"])
        if "modality" in values:
            values["modality"] = check_choice(values["modality"], MODALITIES, "modality", optional=False)
        if "polarisation" in values:
            values["polarisation"] = check_choice(values["polarisation"], POLARISATIONS, "polarisation")
        if "notes" in values:
            values["notes"] = clean_text(values["notes"], "capture notes", multiline=True)
        mm, mag = values.get("mm_per_px"), values.get("magnification")
        if mm is not None and not 0 < float(mm) < 10:
            raise ValidationError(f"mm per pixel {mm} is out of range (0..10)")
        if mag is not None and not 0 < float(mag) <= MAGNIFICATION_MOST:
            raise ValidationError(f"magnification {float(mag):g} is out of range {MAGNIFICATION_RANGE}")
        self._update(actor, capture_id, values, action)
        return self.get(capture_id)

    def review(self, actor: str, capture_id: int, decision: str | None, clinician_notes: str,
               recheck_months: int | None = None) -> Capture:
        """Save the clinician's review of a capture as one (audited): decision, notes and, with 'monitor' only, the
        re-check interval in months (None: the tier's; cleared by a review that gives none or another decision)."""
        decision = check_choice(decision, DECISIONS, "decision")
        recheck = check_recheck(recheck_months, decision)
        notes = clean_text(clinician_notes, "clinician notes", multiline=True)
        self._update(actor, capture_id, {"decision": decision, "clinician_notes": notes, "recheck_months": recheck})
        return self.get(capture_id)

    def with_image(self, image_sha256: str) -> list[Capture]:
        """Captures (not deleted) holding these image bytes."""
        rows = self.db.query("SELECT * FROM captures WHERE image_sha256 = ? AND deleted_at IS NULL ORDER BY id",
                             (image_sha256,))
        return [_record(Capture, r) for r in rows]

    def for_lesion(self, lesion_id: int, include_deleted: bool = False) -> list[Capture]:
        alive = "" if include_deleted else " AND deleted_at IS NULL"
        rows = self.db.query(f"SELECT * FROM captures WHERE lesion_id = ?{alive} ORDER BY taken_at, id",
                             (lesion_id,))
        return [_record(Capture, r) for r in rows]


class Comparisons(_Repo):
    table, record = "comparisons", Comparison

    def add(self, actor: str, lesion_id: int, baseline_capture_id: int, followup_capture_id: int,
            interval_days: int | None, verdict: str, reasons: list[str], metrics: dict[str, Any],
            transform: list[list[float]] | None, action: str = "create") -> Comparison:
        """Store a comparison; ``action`` names it in the audit log (e.g. "align manually")."""
        row = dict(lesion_id=lesion_id, baseline_capture_id=baseline_capture_id,
                   followup_capture_id=followup_capture_id, interval_days=interval_days, verdict=verdict,
                   reasons=json.dumps(reasons), metrics=json.dumps(metrics, default=float),
                   transform=json.dumps(transform) if transform is not None else None, created_at=utc_now())
        return self.get(self._insert(actor, row, action))

    def for_lesion(self, lesion_id: int) -> list[Comparison]:
        rows = self.db.query("SELECT * FROM comparisons WHERE lesion_id = ? ORDER BY id", (lesion_id,))
        return [_record(Comparison, r) for r in rows]
