"""Composition root of the desktop app: register, settings, session, selection, the actions, the main window."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from dermadesk import __version__
from dermadesk.config import FROM_PORTABLE, FROM_SETTINGS, FROM_STANDARD, Settings, data_dir_source
from dermadesk.config import resolve_data_dir, standard_data_dir
from dermadesk.services.demo_folder import DemoFolder
from dermadesk.storage.lost_register import NEW_ANYWHERE, NEW_BESIDE, NEW_IN_FOLDER
from dermadesk.storage.register import Register
from dermadesk.ui.comparison_actions import ComparisonActions
from dermadesk.ui.controller import Controller
from dermadesk.ui.demo_banner import mark_demo
from dermadesk.ui.demo_build import build_demo
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.folder_lock import take_folder_lock
from dermadesk.ui.forms import DisclaimerDialog
from dermadesk.ui.main_window import MainWindow
from dermadesk.ui.lost_folder_start import settings_folder_start
from dermadesk.ui.model_loader import ModelLoader
from dermadesk.ui.no_register_start import register_start
from dermadesk.ui.notices import open_register, recovery_notice
from dermadesk.ui.read_only_folder import writable_start
from dermadesk.ui.report_actions import ReportActions
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session
from dermadesk.ui.signal_end import SignalEnd, ended_by
from dermadesk.ui.stand_in_banner import mark_stand_in
from dermadesk.ui.tasks import TaskRunner
from dermadesk.ui.widgets import grey_disabled_placeholders


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("DermaDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("DermaDesk")
    if app.style().name().lower() != "fusion":  # once: replacing the style again crashed Qt (a second run())
        app.setStyle("Fusion")  # follows the system light/dark palette on every platform
    return app  # type: ignore[return-value]


def build_window(
    data_dir: Path,
    dialogs: DialogService | None = None,
    runner: TaskRunner | None = None,
    register: Register | None = None,
) -> MainWindow:
    register = register if register is not None else Register(data_dir)
    dialogs = dialogs or DialogService()
    grey_disabled_placeholders(QApplication.instance())  # type: ignore[arg-type]  # one made before any window
    session = Session(register, Settings.load(data_dir), dialogs, runner or TaskRunner())
    selection = Selection()
    models = ModelLoader(session)
    window = MainWindow(
        session,
        selection,
        Controller(session, selection, models),
        ComparisonActions(session, selection),
        ReportActions(session, selection),
        models,
    )
    selection.setParent(window)
    dialogs.parent = window
    return window


def open_window(
    data_dir: Path,
    dialogs: DialogService | None = None,
    runner: TaskRunner | None = None,
    new: str = NEW_ANYWHERE,
    lock: bool = False,
) -> MainWindow | None:
    """The main window on ``data_dir``; None when opening the register is refused (said in one line, nothing
    created; ``new``: where a new register may be made, ``storage.lost_register``). An interrupted restore that
    this open finished is said once, naming where the earlier data is. ``lock``: the app's start takes the data
    folder's lock first (``session.folder_lock``, released by ``run``); None where DermaDesk is open on the folder
    elsewhere and the user quits (``ui.folder_lock``)."""
    dialogs = dialogs or DialogService()
    register = open_register(Path(data_dir), dialogs, new)
    if register is None:
        return None
    held = take_folder_lock(dialogs, register.data_dir, Settings.load(data_dir).operator) if lock else None
    if lock and held is None:
        register.close()
        return None
    try:
        window = build_window(data_dir, dialogs, runner, register)
    except BaseException:  # no window to close them: the folder is let go here
        register.close()
        if held is not None:
            held.release()
        raise
    window.session.folder_lock = held
    recovery_notice(dialogs, register)
    return window


def new_register_allowed(explicit: str | None) -> str:
    """Where the app may make a new register: anywhere for its own per-user folder (the first start just works),
    beside the program in portable mode (its DermaDeskData folder at the first start there), and only in a folder
    that is there for one it was given (--data-dir, $DERMADESK_DATA_DIR) or chosen in Settings: a drive not
    connected, or a mistyped name, is said (or asked about, ``ui.no_register_start``), never replaced by a new, empty
    register on the local disk without the user's word."""
    source = data_dir_source(explicit)
    return NEW_ANYWHERE if source == FROM_STANDARD else NEW_BESIDE if source == FROM_PORTABLE else NEW_IN_FOLDER


