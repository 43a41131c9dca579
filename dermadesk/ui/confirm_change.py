"""Patient > Compare with the reviewed capture (also on the lesion list's right-click menu): for the selected lesion,
the later captures whose comparison with the reviewed capture is missing (its comparing after a decision cancelled,
or an image unreadable then) compared with it in the task runner (progress, Cancel), never on the GUI thread. Until
then the lesion's ⚠ CHANGED flag is an estimate and its tooltip says "not confirmed yet ... (Patient > Compare with
the reviewed capture)". Enabled only while the selected lesion has such a comparison missing (stored rows read) and no
task compares that lesion with its reviewed capture (the comparing after a decision, this action's own, or an import
from another workstation's, which compares the captures it brought): both would compare the same pair."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from dermadesk.domain.dates import capture_when
from dermadesk.domain.text import counted
from dermadesk.services import confirm_change as confirm
from dermadesk.services.attention import lesion_flag
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.storage.register import Register
from dermadesk.ui.report_actions import SAVED_MESSAGE_MS
from dermadesk.ui.selection import CAPTURE
from dermadesk.ui.tasks import Task

MENU_TEXT = f"&{confirm.ACTION}"  # runs at once, no dialog: no "..."
TIP = (
    "Compares the selected lesion's later captures with the reviewed capture where that comparison is missing, in "
    "the background: its ⚠ CHANGED flag says 'not confirmed yet' until then"
)
NOT_MADE = "Comparison with the reviewed capture not made"
WAITS = (
    "Not now: the lesion's captures are being compared with the reviewed capture in the background (after a "
    "decision, or in an import from another workstation); offered again once that ends, where one is still missing"
)


class CompareWithReviewed:
    """The action, kept enabled only where the selected lesion has a comparison with the reviewed capture missing and
    no comparing of that lesion runs."""

    def __init__(self, window: Any, action: QAction) -> None:
        self.window, self.action = window, action
        action.triggered.connect(lambda _=False: self.run())
        window.selection.changed.connect(lambda what: what == CAPTURE or self.update())
        runner = window.session.runner
        for signal in (window.c.reviewed, window.c.review_compared, window.c.imported, runner.started, runner.ended):
            signal.connect(lambda *_: self.update())  # a decision, a comparison, a capture stored (or undone), a task
        self.update()

    def missing(self) -> list:
        lid = self.window.selection.lesion_id
        return confirm.missing_pairs(self.window.session.register, lid) if lid is not None else []

    def comparing(self) -> bool:
        """A task in the runner compares the selected lesion with its reviewed capture (after a decision, this
        action's, or an import's: ``EVERY_LESION``): until its end is handled (its worker's end is not enough: the
        views read the rows then)."""
        lid = self.window.selection.lesion_id
        return lid is not None and any(lid in task.comparing for task in self.window.session.runner.running)

    def update(self) -> None:
        """Enabled while the selected lesion has a comparison with the reviewed capture missing, and no task is
        comparing it already (said in its tips: the menu shows the status tip of an entry it greys out)."""
        waits = self.comparing()
        self.action.setEnabled(not waits and bool(self.missing()))
        self.action.setStatusTip(WAITS if waits else TIP)
        self.action.setToolTip(f"{TIP}\n\n{WAITS}" if waits else TIP)

    def run(self) -> Task | None:
        """Compare the selected lesion's missing pairs in the background; then the flag, the change line and the
        prompt are read again (``review_compared``) and the status bar says each result and what the flag says now."""
        w = self.window
        s, lid = w.session, w.selection.lesion_id
        todo = self.missing()
        if lid is None or not todo or self.comparing():
            self.update()
            return None
        title = s.register.lesions.get(lid).title
        made = confirm.Confirmed()

        def job(progress: ProgressFn, cancel: CancelLike) -> confirm.Confirmed:
            return confirm.compare_missing(s.register, s.actor, lid, progress, cancel, made)

        def done(_: object) -> None:
            ended()
            w.statusBar().showMessage(result_line(s.register, lid, title, made), SAVED_MESSAGE_MS)
            if made.failed:
                s.dialogs.warning(
                    NOT_MADE,
                    "\n".join(f"• {line}" for line in made.failed_lines())
                    + "\n\nUntil it is made, the lesion's ⚠ CHANGED flag estimates the change since the reviewed "
                    "capture from the comparisons with the baseline (not confirmed yet). Once the image can be read "
                    f"(File > Check register... says what is wrong), use {confirm.IN_APP} again.",
                )

        def failed(message: str) -> None:
            ended()
            s.dialogs.error(NOT_MADE, f"{message}\n\n{kept()}")

        def cancelled() -> None:
            ended()
            s.dialogs.info("Comparing cancelled", f"Comparing with the reviewed capture cancelled. {kept()}")

        def kept() -> str:
            stored = f"{counted(len(made.rows), 'comparison')} of {len(todo)} made and kept. " if made.rows else ""
            return f"{stored}The lesion's flag stays an estimate until each is made ({confirm.IN_APP} makes them)."

        def ended() -> None:
            w.c.review_compared.emit(lid)  # the list's flags, the panel's change line and advice, the prompt

        name = f"Comparing {title} with the reviewed capture…"
        return s.runner.submit(name, job, done, failed, cancelled, comparing=[lid])  # ``started``: disabled


def result_line(register: Register, lesion_id: int, title: str, made: confirm.Confirmed) -> str:
    """ "Lesion 1: NOT SIGNIFICANT since the reviewed capture; no ⚠ flag now", short for the status bar at 150 % (the
    change line and the flag's tooltip say the reasons); several: "10 Dec 2025 NOT SIGNIFICANT, 3 Feb 2026 ..."."""
    captures = register.captures.for_lesion(lesion_id)
    named = {c.id: capture_when(c, captures) for c in captures}
    several = len(made.rows) > 1
    found = [f"{named[r.followup_capture_id]} " * several + r.verdict.upper() for r in made.rows]
    what = f"{', '.join(found)} since the reviewed capture" if found else "not compared with the reviewed capture"
    flag = lesion_flag(register, lesion_id)[0]
    return f"{title}: {what}; " + (f"flag now: {flag}" if flag else "no ⚠ flag now")


def add_compare_with_reviewed(window: Any, menu: QMenu) -> CompareWithReviewed:
    """``menu`` (Patient) > Compare with the reviewed capture, also on the lesion list's right-click menu."""
    act = QAction(MENU_TEXT, window)
    act.setStatusTip(TIP)
    act.setToolTip(TIP)
    menu.addAction(act)
    window.lesions.list.addAction(act)
    return CompareWithReviewed(window, act)
