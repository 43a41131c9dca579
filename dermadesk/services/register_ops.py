"""Register operations shared by the UI and the CLI: patients, lesions, captures and their reviews, and the
reads the views show.

Every change goes through a repository, which validates it and writes its audit row (before and after) in
the same transaction. A change returns an ``Edit``: the record before and after, so an undo (QUndoStack)
can put ``before`` back through the same function. Corrections (edit, move or delete a capture; edit or
delete a lesion) belong here in the same shape: ``(register, actor, id, changes) -> Edit``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from dermadesk.config import REGISTER_FILE
from dermadesk.domain.errors import DermaDeskError, ValidationError
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import Assessment, Capture, Lesion, Patient, check_after_birth
from dermadesk.storage.lost_register import NEW_ANYWHERE
from dermadesk.storage.register import Register

R = TypeVar("R")


@dataclass(frozen=True)
class Edit(Generic[R]):
    """One audited change: the record as it was and as it is now."""

    before: R
    after: R


class CannotOpenRegister(DermaDeskError):
    """The register cannot be opened (damaged, newer, earlier data beside a missing one, no access): one line."""


def open_register(data_dir: Path, new: str = NEW_ANYWHERE) -> Register:
    """The register in ``data_dir``; CannotOpenRegister with a one-line reason when it is refused (nothing is
    created then): earlier data beside a missing register, or no register where ``new`` allows no new one
    (``storage.lost_register``). A restore a crash interrupted is finished first (``Register.recovered`` says so)."""
    data_dir = Path(data_dir)
    try:
        return Register(data_dir, new=new)
    except sqlite3.DatabaseError as exc:
        from dermadesk.storage.db import explain_db_error

        raise CannotOpenRegister(explain_db_error(exc, data_dir / REGISTER_FILE)) from exc
    except DermaDeskError as exc:
        raise CannotOpenRegister(str(exc)) from exc
    except OSError as exc:
        raise CannotOpenRegister(f"{exc.strerror or exc}: {exc.filename or data_dir}") from exc


# -- patients --------------------------------------------------------------------------------------------------


def add_patient(
    register: Register,
    actor: str,
    mrn: str,
    name: str,
    birth_date: str | None = None,
    sex: str | None = None,
    skin_type: str | None = None,
    notes: str = "",
) -> Patient:
    return register.patients.add(actor, mrn, name, birth_date, sex, skin_type, notes or "")


def update_patient(register: Register, actor: str, patient_id: int, changes: Mapping[str, Any]) -> Edit[Patient]:
    before = register.patients.get(patient_id)
    return Edit(before, register.patients.update(actor, patient_id, **changes))


def delete_patient(register: Register, actor: str, patient_id: int) -> Edit[Patient]:
    """Soft delete: the patient is hidden, not erased (``restore_patient`` undoes it)."""
    before = register.patients.get(patient_id)
    register.patients.soft_delete(actor, patient_id)
    return Edit(before, register.patients.get(patient_id))


def restore_patient(register: Register, actor: str, patient_id: int) -> Edit[Patient]:
    before = register.patients.get(patient_id)
    register.patients.restore(actor, patient_id)
    return Edit(before, register.patients.get(patient_id))


def patient(register: Register, patient_id: int) -> Patient:
    return register.patients.get(patient_id)


def patient_by_mrn(register: Register, mrn: str, include_deleted: bool = False) -> Patient:
    return register.patients.by_mrn(mrn, include_deleted=include_deleted)


def search_patients(
    register: Register, text: str = "", limit: int = 200, include_deleted: bool = False
) -> list[Patient]:
    """Patients whose name or MRN has every word of ``text`` as a prefix, by name."""
    return register.patients.search(text, limit=limit, include_deleted=include_deleted)


def search_patient_ids(register: Register, text: str = "", include_deleted: bool = False) -> list[int]:
    """All matching patient ids, by name (the patient list holds ids and fetches rows a page at a time)."""
    return register.patients.search_ids(text, include_deleted=include_deleted)


def patients_by_ids(register: Register, ids: list[int]) -> list[Patient]:
    return register.patients.get_many(ids)


@dataclass(frozen=True)
class PatientDetail:
    patient: Patient
    lesions: list[tuple[Lesion, list[Capture]]]  # deleted ones included


def patient_detail(register: Register, mrn: str) -> PatientDetail:
    """A patient with every lesion and its captures (``dermadesk patient show``)."""
    p = register.patients.by_mrn(mrn, include_deleted=True)
    return PatientDetail(
        p,
        [
            (les, register.captures.for_lesion(les.id))
            for les in register.lesions.for_patient(p.id, include_deleted=True)
        ],
    )


# -- lesions ---------------------------------------------------------------------------------------------------


def add_lesion(
    register: Register,
    actor: str,
    patient_id: int,
    site: str,
    label: str = "",
    body_view: str | None = None,
    body_x: float | None = None,
    body_y: float | None = None,
) -> Lesion:
    return register.lesions.add(actor, patient_id, site, label or "", body_view=body_view, body_x=body_x, body_y=body_y)


def update_lesion(register: Register, actor: str, lesion_id: int, changes: Mapping[str, Any]) -> Edit[Lesion]:
    before = register.lesions.get(lesion_id)
    return Edit(before, register.lesions.update(actor, lesion_id, **changes))


def lesions_of(register: Register, patient_id: int) -> list[Lesion]:
    return register.lesions.for_patient(patient_id)


# -- captures --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureEntry:
    """A capture as the views show it: its latest assessment and where its image and heat map lie."""

    capture: Capture
    assessment: Assessment | None
    image_path: Path
    cam_path: Path | None


def _entry(register: Register, capture: Capture) -> CaptureEntry:
    a = register.assessments.latest(capture.id)
    return CaptureEntry(
        capture,
        a,
        register.images.path(capture.image_sha256),
        register.images.path(a.cam_sha256) if a and a.cam_sha256 else None,
    )


def lesion_captures(register: Register, lesion_id: int) -> list[CaptureEntry]:
    """The lesion's captures, oldest first, each with its latest assessment."""
    return [_entry(register, c) for c in register.captures.for_lesion(lesion_id)]