def folder_to_open(explicit: str | None, dialogs: DialogService) -> tuple[Path, str] | None:
    """The data folder of this start and where a new register may be made there (``new_register_allowed``). A
    folder chosen in Settings that cannot be opened (the drive not connected, its register file lost beside its
    images) is asked about (``ui.lost_folder_start``: try again, the standard folder this time, another folder, or
    quit): without it the app could not start to change the setting. None when the user quits."""
    folder, new = resolve_data_dir(explicit), new_register_allowed(explicit)
    if data_dir_source(explicit) != FROM_SETTINGS or folder == standard_data_dir():
        return folder, new
    return settings_folder_start(folder, new, dialogs, explicit)


def stand_in_for(explicit: str | None, opened: Path) -> Path | None:
    """The folder chosen in Settings where this start opens the standard folder in its place (the chosen one could
    not be opened: ``ui.lost_folder_start``); None otherwise."""
    chosen = resolve_data_dir(explicit)
    if data_dir_source(explicit) != FROM_SETTINGS or opened != standard_data_dir() or chosen == opened:
        return None
    return chosen


def demo_notice(window: MainWindow) -> None:
    """Say once, as the demo opens, that its synthetic images should get no risk tier, and any that got one."""
    from dermadesk.services.demo import demo_notice as notice

    window.session.dialogs.info(*notice(window.session.register))


def open_and_close(data_dir: Path) -> tuple[int, str]:
    """Open the main window on ``data_dir``, let it paint, close it: (patients listed, Qt platform)."""
    app = make_app()
    window = build_window(data_dir)
    window.show()
    for _ in range(5):
        app.processEvents()
    rows = window.patients.model.rowCount()
    window.close()
    window.session.register.close()
    dispose(window)
    return rows, QApplication.platformName()


def dispose(window: QWidget) -> None:
    """Destroy the window's widgets now, while Python and the QApplication still live: left to the interpreter's
    exit, Qt and Python tore them down in no set order, and the process crashed (SIGSEGV) once work was done."""
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QCoreApplication.processEvents()


def take_screenshots(window: MainWindow, folder: Path, app: QApplication) -> list[Path]:
    """PNGs of the main views: register, patient with body map, assessment with CAM, timeline."""
    folder.mkdir(parents=True, exist_ok=True)
    screen = app.primaryScreen().availableGeometry()  # no larger than the screen: what a user there sees
    window.resize(min(1500, screen.width()), min(1000, screen.height()))
    window.show()
    first = window.patients.model.ids[0] if window.patients.model.ids else None
    if first is not None:
        window.patients.select_patient(first)
    app.processEvents()
    shots = []

    def grab(widget: object, name: str) -> None:
        window.images.pool.waitForDone(30000)  # thumbnails and the capture image decode in the background
        for _ in range(3):
            app.processEvents()
        path = folder / name
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        shots.append(path)

    grab(window, "register.png")
    grab(window.lesions, "patient_body_map.png")
    grab(window.assessment, "assessment_cam.png")
    grab(window.timeline, "timeline.png")
    window.tabs.setCurrentWidget(window.comparison)
    window.session.runner.wait(60000)
    for _ in range(5):
        app.processEvents()
    grab(window.comparison, "comparison.png")
    window.comparison.mode.setCurrentText("Difference")
    grab(window.comparison, "comparison_difference.png")
    window.tabs.setCurrentWidget(window.assessment)
    return shots


