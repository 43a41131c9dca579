"""An open window shows what others change in the register: a command (``dermadesk capture add``), a transfer import,
another window or workstation on a shared folder. Every two seconds the register's own connection is asked whether
another connection committed (``services.changed_elsewhere.Watch``: cheap, and blind to this window's own saves);
then, and at View > Refresh (F5), the patient list and the shown patient's lesions, captures and panels are read
again, on the same patient, lesion and capture. A form with typing not saved yet is left as typed (and what it was
filled with stays what a save compares with, ``ui.stale_save``): a strip above the patient form says so once
(``ui.reload_banner``: never a message box, which took the keyboard mid-word), the rest is read again. The Change
tab keeps its comparison where the lesion's captures and comparisons are as it was made from."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from dermadesk.domain.errors import DermaDeskError
from dermadesk.services import register_ops as ops
from dermadesk.services.changed_elsewhere import Watch
from dermadesk.ui.reload_banner import place_banner
from dermadesk.ui.unsaved import typed_fields

POLL_MS = 2000
SHOWN_AGAIN_MS = 5000


class RegisterWatch(QObject):
    """Polls the register for changes made elsewhere and shows them (``reload``); ``reloaded`` after each reload."""

    reloaded = Signal()

    def __init__(self, window: Any, interval_ms: int = POLL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.watch = Watch()
        self.watch.changed(window.session.register)  # what it holds now is what the window shows
        self._told: tuple[str, ...] = ()  # the typing last said to be kept: said once, not at every change
        self.banner = place_banner(window)
        for signal in (  # after the window's own handlers: the strip goes once what it names is saved or let go
            window.selection.changed,
            window.patient_form.save_requested,
            window.lesions.update_requested,
            window.assessment.review_saved,
        ):
            signal.connect(lambda *_: self.settled())
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        """Read the register again where another connection changed it; not while a dialog waits for an answer
        (the work that asked it goes on with what it read), nor in a window that is closed."""
        w = self.window
        if getattr(w, "reloading", False) or not w.isVisible() or QApplication.activeModalWidget() is not None:
            return
        self.settled()  # typing put back as it was loaded: no longer kept
        if self.watch.changed(w.session.register):
            self.reload(elsewhere=True)

    def refresh(self) -> None:
        """View > Refresh: everything shown read again now."""
        self.watch.changed(self.window.session.register)  # seen: the next poll does not read it again
        self.reload(elsewhere=False)

    def settled(self) -> None:
        """The strip without the typing it names that is no longer unsaved (saved, or let go); gone when none is."""
        if self.banner.isHidden() or getattr(self.window, "reloading", False):
            return
        try:
            self.banner.still(typed_fields(self.window))
        except DermaDeskError:  # the record typed for purged meanwhile: nothing of it is kept
            self.banner.dismiss()

    def _typing_in_sight(self) -> None:
        """The patient field being typed in kept in sight where the strip took room from the form's pane (at 150 %
        on 1280x720 it pushed the notes below the pane's edge)."""
        focus, area = QApplication.focusWidget(), self.window.form_area
        if focus is not None and area.widget() is not None and area.widget().isAncestorOf(focus):
            box = self.banner.parentWidget()
            if box is not None and (column := box.layout()) is not None:
                column.activate()  # the pane's new height now, not at the next layout pass
            area.ensureWidgetVisible(focus, 0, 4)

    def reload(self, elsewhere: bool) -> None:
        w = self.window
        fields = typed_fields(w)  # each unsaved edit, with the fields typed in it
        kept = tuple(fields)
        try:
            with reloading(w):
                _read_again(w)
        except DermaDeskError:  # a record gone meanwhile (purged): shown as at the next choice
            pass
        if kept and elsewhere and kept != self._told:
            self.banner.say(fields)  # shown, not activated: the field being typed in keeps the keyboard
            QTimer.singleShot(0, self, self._typing_in_sight)
        self._told = kept
        said = "Read again: the register was changed elsewhere" if elsewhere else "Read again from the register"
        w.statusBar().showMessage(said + ("; unsaved typing kept" if kept else ""), SHOWN_AGAIN_MS)
        self.reloaded.emit()


@contextlib.contextmanager
def reloading(window: Any) -> Iterator[None]:
    """While the window is read again: nothing asks about typing (``unsaved.settle``), the review box keeps it, and
    the Change tab keeps a comparison made from what is stored still (``ComparisonActions.keep_same``)."""
    window.reloading = window.assessment.keep_review = window.comparisons.keep_same = True
    try:
        yield
    finally:
        window.reloading = window.assessment.keep_review = window.comparisons.keep_same = False


def _read_again(w: Any) -> None:
    """The patient list (its search and current row kept), then the shown patient: the form where nothing is typed
    in it, the lesions (the list only where the lesion form holds no typing) and, through the window's own path,
    the lesion's captures and the capture's panels, on the same lesion and capture where they are still there."""
    reg, sel, form, panel, view = w.session.register, w.selection, w.patient_form, w.lesions, w.assessment
    w.patients.model.refresh()
    if (pid := sel.patient_id) is None:
        return
    if not form.changes():
        form.show_patient(ops.patient(reg, pid))
    if (review := view.unsaved_review()) is not None:  # its capture deleted meanwhile: left on screen as it is,
        capture = ops.capture(reg, review[0])  # said when the user moves on (``unsaved``)
        if capture.deleted_at or ops.lesion(reg, capture.lesion_id).deleted_at:
            return
    if panel.changes():
        panel.refresh_flags()
        if sel.lesion_id is not None:
            w.show_lesion(sel.lesion_id)
    else:
        panel.show_lesions(ops.lesions_of(reg, pid), sel.lesion_id)  # shows the lesion, as a click on it does


def add_refresh(window: Any, menu: QMenu) -> RegisterWatch:
    """View > Refresh (F5), and the watch that reads the register again by itself when it changes elsewhere."""
    watch = RegisterWatch(window)
    action = QAction("&Refresh", window)  # the window's: F5 works with the menu closed
    menu.addAction(action)
    action.setShortcut(QKeySequence("F5"))
    action.setStatusTip("Read the register again: what a command, an import or another window changed is shown")
    action.triggered.connect(lambda _=False: watch.refresh())
    return watch
