"""Register actions of the desktop app: patients, lesions, reviews, importing and re-assessing captures.

Given the session, the selection and the model loader (never the window); the work is done by services
(``register_ops``, ``captures``, ``assessment``), slow work in the task runner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage

from dermadesk.domain.bodymap import site_with_side
from dermadesk.domain.errors import DermaDeskError
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import check_birth_date
from dermadesk.services import register_ops as ops
from dermadesk.services import tracking
from dermadesk.services.assessment import assess_capture, assess_fn
from dermadesk.services.captures import (
    CaptureMeta,
    FileFacts,
    ImportResult,
    ReadAhead,
    import_capture,
    import_files,
    read_file_facts,
    refuse_duplicate,
    scan_paths,
)
from dermadesk.services.confirm_change import IN_APP
from dermadesk.services.duplicates import likely_before_adding, likely_duplicates
from dermadesk.services.import_check import KnownImages, known_images
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.ui.assessed_compare import compare_in_background
from dermadesk.ui.forms import CaptureDialog, NewPatientDialog
from dermadesk.ui.model_loader import ModelLoader
from dermadesk.ui.notices import nothing_new, nothing_to_import, show_import_notice
from dermadesk.ui.first_run import NEED_LESION
from dermadesk.ui.likely_duplicates import OPEN, ask_adding, ask_saving, not_saved
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task
from dermadesk.domain.text import as_stored, counted


class Controller(QObject):
    """Patient, lesion, review, import and re-assessment actions; what changed is said by signals."""

    imported = Signal(object)  # ImportResult
    assessed = Signal(int)  # capture id: a new assessment is stored
    reviewed = Signal(int)  # capture id: a clinician's decision and notes are stored
    review_compared = Signal(int)  # lesion id: later captures compared with the reviewed capture (after a decision)
    compared_again = Signal()  # after an assessment: the comparisons it outdated made again (or stopped: shown so)
    open_requested = Signal(int)  # patient id: chosen over adding one likely the same (New patient)

    def __init__(self, session: Session, selection: Selection, models: ModelLoader) -> None:
        super().__init__()
        self.session, self.selection, self.models = session, selection, models
        self._reading: Task | None = None  # the chosen files' headers being read before the import dialog opens

    # -- patients and lesions ------------------------------------------------------------------------------------
    def new_patient(self) -> int | None:
        """Ask for a new patient until it is valid or the user cancels; its id, or None. A patient likely registered
        already (born that day, the name the same or alike) is asked about first: Open the existing patient
        (``open_requested``), Add anyway, or Cancel (back to the dialog, as typed)."""
        dialogs, reg = self.session.dialogs, self.session.register
        dialog = NewPatientDialog(dialogs.parent)
        while dialogs.run_dialog(dialog):
            values = dialog.values()
            if found := likely_before_adding(reg, values):
                answer = ask_adding(dialogs, found, as_stored(values["name"]), check_birth_date(values["birth_date"]))
                if answer == OPEN:
                    self.open_requested.emit(found[0].patient.id)
                    return None
                if answer is None:
                    continue
            try:
                return ops.add_patient(reg, self.session.actor, **values).id
            except DermaDeskError as exc:
                dialogs.error("Cannot add patient", str(exc))
        return None

    def save_patient(self, patient_id: int, changes: dict[str, Any], can_open: bool = False) -> str | int | None:
        """Returns an error message, or None when saved. A name or birth date that makes the patient look like
        another one asks first: Save anyway, Cancel (the message says why nothing was saved) or, where ``can_open``,
        Open the existing patient (its id is returned: nothing saved, the caller shows it)."""
        reg = self.session.register
        if "name" in changes or "birth_date" in changes:
            p = ops.patient(reg, patient_id)
            name, born = changes.get("name", p.name), changes.get("birth_date", p.birth_date)
            if found := likely_duplicates(reg, name, born, other_than=patient_id):
                answer = ask_saving(self.session.dialogs, found, p.mrn, can_open)
                if answer == OPEN:
                    return found[0].patient.id
                if answer is None:
                    return not_saved(found)
        try:
            ops.update_patient(reg, self.session.actor, patient_id, changes)
        except DermaDeskError as exc:
            return str(exc)
        return None

    def delete_patient(self, patient_id: int) -> bool:
        p = ops.patient(self.session.register, patient_id)
        if not self.session.dialogs.confirm(
            "Delete patient", f"Delete {p.name} ({p.mrn})? It can be restored from View > Show deleted patients."
        ):
            return False
        ops.delete_patient(self.session.register, self.session.actor, patient_id)
        return True

    def restore_patient(self, patient_id: int) -> None:
        ops.restore_patient(self.session.register, self.session.actor, patient_id)

    def place_lesion(self, patient_id: int, view: str, x: float, y: float, site: str) -> int | None:
        where = site_with_side(site, view, x, before=True)  # the patient's side, as the lesion list names it
        question = f"Add a lesion on the {where.removesuffix(', ' + view)} ({view} view) here?"
        if not self.session.dialogs.confirm("New lesion", question, default_yes=True):  # the click asked for it
            return None
        return ops.add_lesion(
            self.session.register, self.session.actor, patient_id, site, body_view=view, body_x=x, body_y=y
        ).id

    def update_lesion(self, lesion_id: int, changes: dict[str, Any], quiet: bool = False) -> str | None:
        """Save the lesion's edits; the refusal's reason (also shown, unless ``quiet``), or None when saved."""
        try:
            ops.update_lesion(self.session.register, self.session.actor, lesion_id, changes)
        except DermaDeskError as exc:
            if not quiet:
                self.session.dialogs.error("Cannot save lesion", str(exc))
            return str(exc)
        return None

    def save_review(self, capture_id: int, decision: str | None, notes: str, recheck_months: int | None = None) -> bool:
        """Save the decision, notes and ('monitor' only) re-check interval in months; a decision saved, changed or
        cleared then has the later captures compared with the reviewed capture in the background
        (``compare_since_review``)."""
        try:
            reg, actor = self.session.register, self.session.actor
            edit = ops.review_capture(reg, actor, capture_id, decision, notes, recheck_months)
        except DermaDeskError as exc:
            self.session.dialogs.error("Cannot save review", str(exc))
            return False
        self.reviewed.emit(capture_id)
        if edit.after.decision != edit.before.decision:
            self.compare_since_review(capture_id)
        return True

    def compare_since_review(self, capture_id: int) -> Task | None:
        """After a decision on ``capture_id``: the later captures whose comparison with the reviewed capture before
        them is missing (a review saved after they were imported) compared with it in the task runner, never on
        this thread (images are decoded); ``review_compared`` once done (or stopped: what was stored is shown).
        Meanwhile the flag estimates the change from the comparisons with the baseline. None: nothing to compare
        (stored rows read only)."""
        s = self.session
        lesion_id, later = tracking.after_review(s.register, capture_id)
        if not later or not tracking.reviewed_pairs(s.register, lesion_id, later):
            return None

        def job(progress: ProgressFn, cancel: CancelLike) -> list:
            return tracking.compare_since_review(s.register, s.actor, capture_id, progress, cancel)

        def failed(message: str) -> None:
            self.review_compared.emit(lesion_id)
            s.dialogs.error(
                "Comparison with the reviewed capture not made",
                f"{message}\n\nThe decision is saved. Until the later captures are compared with the reviewed "
                "capture, the lesion's flag estimates the change since it from their comparisons with the baseline "
                f"(not confirmed yet): {IN_APP} makes them.",
            )

        return s.runner.submit(
            "Comparing with the reviewed capture…",
            job,
            lambda _rows: self.review_compared.emit(lesion_id),
            failed,
            lambda: self.review_compared.emit(lesion_id),
            comparing=[lesion_id],
        )

    # -- getting images in ---------------------------------------------------------------------------------------
    def need_lesion(self) -> int | None:
        """The selected lesion, or None after saying that one must be selected first."""
        if self.selection.lesion_id is None:
            self.session.dialogs.info("No lesion selected", NEED_LESION)  # a hint, not an error
        return self.selection.lesion_id

    def import_images(self) -> Task | None:
        if (lid := self.need_lesion()) is None:
            return None
        s = self.session
        files = s.dialogs.open_files("Import images", start=s.last_folder("import"))
        if not files:
            return None
        s.remember_folder("import", Path(files[0]).parent)  # the next import opens where these came from
        return self.import_paths(lid, files)

    def import_folder(self) -> Task | None:
        if (lid := self.need_lesion()) is None:
            return None
        s = self.session
        folder = s.dialogs.open_folder("Import a folder of images", start=s.last_folder("import"))
        if not folder:
            return None
        s.remember_folder("import", Path(folder).parent)  # the next folder is picked beside this one
        return self.import_paths(lid, [folder])

    def drop_files(self, paths: list[str]) -> Task | None:
        """Files dropped on the timeline: imported into the selected lesion."""
        return self.import_paths(lid, paths) if (lid := self.need_lesion()) is not None else None

    def _lesion_words(self, lesion_id: int) -> str:
        """'Lesion 2 · left scapula · posterior torso (left) of C-1001 Ada Lovelace', as the import dialog names it
        (the lesion by ``lesion_name``, as the lesion list does)."""
        reg = self.session.register
        lesion = reg.lesions.get(lesion_id)
        patient = reg.patients.get(lesion.patient_id)
        return f"{lesion_name(lesion)} of {patient.mrn} {patient.name}"

    def import_paths(self, lesion_id: int, paths: list[str], ask: bool = True) -> Task | None:
        """Import ``paths`` into the lesion; with ``ask``, the files' headers and EXIF dates are read in the
        background first (a slow drive must not freeze the window; Cancel stops it), then the import dialog asks.
        Returns the task started (that reading, or the import), or None."""
        files, skipped = scan_paths(paths)
        dialogs = self.session.dialogs
        if not files:
            nothing_to_import(dialogs, skipped)
            return None
        if not ask:
            return self._start_import(lesion_id, files, skipped, CaptureMeta())
        if self._reading is not None and not self._reading.outcome:  # two dialogs would open one after the other
            dialogs.info(
                "Import",
                "Still reading the images chosen a moment ago: their import dialog opens when it is done "
                "(Cancel in the status bar stops it).",
            )
            return None

        def ask_then_import(facts: FileFacts) -> None:
            if not reading.cancel.cancelled:  # not closing the window meanwhile
                self._ask_and_import(lesion_id, files, skipped, facts)

        reading = self.session.runner.submit(
            f"Reading {counted(len(files), 'image')}",
            lambda progress, cancel: read_file_facts(files, progress, cancel),
            lambda facts: QTimer.singleShot(0, self, lambda: ask_then_import(facts)),  # once the task has ended
            lambda msg: dialogs.error("Cannot read the images", msg),
            lambda: dialogs.info(
                "Import cancelled", "Import cancelled while reading the images: nothing was imported."
            ),
        )
        self._reading = reading
        return reading

    def _ask_and_import(
        self, lesion_id: int, files: list[Path], skipped: list[tuple[str, str]], facts: FileFacts
    ) -> Task | None:
        """The import dialog over what was read of the files; the import, once the user accepts it, of the files
        as read (none read or decoded again)."""
        dialogs, reg = self.session.dialogs, self.session.register
        ahead = facts.hand_over()  # the pixels go with the import, or are let go here: never kept by ``facts``
        try:
            lesion = reg.lesions.get(lesion_id)
            birth = reg.patients.get(lesion.patient_id).birth_date
            captures = reg.captures.for_lesion(lesion_id)  # oldest first, deleted ones left out
            words = self._lesion_words(lesion_id)
        except DermaDeskError as exc:
            dialogs.error("Cannot import", str(exc))
            return None
        if lesion.deleted_at:  # deleted while the files were read
            dialogs.info("Import cancelled", f"{lesion.title} was deleted meanwhile: nothing was imported.")
            return None
        known = known_images(reg, lesion_id, facts.digests)  # the import's duplicate check, said before it asks
        if facts.digests and len(known.all()) == len(facts.digests):  # not one new image: no dialog to confirm
            nothing_new(dialogs, known, facts.problems)
            return None
        dates = [c.taken_at for c in captures]  # for the same-day warning
        scaled = [(c.mm_per_px, c.taken_at) for c in captures if c.mm_per_px]
        dialog = CaptureDialog(
            [str(f) for f in files], facts.exif_dates, dialogs.parent, words, (lesion.title, dates),
            scaled[-1] if scaled else None, facts.problems, birth, facts.no_exif_why, known,
        )  # fmt: skip
        if not dialogs.run_dialog(dialog):
            return None
        return self._start_import(lesion_id, files, skipped, dialog.meta(), ahead, known)

    def _start_import(
        self,
        lesion_id: int,
        files: list[Path],
        skipped: list[tuple[str, str]],
        meta: CaptureMeta,
        ahead: ReadAhead | None = None,
        told: KnownImages | None = None,
    ) -> Task:
        """The import in the background; ``told``: the files its dialog named as already in the register or chosen
        twice, counted in the notice at the end, not named again."""
        register, actor, dialogs = self.session.register, self.session.actor, self.session.dialogs

        def job(progress: ProgressFn, cancel: CancelLike) -> ImportResult:
            assessor = self.models.assessor()
            assess = assess_fn(assessor) if assessor else None
            result = import_files(register, actor, lesion_id, files, meta, assess, progress, cancel, ahead=ahead)
            result.skipped[:0] = skipped  # what the folder scan passed over, before the import's duplicates
            return result

        return self.session.runner.submit(
            f"Importing {counted(len(files), 'image')}",
            job,
            lambda result: self._import_done(result, told),
            lambda msg: dialogs.error("Import failed", msg),
        )

    def paste_image(self) -> Task | None:
        if (lesion_id := self.need_lesion()) is None:
            return None
        image: QImage = QGuiApplication.clipboard().image()
        if image.isNull():
            self.session.dialogs.info("Paste", "The clipboard holds no image: copy one first.")
            return None
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        data = bytes(buffer.data())
        register, actor = self.session.register, self.session.actor

        def job(progress: ProgressFn, cancel: CancelLike) -> ImportResult:
            refuse_duplicate(register, lesion_id, data, "the pasted image")  # the same clipboard pasted twice
            assessor = self.models.assessor()
            capture, assessment = import_capture(
                register,
                actor,
                lesion_id,
                data,
                "clipboard.png",
                CaptureMeta(),
                assess_fn(assessor) if assessor else None,
            )
            return ImportResult([capture], [assessment] if assessment else [])

        return self.session.runner.submit(
            "Importing pasted image",
            job,
            self._import_done,
            lambda msg: self.session.dialogs.error("Paste failed", msg),
        )

    def _import_done(self, result: ImportResult, told: KnownImages | None = None) -> None:
        self.imported.emit(result)
        show_import_notice(self.session.dialogs, result, told)  # refused and skipped files named, what a cancel saved

    # -- assessing again -----------------------------------------------------------------------------------------
    def reassess(self, capture_id: int) -> Task:
        """Assess the capture again in the background (a new row; the earlier ones are kept); then the comparisons
        that recorded another outcome for it are compared again (``compare_after_assessment``)."""
        register, actor, dialogs = self.session.register, self.session.actor, self.session.dialogs

        def job(progress: ProgressFn, cancel: CancelLike) -> int:
            assessor = self.models.load()  # where no model can be used, why (as the status bar's model field)
            return assess_capture(register, assessor, actor, capture_id, progress, cancel).capture_id

        def done(cid: int) -> None:
            self.assessed.emit(cid)
            self.compare_after_assessment([cid])

        return self.session.runner.submit(
            "Assessing",
            job,
            done,
            lambda msg: dialogs.error("Assessment failed", msg),
            lambda: dialogs.info(
                "Re-assessment cancelled",
                "Re-assessment cancelled: no new assessment was stored; the capture keeps its earlier ones.",
            ),
        )

    def compare_after_assessment(self, capture_ids: list[int]) -> Task | None:
        """The comparisons that recorded another outcome for ``capture_ids`` (another tier, or none yet) compared again
        in the task runner; ``compared_again`` once it ends. None: nothing to compare (``ui.assessed_compare``)."""
        return compare_in_background(self.session, capture_ids, self.compared_again.emit)
