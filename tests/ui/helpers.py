"""Helpers for the UI tests: add a patient through the dialog, click the body map, wait for imports."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt

from dermadesk.services.captures import ImportResult


def add_patient(window, dialogs, mrn: str = "UI-1", name: str = "Ui Tester") -> int:
    def fill(d) -> bool:
        d.mrn.setText(mrn)
        d.name.setText(name)
        d.birth.setText("1977-03-04")
        d.sex.setCurrentText("male")
        return True

    dialogs.fillers.append(fill)
    window.new_patient()
    return window.selection.patient_id


def click_body(qtbot, window, view: str, x: float, y: float) -> None:
    bm = window.lesions.body_map
    pos = bm.to_widget(view, x, y)
    qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=pos.toPoint())


def settled(qtbot, window) -> None:
    """Wait (for a condition, never a time) until the panes are fitted to the window's present size: the fit runs
    after a resize (``ui.short_screen.Panes``), and the layouts it asked for are done."""
    from PySide6.QtWidgets import QApplication

    from dermadesk.ui.short_screen import COMPACT_BELOW

    window.panes.fit()  # what the deferred fit does; the wait covers a resize still on its way (a shown pane)

    def fitted() -> bool:
        QApplication.sendPostedEvents()  # pending layout requests (the prompt moved beside the tabs) done
        panes = window.panes
        return (
            panes.width() > 0
            and not panes.fit_timer.isActive()
            and panes.height() == window.fitted_height
            and window.short_layout is (window.height() < COMPACT_BELOW)
        )

    qtbot.waitUntil(fitted)


def wait_import(qtbot, window, timeout: int = 30000) -> ImportResult:
    with qtbot.waitSignal(window.c.imported, timeout=timeout) as blocker:
        pass
    return blocker.args[0]


class ThreadRecorder:
    """Wraps ``module.name`` so that every call records the thread it ran on (use as a context manager).

    The tests check *which thread* did slow work, never how long the GUI stalled: a busy machine
    stretches times, not threads.
    """

    def __init__(self, monkeypatch, module: object, name: str) -> None:
        self.threads: list[threading.Thread] = []
        original = getattr(module, name)

        def recorded(*args: object, **kwargs: object) -> object:
            self.threads.append(threading.current_thread())
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    @property
    def off_gui_thread(self) -> bool:
        """True when the work ran at least once, and never on the GUI (main) thread."""
        return bool(self.threads) and all(t is not threading.main_thread() for t in self.threads)


def saved_report_text(qtbot, window, dialogs, target: Path) -> str:
    """Save the shown lesion's report to ``target`` as File > Save report does, once the background work is done,
    and return the PDF's text with its whitespace collapsed."""
    from pypdf import PdfReader

    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)
    dialogs.saves.append(str(target))
    window.reports.save_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Report saved: {target}", timeout=60000)
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(target)).pages)