def capture(register: Register, capture_id: int) -> Capture:
    return register.captures.get(capture_id)


def capture_entry(register: Register, capture_id: int) -> CaptureEntry:
    return _entry(register, register.captures.get(capture_id))


def review_capture(
    register: Register, actor: str, capture_id: int, decision: str | None, notes: str, recheck_months: int | None = None
) -> Edit[Capture]:
    """The clinician's decision, notes and ('monitor' only) re-check interval in months for a capture (audited)."""
    before = register.captures.get(capture_id)
    return Edit(before, register.captures.review(actor, capture_id, decision, notes, recheck_months))


# -- corrections (each audited, before and after; an undo calls the same functions with ``before``) ----------------

CAPTURE_FIELDS = ("taken_at", "modality", "mm_per_px", "lesion_id", "polarisation", "magnification", "notes")
# the fields whose correction leaves the capture's stored comparisons out (what was recorded with it does not)
COMPARED_AGAIN_AFTER = ("taken_at", "modality", "mm_per_px", "lesion_id")
LESION_FIELDS = ("site", "label", "status", "body_view", "body_x", "body_y")


def edit_capture(
    register: Register, actor: str, capture_id: int, changes: Mapping[str, Any], action: str = "update"
) -> Edit[Capture]:
    """Correct a capture's date, modality, mm per pixel or lesion, or what was recorded with it (polarisation,
    magnification, notes; "" clears the notes, None the magnification). A new lesion must be the same patient's
    (and not deleted). After a date, scale or lesion correction its stored comparisons no longer match
    it: ``tracking.current_comparisons`` leaves them out, and the next comparison takes the lesion's baseline as it
    is now (``COMPARED_AGAIN_AFTER``)."""
    before = register.captures.get(capture_id)
    if "lesion_id" in changes and changes["lesion_id"] != before.lesion_id:
        _check_move(register, before, int(changes["lesion_id"]))
    if changes.get("taken_at"):
        lesion = register.lesions.get(int(changes.get("lesion_id", before.lesion_id)))
        check_after_birth(str(changes["taken_at"]), register.patients.get(lesion.patient_id).birth_date)
    return Edit(before, register.captures.update(actor, capture_id, action, **changes))


def move_capture(register: Register, actor: str, capture_id: int, lesion_id: int) -> Edit[Capture]:
    return edit_capture(register, actor, capture_id, {"lesion_id": lesion_id}, action="move")


