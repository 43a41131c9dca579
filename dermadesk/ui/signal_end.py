"""A signal ends the app as its own Quit does: SIGTERM (a logout, a shutdown, ``kill``), SIGHUP (the terminal
closed) and SIGINT (Ctrl+C in the terminal). The window is closed, the work in the background stopped, the register
closed and the data folder's locks released (``app.close_start``), so that the next start, a restore or another
workstation finds the folder free; without it the register was left open and ``.dermadesk-open.lock`` stale.

A signal is not the user's Quit: nothing is asked (a logout cannot answer "Save, Discard or Cancel?"). Typing not
saved yet is let go, nothing is saved over a record, and what was let go (which fields of which record, never what
was typed) is said on stderr, so that it can be typed again.

Python runs a signal handler only between its own bytecodes: a timer wakes it while Qt waits in its event loop."""

from __future__ import annotations

import contextlib
import signal
import sys
from typing import Any, Callable, Iterator

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication

from dermadesk.domain.dates import human_date
from dermadesk.domain.errors import DermaDeskError
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import when_taken
from dermadesk.ui.main_window import MainWindow
from dermadesk.ui.patient_form import PATIENT_FIELD_WORDS
from dermadesk.ui.unsaved import review_fields

SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")
ENDED_BY = "dermadesk_ended_by"  # the app's property: the number of the signal that ends it (0: none came)
WAKE_MS = 250


class SignalEnd:
    """The handlers of ``SIGNALS`` while the app runs; ``stop`` puts back the ones before (a test's process goes on)."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        app.setProperty(ENDED_BY, 0)
        self.holding = False
        self.before: dict[int, Any] = {}
        for name in SIGNALS:
            if hasattr(signal, name):
                number = int(getattr(signal, name))
                self.before[number] = signal.signal(number, self._handler)
        self.wake = QTimer(app)
        self.wake.timeout.connect(lambda: None)
        self.wake.start(WAKE_MS)

    def stop(self) -> None:
        self.wake.stop()
        for number, before in self.before.items():
            signal.signal(number, before if before is not None else signal.SIG_DFL)
        self.before.clear()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """While the start cleans up: a signal is noted (the exit code says it), never raised into the cleanup."""
        self.holding = True
        try:
            yield
        finally:
            self.holding = False

    def _handler(self, signum: int, _frame: object) -> None:
        if ended_by(self.app):
            return  # the end is under way
        self.app.setProperty(ENDED_BY, signum)
        if self.holding:
            return
        if QThread.currentThread().loopLevel() == 0:  # the start's own code, before any event loop: unwound through
            raise SystemExit(128 + signum)  # run()'s cleanup (raised inside Qt's loop, it would end the process there)
        QTimer.singleShot(0, lambda: end(self.app, signum))  # from the event loop, not in the middle of a slot


def ended_by(app: QApplication) -> int:
    """The signal that ends the app, 0 while none has come."""
    return int(app.property(ENDED_BY) or 0)


def end(app: QApplication, signum: int) -> None:
    """Each main window let go of its typing (said on stderr) and closed as Quit closes it, nothing asked; then every
    event loop ends (the main one, and a dialog's, where one is open), and the start cleans up (``close_start``)."""
    for window in app.topLevelWidgets():
        if isinstance(window, MainWindow) and window.isVisible():
            close_on_signal(window, signum)
    app.exit(128 + signum)


def close_on_signal(window: Any, signum: int, say: Callable[[str], None] | None = None) -> list[str]:
    """Close ``window`` without the unsaved-changes question (``unsaved.may_close``); what typing it let go, as said."""
    dropped = unsaved_fields(window)
    name = signal.Signals(signum).name if signum in signal.valid_signals() else f"signal {signum}"
    line = f"DermaDesk ended by {name}: " + (
        f"unsaved typing let go, nothing saved: {'; '.join(dropped)}" if dropped else "nothing unsaved"
    )
    (say or _to_stderr)(line)
    window.ended_by_signal = True
    window.close()
    return dropped


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def unsaved_fields(window: Any) -> list[str]:
    """Which fields of which record hold typing not saved: a patient by MRN, a lesion by its patient's MRN and its
    number ("Lesion 2"), a capture by its date, the fields by name; never what was typed, nor a person's name (stderr
    may end up in a system log)."""
    out = []
    reg, form, panel, view = window.session.register, window.patient_form, window.lesions, window.assessment
    if (patient := form.patient) is not None and (changes := form.changes()):
        out.append(f"{', '.join(PATIENT_FIELD_WORDS.get(k, k) for k in changes)} of patient {patient.mrn}")
    if (lesion := panel.shown) is not None and (edits := panel.changes()):
        out.append(f"{', '.join(edits)} of {_lesion_words(reg, lesion.id)}")
    if view.unsaved_review() is not None and (capture := view.capture) is not None:
        try:
            when = when_taken(reg, capture)
        except DermaDeskError:  # the record gone meanwhile: the end goes on, the capture named by its stored date
            when = human_date(capture.taken_at)
        whose = f"{_lesion_words(reg, capture.lesion_id)}'s capture of {when}"
        out.append(f"{' and '.join(review_fields(view))} of {whose}")
    return out


def _lesion_words(reg: Any, lesion_id: int) -> str:
    """ "patient C-1001 Lesion 2"; by its number in the register where it cannot be read (purged meanwhile)."""
    try:
        lesion = ops.lesion(reg, lesion_id)
        return f"patient {ops.patient(reg, lesion.patient_id).mrn} {lesion.title}"
    except DermaDeskError:
        return f"lesion {lesion_id}"