def run(
    data_dir: str | None = None,
    demo: bool = False,
    screenshots: str | None = None,
    dialogs: DialogService | None = None,
) -> int:
    """The desktop app; 1 when the register cannot be opened (the reason shown in a message box). The demo's
    register lives in a throwaway folder, removed on exit and on SIGTERM (one a killed demo left, at the next start).
    SIGTERM, SIGHUP and SIGINT end it as Quit does, nothing asked (``signal_end``): 128 + the signal's number."""
    if screenshots and not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    signals = SignalEnd(app)
    try:
        if not demo:
            dialogs = dialogs or DialogService()
            if (start := folder_to_open(data_dir, dialogs)) is None:
                return 1
            if (start := register_start(start, dialogs, data_dir)) is None:  # no register there: start one, or Quit
                return 1
            if (start := writable_start(start, dialogs, data_dir)) is None:  # a read-only folder: another, or Quit
                return 1
            return _run(app, signals, start[0], False, screenshots, dialogs, start[1], stand_in_for(data_dir, start[0]))
        folder = DemoFolder()
        try:
            return _run(app, signals, folder.path, True, screenshots, dialogs)
        finally:
            with signals.held():
                folder.remove()
    finally:
        signals.stop()


def _run(
    app: QApplication,
    signals: SignalEnd,
    folder: Path,
    demo: bool,
    screenshots: str | None,
    dialogs: DialogService | None,
    new: str = NEW_ANYWHERE,
    stand_in: Path | None = None,
) -> int:
    t0 = time.perf_counter()
    window = open_window(folder, dialogs, new=new, lock=True)
    if window is None:
        return 1
    if stand_in is not None:
        mark_stand_in(window, stand_in, folder)  # the title, an amber field: not the register chosen in Settings
    try:
        code = _show(app, window, folder, demo, screenshots, t0)
    finally:
        with signals.held():  # a second Ctrl+C does not cut the register's closing short
            close_start(window)
    return 128 + ended_by(app) if ended_by(app) else code


def close_start(window: MainWindow) -> None:
    """However the start ends (the window closed, the disclaimer declined, the screenshots taken, an error): the
    work in the background stopped, the register closed and the data folder's locks released (its
    ``.in-use-*.lock`` and ``.dermadesk-open.lock``), so that the next start, a restore or another workstation finds
    the folder free."""
    window.session.runner.cancel_all(quiet=True)
    window.session.runner.wait(30000)
    QCoreApplication.processEvents()  # what the window queued (its tasks' ends, a layout pass) runs while it is there
    window.session.register.close()
    if window.session.folder_lock is not None:
        window.session.folder_lock.release()
    dispose(window)


def _show(app: QApplication, window: MainWindow, folder: Path, demo: bool, screenshots: str | None, t0: float) -> int:
    if demo:
        mark_demo(window)  # the title, a yellow banner inside the window, File > Close the demo
    if screenshots:
        if demo:
            build_demo(window)
            window.session.runner.wait(600000)
            for _ in range(5):
                app.processEvents()
        for path in take_screenshots(window, Path(screenshots), app):
            print(path)
        window.close()
        return 0
    window.showMaximized()
    settings = window.session.settings
    if not settings.disclaimer_acknowledged and not demo:
        if not window.session.dialogs.run_dialog(DisclaimerDialog(window)):
            return 0
        settings.disclaimer_acknowledged = True
        settings.save(folder)
    if not demo:
        from dermadesk.ui.operator import ask_at_start

        ask_at_start(window)
    if not demo:
        QTimer.singleShot(0, window.models.warm_up)
    else:  # after the first paint: the window shows at once, the register fills in the background
        QTimer.singleShot(0, lambda: build_demo(window, on_ready=lambda: demo_notice(window)))
    if os.environ.get("DERMADESK_STARTUP_PROBE"):
        QTimer.singleShot(0, lambda: (print(f"interactive after {time.perf_counter() - t0:.3f} s"), app.quit()))
    if ended_by(app):  # a signal came while a question of the start was open: no loop started after it
        return 0
    return int(app.exec())