def _check_move(register: Register, capture: Capture, lesion_id: int) -> None:
    old, new = register.lesions.get(capture.lesion_id), register.lesions.get(lesion_id)
    if new.patient_id != old.patient_id:
        raise ValidationError(f"lesion {lesion_id} belongs to another patient: a capture moves within its patient")
    if new.deleted_at is not None:
        raise ValidationError(f"lesion {lesion_id} is deleted: restore it first")


def delete_capture(register: Register, actor: str, capture_id: int) -> Edit[Capture]:
    """Soft delete: hidden with its assessments and comparisons, restorable (``restore_capture``)."""
    before = register.captures.get(capture_id)
    register.captures.soft_delete(actor, capture_id)
    return Edit(before, register.captures.get(capture_id))


def restore_capture(register: Register, actor: str, capture_id: int) -> Edit[Capture]:
    before = register.captures.get(capture_id)
    register.captures.restore(actor, capture_id)
    return Edit(before, register.captures.get(capture_id))


def edit_lesion(
    register: Register, actor: str, lesion_id: int, changes: Mapping[str, Any], action: str = "update"
) -> Edit[Lesion]:
    """Correct a lesion's site, label, status or body-map position (audited)."""
    before = register.lesions.get(lesion_id)
    return Edit(before, register.lesions.update(actor, lesion_id, action, **changes))


def delete_lesion(register: Register, actor: str, lesion_id: int) -> Edit[Lesion]:
    """Soft delete: the lesion and its captures are hidden, restorable (``restore_lesion``)."""
    before = register.lesions.get(lesion_id)
    register.lesions.soft_delete(actor, lesion_id)
    return Edit(before, register.lesions.get(lesion_id))


def restore_lesion(register: Register, actor: str, lesion_id: int) -> Edit[Lesion]:
    before = register.lesions.get(lesion_id)
    register.lesions.restore(actor, lesion_id)
    return Edit(before, register.lesions.get(lesion_id))


def lesion(register: Register, lesion_id: int) -> Lesion:
    return register.lesions.get(lesion_id)


@dataclass(frozen=True)
class Deleted:
    """A patient's soft-deleted lesions and captures (those of lesions still shown), for "Restore deleted"."""

    lesions: list[Lesion]
    captures: list[Capture]
    names: dict[int, str] = field(default_factory=dict)  # lesion id -> its name (domain.lesion_name), every lesion
    deleted_by: dict[tuple[str, int], str] = field(default_factory=dict)  # ("capture", id) -> who deleted it


def _deleted_by(register: Register, entity: str, id_: int) -> str | None:
    """Who deleted it last (the audit log's latest "delete" of it), None when the log does not say."""
    return next((e.actor for e in register.audit.entries(entity, id_, limit=50) if e.action == "delete"), None)


def deleted_of(register: Register, patient_id: int) -> Deleted:
    every = register.lesions.for_patient(patient_id, include_deleted=True)
    captures = [
        c
        for les in every
        if les.deleted_at is None
        for c in register.captures.for_lesion(les.id, include_deleted=True)
        if c.deleted_at is not None
    ]
    gone = [les for les in every if les.deleted_at is not None]
    keys = [("lesion", les.id) for les in gone] + [("capture", c.id) for c in captures]
    by = {key: actor for key in keys if (actor := _deleted_by(register, *key)) is not None}
    return Deleted(gone, captures, {les.id: lesion_name(les) for les in every}, by)


def lesion_in_patient_text(register: Register, lesion_id: int) -> str:
    """ "Lesion 3 · left forearm · upper extremity (left) of Ann Lee (MRN 123)" for messages: the lesion by its name
    (``domain.lesion_name``, as the app and the command line name it), then its patient."""
    les = register.lesions.get(lesion_id)
    p = register.patients.get(les.patient_id)
    gone = " (deleted: restore it to see it)" if les.deleted_at or p.deleted_at else ""
    return f"{lesion_name(les)} of {p.name} (MRN {p.mrn}){gone}"


def needs_referral(register: Register, lesion_id: int, tier: str | None, verdict: str | None) -> bool:
    """An URGENT or REFER assessment, or a SIGNIFICANT change, while the lesion is still "monitoring": the
    app and the CLI propose marking it referred (never silently)."""
    urgent = (tier or "").lower() in ("urgent", "refer") or (verdict or "").lower() == "significant"
    return urgent and register.lesions.get(lesion_id).status == "monitoring"


REFERRAL_HINT = (
    "the lesion's status is still 'monitoring': mark it referred? (dermadesk lesion edit {id} --status referred)"
)
