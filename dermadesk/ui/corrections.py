"""Corrections in the desktop app: edit, move, delete and restore captures and lesions, with Undo and Redo.

Given the session and the selection (never the window). Each change goes through ``register_ops`` (audited,
before and after) and onto a ``QUndoStack``; an undo is itself a change through the same functions, so it is
audited too. ``changed(lesion_id, capture_id)`` says what to show afterwards; the lesions whose captures
changed are then compared again in the background (``tracking``: with their baseline, and a later capture with a
reviewed capture before it), and ``recompared`` says when that is done."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from dermadesk.domain.errors import DermaDeskError
from dermadesk.services import register_ops as ops
from dermadesk.services import tracking
from dermadesk.services.captures import ImportResult, when_taken
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.ui.correction_dialogs import CaptureEditDialog, LesionEditDialog, MoveCaptureDialog, RestoreDeletedDialog
from dermadesk.ui.delete_question import delete_lesion_question
from dermadesk.ui.saved_words import capture_corrected_text, lesion_changes, lesion_saved_text
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session

Show = tuple[int | None, int | None]  # (lesion, capture) to show after a change
Recompare = bool | str  # True, False or "view" (Corrections.run)


class _Change(QUndoCommand):
    """A change already made (``push`` does not make it again); undo and redo call the given functions."""

    def __init__(
        self, text: str, owner: "Corrections", redo: Callable[[], Show], undo: Callable[[], Show], recompare: Recompare
    ) -> None:
        super().__init__(text)
        self.owner, self._redo, self._undo, self._done, self.recompare = owner, redo, undo, True, recompare

    def redo(self) -> None:
        if self._done:
            self._done = False  # QUndoStack.push calls redo(): the change is made already
            return
        if self.owner.run(self.text(), self._redo, self.recompare):
            self.owner.announced.emit(f"Redone: {self.text()}")

    def undo(self) -> None:
        if self.owner.run(f"Undo {self.text().lower()}", self._undo, self.recompare):
            self.owner.announced.emit(f"Undone: {self.text()}")


class Corrections(QObject):
    changed = Signal(object, object)  # lesion id, capture id (or None) to show
    patient_changed = Signal(object)  # a patient deleted (None: show none) or restored (its id: show it)
    recompared = Signal()
    announced = Signal(str)  # "Undone: Edit capture" / "Redone: ..." / "Lesion 1 saved (...)", for the status bar
    # how comparing again ended: "comparison updated" / "... cancelled" / "... not redone", after ``recompared``
    recompare_ended = Signal(str)
    modality_corrected = Signal(int)  # capture id: its modality changed (an edit, undo or redo): to assess again

    def __init__(self, session: Session, selection: Selection) -> None:
        super().__init__()
        self.session, self.selection = session, selection
        self.stack = QUndoStack(self)
        self.recomparing = False  # the lesions' baselines being compared again (after a change or its undo)

    # -- the machinery -----------------------------------------------------------------------------------------
    def run(self, title: str, change: Callable[[], Show], recompare: Recompare = True) -> bool:
        """Make one change; show its error and return False when the register refuses it. ``recompare``: compare
        the patient's lesions again (True), show the stored comparison again ("view"), or neither (False)."""
        try:
            lesion_id, capture_id = change()
        except DermaDeskError as exc:
            self.session.dialogs.error(f"{title}: not done", str(exc))
            return False
        self.changed.emit(lesion_id, capture_id)
        if recompare == "view":  # a comparison of record put back as it was: shown again, nothing recomputed
            self.recompared.emit()
        elif recompare and (pid := self.selection.patient_id) is not None:  # a move changes two lesions
            self._recompare(*(les.id for les in ops.lesions_of(self.session.register, pid)))
        return True

    def _do(self, text: str, redo: Callable[[], Show], undo: Callable[[], Show], recompare: bool = True) -> bool:
        if not self.run(text, redo, recompare):
            return False
        self.stack.push(_Change(text, self, redo, undo, recompare))
        return True

    def record(
        self, text: str, redo: Callable[[], Show], undo: Callable[[], Show], recompare: Recompare = True
    ) -> None:
        """Put a change made elsewhere (an import, a new patient) on the stack: Undo and Redo then go through
        ``run``."""
        self.stack.push(_Change(text, self, redo, undo, recompare))

    def _recompare(self, *lesion_ids: int | None) -> None:
        register, actor = self.session.register, self.session.actor
        ids = sorted({i for i in lesion_ids if i is not None})

        def job(progress: ProgressFn, cancel: CancelLike) -> None:
            tracking.refresh_lesions(register, actor, ids, progress, cancel)

        def ended(outcome: str) -> None:
            self.recomparing = False
            if outcome != "comparison not redone":
                self.recompared.emit()
            self.recompare_ended.emit(outcome)

        def cancelled() -> None:  # the views show what is stored; the Comparison tab stores a pair it shows
            ended("comparison cancelled")
            self.session.dialogs.info(
                "Comparing again: cancelled",
                "Comparing the captures again was cancelled: a capture may show no change line until its "
                "comparison with the baseline is made again (open the Comparison tab on it, or correct it again), "
                "and a lesion's ⚠ CHANGED flag may estimate the change since its reviewed capture from the "
                "comparisons with the baseline.",
            )

        def failed(msg: str) -> None:
            ended("comparison not redone")
            self.session.dialogs.error("Comparisons not redone", msg)

        if ids:  # with the baseline, and with the reviewed capture before a later capture (``tracking``)
            self.recomparing = True
            self.session.runner.submit(
                "Comparing the captures again…", job, lambda _: ended("comparison updated"), failed, cancelled
            )

    def _need(self, what: str) -> int | None:
        value = self.selection.capture_id if what == "capture" else self.selection.lesion_id
        if value is None:
            how = "Click a capture in the timeline" if what == "capture" else "Click a lesion in the list"
            self.session.dialogs.info(f"No {what} selected", f"{how} first.")  # a hint, not an error
        return value

    def _siblings(self, lesion_id: int) -> list:
        return ops.lesions_of(self.session.register, ops.lesion(self.session.register, lesion_id).patient_id)

    # -- captures ----------------------------------------------------------------------------------------------
    def edit_capture(self) -> bool:
        if (cid := self._need("capture")) is None:
            return False
        reg, actor = self.session.register, self.session.actor
        before = ops.capture(reg, cid)
        siblings, when = self._siblings(before.lesion_id), when_taken(reg, before)  # its time: two that day
        dialog = CaptureEditDialog(before, siblings, self.session.dialogs.parent, when)
        if not self.session.dialogs.run_dialog(dialog) or not (changes := dialog.changes()):
            return False
        back = {k: getattr(before, k) for k in changes}  # polarisation, magnification, notes: nothing compared
        if done := self._do(
            "Edit capture", lambda: self._edited(ops.edit_capture(reg, actor, cid, changes)),
            lambda: self._edited(ops.edit_capture(reg, actor, cid, back, action="undo")),
            recompare=bool(changes.keys() & set(ops.COMPARED_AGAIN_AFTER)),
        ):  # fmt: skip
            self.announced.emit(capture_corrected_text(when, changes))  # said, as other saves say theirs
        return done

    def _edited(self, edit: ops.Edit) -> Show:
        """A capture edited (or the edit undone): show it; its modality changed, ``modality_corrected``."""
        if edit.before.modality != edit.after.modality:
            self.modality_corrected.emit(edit.after.id)
        return _at(edit.after)

    def move_capture(self) -> bool:
        if (cid := self._need("capture")) is None:
            return False
        reg, actor = self.session.register, self.session.actor
        before = ops.capture(reg, cid)
        siblings, when = self._siblings(before.lesion_id), when_taken(reg, before)  # its time: two that day
        dialog = MoveCaptureDialog(before, siblings, self.session.dialogs.parent, when)
        if not self.session.dialogs.run_dialog(dialog) or (target := dialog.lesion_id()) is None:
            return False
        return self._do(
            "Move capture",
            lambda: _at(ops.move_capture(reg, actor, cid, target).after),
            lambda: _at(ops.edit_capture(reg, actor, cid, {"lesion_id": before.lesion_id}, "undo").after),
        )

    def delete_capture(self) -> bool:
        if (cid := self._need("capture")) is None:
            return False
        reg, actor = self.session.register, self.session.actor
        c = ops.capture(reg, cid)
        if not self.session.dialogs.confirm(
            f"Delete capture of {when_taken(reg, c)}",  # named, as Edit and Move name it (its time: two that day)
            f"Delete the capture of {when_taken(reg, c)} ({c.original_name})? Its assessment and comparisons are "
            "hidden with it; Edit > Undo or Edit > Restore deleted... brings it back.",
        ):
            return False
        return self._do(
            "Delete capture",
            lambda: (ops.delete_capture(reg, actor, cid).after.lesion_id, None),
            lambda: _at(ops.restore_capture(reg, actor, cid).after),
        )

    # -- lesions -----------------------------------------------------------------------------------------------
    def edit_lesion(self, changes: dict[str, Any] | None = None, text: str = "Edit lesion") -> bool:
        """Ask for the changes (or make ``changes``, e.g. the status "referred" proposed after a result)."""
        if (lid := self._need("lesion")) is None:
            return False
        reg, actor = self.session.register, self.session.actor
        before = ops.lesion(reg, lid)
        if changes is None:
            dialog = LesionEditDialog(before, self.session.dialogs.parent)
            if not self.session.dialogs.run_dialog(dialog):
                return False
            changes = dialog.changes()
        if not changes:
            return False
        wanted, back = dict(changes), {k: getattr(before, k) for k in changes}
        keep = self.selection.capture_id
        done = self._do(  # site, label, status, body-map place: none changes a comparison, nothing compared again
            text,  # ("Lesion 2 saved (status: referred); comparison updated" said what had not happened)
            lambda: (ops.edit_lesion(reg, actor, lid, wanted).after.id, keep),
            lambda: (ops.edit_lesion(reg, actor, lid, back, action="undo").after.id, keep),
            recompare=False,
        )
        if done and (changed := lesion_changes(before, wanted)):  # "Lesion 1 saved (status: referred)"
            self.announced.emit(lesion_saved_text(before.title, changed))
        return done

    def set_status_in_place(self, lesion_id: int, status: str) -> bool:
        """``lesion_id``'s status changed while the window is on its way elsewhere (a decision saved by the
        unsaved-changes question): audited and undoable like ``edit_lesion``, but nothing is shown for it now."""
        reg, actor, text = self.session.register, self.session.actor, f"Mark lesion as {status}"
        back = {"status": ops.lesion(reg, lesion_id).status}
        try:
            ops.edit_lesion(reg, actor, lesion_id, {"status": status})
        except DermaDeskError as exc:
            self.session.dialogs.error(f"{text}: not done", str(exc))
            return False
        self.record(
            text,
            lambda: (ops.edit_lesion(reg, actor, lesion_id, {"status": status}).after.id, None),
            lambda: (ops.edit_lesion(reg, actor, lesion_id, back, action="undo").after.id, None),
            recompare=False,
        )
        return True

    def delete_lesion(self) -> bool:
        if (lid := self._need("lesion")) is None:
            return False
        reg, actor = self.session.register, self.session.actor
        les = ops.lesion(reg, lid)
        # "Delete lesion 1", as Edit names it; the question: its captures and latest result
        if not self.session.dialogs.confirm(f"Delete {les.title.lower()}", delete_lesion_question(reg, les)):
            return False
        return self._do(
            "Delete lesion",
            lambda: _gone(ops.delete_lesion(reg, actor, lid)),
            lambda: (ops.restore_lesion(reg, actor, lid).after.id, None),
        )

    def restore_deleted(self) -> bool:
        if (pid := self.selection.patient_id) is None:
            self.session.dialogs.info("No patient selected", "Select a patient in the list first.")
            return False
        reg, actor = self.session.register, self.session.actor
        deleted = ops.deleted_of(reg, pid)
        dialog = RestoreDeletedDialog(
            deleted.lesions, deleted.captures, self.session.dialogs.parent, deleted.names, deleted.deleted_by
        )
        if not self.session.dialogs.run_dialog(dialog) or not (chosen := dialog.chosen()):
            return False
        restore = {"lesion": ops.restore_lesion, "capture": ops.restore_capture}
        delete = {"lesion": ops.delete_lesion, "capture": ops.delete_capture}

        def redo() -> Show:
            shown = [restore[kind](reg, actor, id_).after for kind, id_ in chosen]
            return _at(shown[-1]) if chosen[-1][0] == "capture" else (shown[-1].id, None)

        def undo() -> Show:
            for kind, id_ in reversed(chosen):
                delete[kind](reg, actor, id_)
            return self.selection.lesion_id, None

        return self._do(f"Restore {len(chosen)} deleted item{'s' if len(chosen) > 1 else ''}", redo, undo)

    # -- imports and patients ----------------------------------------------------------------------------------
    def record_import(self, result: ImportResult) -> None:
        """An import just made: "Import N captures" on the stack. Undo soft-deletes those captures, Redo restores
        them (each audited)."""
        if not (ids := [c.id for c in result.captures]):
            return
        reg, actor, lid = self.session.register, self.session.actor, result.captures[-1].lesion_id

        def undo() -> Show:
            for cid in reversed(ids):
                ops.delete_capture(reg, actor, cid)
            return lid, None

        def redo() -> Show:
            for cid in ids:
                ops.restore_capture(reg, actor, cid)
            return lid, ids[-1]

        self.record(f"Import {len(ids)} capture{'s' if len(ids) > 1 else ''}", redo, undo)

    def record_alignment(self, text: str, before: Any, after: Any) -> None:
        """An alignment by hand (or its reset) just stored for a pair: on the stack. Undo puts the pair's comparison
        of record before it back (a copy, audited), Redo the one it stored; the pair's follow-up is shown. A pair is
        aligned only once shown, and showing it stores a comparison: ``before`` is always there."""
        if before is None:
            return
        reg, actor, show = self.session.register, self.session.actor, (after.lesion_id, after.followup_capture_id)

        def undo() -> Show:
            tracking.reinstate_comparison(reg, actor, before, f"undo {text.lower()}")
            return show

        def redo() -> Show:
            tracking.reinstate_comparison(reg, actor, after, f"redo {text.lower()}")
            return show

        self.record(text, redo, undo, recompare="view")

    def record_new_patient(self, patient_id: int) -> None:
        """A patient just added (by the New patient dialog): "Add patient <MRN>" on the stack. Undo soft-deletes
        the patient as Delete patient does (audited; restorable), Redo restores it."""
        mrn = ops.patient(self.session.register, patient_id).mrn
        self.record(
            f"Add patient {mrn}", self._patient(ops.restore_patient, patient_id, patient_id),
            self._patient(ops.delete_patient, patient_id, None), recompare=False,
        )  # fmt: skip

    def delete_patient(self, patient_id: int) -> bool:
        p = ops.patient(self.session.register, patient_id)
        if not self.session.dialogs.confirm(
            "Delete patient",
            f"Delete {p.name} ({p.mrn})? Edit > Undo brings the patient back, or later: View > Show deleted "
            "patients, then Patient > Restore patient.",
        ):
            return False
        return self._do(
            f"Delete patient {p.mrn}", self._patient(ops.delete_patient, patient_id, None),
            self._patient(ops.restore_patient, patient_id, patient_id), recompare=False,
        )  # fmt: skip

    def restore_patient(self, patient_id: int) -> bool:
        p = ops.patient(self.session.register, patient_id)
        return self._do(
            f"Restore patient {p.mrn}", self._patient(ops.restore_patient, patient_id, patient_id),
            self._patient(ops.delete_patient, patient_id, None), recompare=False,
        )  # fmt: skip

    def _patient(self, change: Callable[..., Any], patient_id: int, show: int | None) -> Callable[[], Show]:
        """A patient change (audited by ``register_ops``), then the window shows ``show`` (None: no patient)."""

        def run() -> Show:
            change(self.session.register, self.session.actor, patient_id)
            self.patient_changed.emit(show)
            return self.selection.lesion_id, self.selection.capture_id  # what the window shows now (restored)

        return run

    # -- menu --------------------------------------------------------------------------------------------------
    def menu_actions(self, parent: QWidget) -> list[QAction | None]:
        """Edit menu entries (None: a separator): Undo, Redo, then the corrections."""
        undo = self.stack.createUndoAction(parent, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.stack.createRedoAction(parent, "&Redo")
        redo.setShortcuts(redo_keys())
        self.actions: dict[str, QAction] = {}
        for key, text, slot in (
            ("edit_capture", "&Edit capture...", self.edit_capture),
            ("move_capture", "&Move capture to lesion...", self.move_capture),
            ("delete_capture", "Delete &capture...", self.delete_capture),
            ("edit_lesion", "Edit &lesion...", self.edit_lesion),
            ("delete_lesion", "Delete lesio&n...", self.delete_lesion),
            ("restore_deleted", "Restore &deleted...", self.restore_deleted),
        ):
            act = QAction(text, parent)
            act.triggered.connect(lambda _=False, s=slot: s())
            self.actions[key] = act
        a = self.actions
        return [undo, redo, None, *(a[k] for k in ("edit_capture", "move_capture", "delete_capture")), None,
                a["edit_lesion"], a["delete_lesion"], None, a["restore_deleted"]]  # fmt: skip


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo keys, then Ctrl+Y and Ctrl+Shift+Z where they are not among them, each once (a key
    given twice made Qt refuse it as an "ambiguous shortcut overload": Redo by key did nothing on Linux)."""
    keys: list[QKeySequence] = []
    for key in (*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y"),
                QKeySequence("Ctrl+Shift+Z")):  # fmt: skip
        if not key.isEmpty() and key not in keys:
            keys.append(key)
    return keys


def _at(capture: Any) -> Show:
    """Show ``capture`` in its lesion."""
    return capture.lesion_id, capture.id


def _gone(_edit: Any) -> Show:
    """A deleted lesion: show none."""
    return None, None
