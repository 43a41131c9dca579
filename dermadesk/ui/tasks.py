"""Running services off the GUI thread: QRunnable workers with progress, cancel and error signals."""

from __future__ import annotations

import logging
import traceback
from typing import Any, Callable, Iterable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from dermadesk.domain.errors import Cancelled, DermaDeskError
from dermadesk.services.progress import CancelToken

log = logging.getLogger(__name__)
Job = Callable[[Callable[[float, str], None], CancelToken], Any]


class EveryLesion(frozenset[int]):
    """A task's ``comparing`` where the lesions it compares with their reviewed capture are known only as it runs (an
    import from another workstation compares those whose captures or decisions it brought): every lesion is in it."""

    def __contains__(self, _lesion: object) -> bool:
        return True


EVERY_LESION = EveryLesion()


class TaskSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    """Runs ``job(progress, cancel)`` in the pool; results and errors arrive as signals on the GUI thread."""

    def __init__(self, name: str, job: Job) -> None:
        super().__init__()
        self.name = name
        self.job = job
        self.cancel = CancelToken()
        self.quiet = False  # cancelled while closing: no "cancelled" message
        self.messages: list[str] = []  # its progress messages (shown in the progress bar)
        self.said_before = ""  # the status line's message when it began: its end is said only where that stands
        self.outcome = ""  # "done", "failed" or "cancelled" once it has ended
        self.result: Any = None  # what the job returned (its ``status_line()``, if any, ends the status bar's line)
        self.comparing: frozenset[int] = frozenset()  # the lesions whose comparisons with the reviewed capture it makes
        self.signals = TaskSignals()
        self.setAutoDelete(False)

    def _progress(self, fraction: float, message: str) -> None:
        self.messages.append(str(message))
        self.signals.progress.emit(float(fraction), str(message))

    def run(self) -> None:  # worker thread
        try:
            result = self.job(self._progress, self.cancel)
        except Cancelled:
            self.outcome = "cancelled"
            self.signals.cancelled.emit()
        except DermaDeskError as exc:
            self.outcome = "failed"
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - any worker error becomes a dialog, never a lost traceback
            log.error("task %s failed:\n%s", self.name, traceback.format_exc())
            self.outcome = "failed"
            self.signals.failed.emit(f"{self.title} failed: {type(exc).__name__}: {exc}")
        else:
            self.outcome = "done"
            self.result = result
            self.signals.finished.emit(result)

    @property
    def title(self) -> str:
        """The name without the "…" of work under way ("Preparing the demo register…": "...register: done")."""
        return self.name.rstrip("…. ")

    def ended_text(self) -> str:
        """The status bar's line once it has ended (its last progress message must not stay in sight); the result's
        own line where it has one (an import that saved nothing is not "done")."""
        own = getattr(self.result, "status_line", None)
        line = own() if callable(own) else None
        return line or f"{self.title}: {self.outcome or 'ended'}"


class TaskRunner(QObject):
    """Starts tasks on a QThreadPool and keeps them alive until they end.

    The UI connects to ``started``/``ended`` for the status bar's progress bar and cancel button.
    """

    started = Signal(object)  # Task
    ended = Signal(object)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.running: list[Task] = []

    def submit(
        self,
        name: str,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        comparing: Iterable[int] = (),
    ) -> Task:
        """Start ``job``; ``comparing``: the lesions whose comparisons with the reviewed capture it makes, known to
        ``started``'s listeners (Patient > Compare with the reviewed capture waits while one of its lesion runs)."""
        task = Task(name, job)
        task.comparing = comparing if isinstance(comparing, frozenset) else frozenset(comparing)  # EVERY_LESION kept
        if on_done:
            task.signals.finished.connect(on_done)
        if on_error:
            task.signals.failed.connect(on_error)
        if on_cancel:
            task.signals.cancelled.connect(lambda t=task: None if t.quiet else on_cancel())
        for sig in (task.signals.finished, task.signals.failed, task.signals.cancelled):
            sig.connect(lambda *_, t=task: self._end(t))
        self.running.append(task)
        self.started.emit(task)
        self.pool.start(task)
        return task

    def _end(self, task: Task) -> None:
        if task in self.running:
            self.running.remove(task)
            self.ended.emit(task)

    def cancel_all(self, quiet: bool = False) -> None:
        """Ask every running task to stop (the Cancel button); ``quiet`` (closing the app) skips the messages."""
        for task in list(self.running):
            task.quiet = task.quiet or quiet
            task.cancel.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
