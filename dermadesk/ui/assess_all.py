"""Captures imported while no model could be used: Patient > Assess unassessed captures assesses every capture of
the patient on screen that has no assessment yet, in the background (the task runner: progress, Cancel); and while
no model can be used, the app says so once (a notice that waits for no answer) and the assessment panel says why
for each capture not assessed (``ui.not_assessed``), in the words of the status bar's model field.

A model reinstalled meanwhile is read again before assessing (the registry re-reads the installed models), so the
user need not restart the app; the status bar then names it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from dermadesk.domain.dates import human_date
from dermadesk.domain.errors import Cancelled, DermaDeskError
from dermadesk.domain.text import counted
from dermadesk.inference.engine import Assessor
from dermadesk.services import assessment
from dermadesk.services import register_ops as ops
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.ui.not_assessed import sentence
from dermadesk.ui.tasks import Task

MENU_TEXT = "Assess &unassessed captures"  # Patient menu; runs at once, no dialog: no "..."
TIP = "Assess every capture of the patient on screen that has no assessment yet (in the background)"
OFF_TITLE = "Assessments are off"


def off_notice(why: str) -> str:
    """The notice's words where no model can be used: what that means for the user's work, why, what to do."""
    return (
        "No model can be used, so images are imported without an assessment (no risk tier) and Re-assess capture "
        "does not work; the register, change tracking and reports work as before.\n\n"
        f"{sentence(why)}\n\n"
        "Once the model can be used again, Patient > Assess unassessed captures assesses the captures imported "
        "meanwhile, patient by patient."
    )


class AssessAll:
    """The Patient menu's action and what the window says while no model can be used (see the module)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.problem = ""  # why no model can be used, as the model loader said it ('' where one can)
        self.said: set[str] = set()  # the reasons the notice gave (each said once)
        window.models.failed.connect(self.model_failed)
        window.models.ready.connect(lambda _assessor: self.model_failed(""))

    def model_failed(self, why: str) -> None:
        """No model can be used (``why``; '' once one can): the panel says it, and the notice once per reason."""
        self.problem = why
        self.window.assessment.set_model_problem(why)
        if why and why not in self.said:
            self.said.add(why)
            self.window.session.dialogs.notice(OFF_TITLE, off_notice(why))

    def run(self) -> Task | None:
        """Assess the patient's captures not assessed yet, one after another, off the GUI thread; each is stored as
        it is assessed, so a cancel keeps those done. Said first where there is nothing to assess."""
        w = self.window
        session, pid = w.session, w.selection.patient_id
        reg, actor, dialogs, models = session.register, session.actor, session.dialogs, w.models
        if pid is None:
            dialogs.info("No patient selected", "Select a patient in the list first.")
            return None
        patient, todo = ops.patient(reg, pid), assessment.unassessed_captures(reg, pid)
        who = f"{patient.name} ({patient.mrn})"
        if not todo:
            dialogs.info("Nothing to assess", f"Every capture of {who} has an assessment.")
            return None
        if self.problem:
            models.reset()  # reinstalled or repaired meanwhile: the installed models read again
        done: list[int] = []
        refused: list[str] = []  # "Lesion 1, 5 Jan 2026: why" for each capture that could not be assessed
        loaded: list[Assessor] = []  # the model, once opened (on the worker: reading it checks its sha256)
        n = len(todo)

        def job(progress: ProgressFn, cancel: CancelLike) -> list[int]:
            loaded.append(models.load())  # why none can be used, in the app's words, where it cannot
            assessor = loaded[0]
            for k, capture in enumerate(todo):
                cancel.raise_if_cancelled()
                lesion = reg.lesions.get(capture.lesion_id).title
                named = f"{lesion}, {human_date(capture.taken_at)}"

                def said(fraction: float, text: str, k: int = k, named: str = named) -> None:
                    progress((k + fraction) / n, f"capture {k + 1} of {n} ({named}): {text}")

                try:
                    assessment.assess_capture(reg, assessor, actor, capture.id, said, cancel)
                except Cancelled:
                    raise
                except DermaDeskError as exc:  # this capture's image (unreadable, missing): the others go on
                    refused.append(f"{named}: {exc}")
                    continue
                done.append(capture.id)
            return done

        def ended() -> None:
            if self.problem and done:  # the model can be used again: the status bar names it, the panel forgets why
                models.ready.emit(loaded[0])
            if done:
                w.refresh()  # the new tiers in the timeline, the panel, the lesion list's flags
                w.c.compare_after_assessment(done)  # their comparisons made with no tier: compared again
            if refused:
                dialogs.warning(
                    "Some captures were not assessed",
                    f"{counted(len(refused), 'capture')} could not be assessed:\n"
                    + "\n".join(f"• {r}" for r in refused),
                )

        def failed(message: str) -> None:
            ended()
            kept = f"\n\n{counted(len(done), 'capture')} of {n} assessed before it stopped." if done else ""
            title = "Assessing stopped" if loaded else OFF_TITLE
            dialogs.error(title, sentence(message) + kept)

        def cancelled() -> None:
            ended()
            dialogs.info(
                "Assessing cancelled",
                f"Assessing cancelled: {counted(len(done), 'capture', none='no capture')} of {n} assessed before it "
                "stopped (each stored as it was assessed); the others are still not assessed.",
            )

        return session.runner.submit(
            f"Assessing {counted(n, 'capture')} of {patient.mrn}", job, lambda _: ended(), failed, cancelled
        )


def add_assess_all(window: Any, menu: QMenu) -> AssessAll:
    """Patient > Assess unassessed captures, and the window's words while no model can be used."""
    assess_all = AssessAll(window)
    act = QAction(MENU_TEXT, window)
    act.triggered.connect(lambda _=False: assess_all.run())
    menu.addAction(act)
    act.setStatusTip(TIP)
    act.setToolTip(TIP)
    return assess_all
