"""File > Back up..., Restore..., Check register..., Export register...: the CLI's maintenance in the app.

The work runs in the task runner (progress and Cancel in the status bar); the GUI thread only asks and shows.
Passphrases are asked with ``QInputDialog.getText`` (password echo), twice for a new backup. The main window
hooks this in with ``add_maintenance_actions(window, file_menu)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from dermadesk.domain.errors import DermaDeskError
from dermadesk.services import maintenance as m
from dermadesk.services import register_ops as ops
from dermadesk.storage.migrations import SCHEMA_VERSION
from dermadesk.storage.sealed import MIN_PASSPHRASE, check_new_passphrase, is_sealed, read_header
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task

BACKUP_FILTER = "DermaDesk backups (*.zip);;All files (*)"
FORMATS = ("CSV files, one per table", "One JSON file")


def ask_secret(parent: QWidget | None, title: str, label: str) -> str | None:
    """A password field; None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


class MaintenanceActions(QObject):
    """``reopened()`` after a restore switched the data (the window shows the register again)."""

    reopened = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session

    @property
    def _parent(self) -> Any:
        return self.session.dialogs.parent

    def _folder(self) -> Path:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs else Path.home()

    def _submit(self, name: str, job: Callable, done: Callable[[Any], None], failed: Callable[[str], None]) -> Task:
        dialogs = self.session.dialogs
        return self.session.runner.submit(
            name, job, done, failed, lambda: dialogs.info(f"{name}: cancelled", f"{name} cancelled: nothing changed.")
        )

    # -- back up ---------------------------------------------------------------------------------------------
    def new_passphrase(self) -> tuple[bool, str | None]:
        """(go on, passphrase): empty for an unencrypted backup; typed twice, at least MIN_PASSPHRASE long."""
        first = ask_secret(
            self._parent,
            "Back up: passphrase",
            f"Passphrase to encrypt the backup (at least {MIN_PASSPHRASE} characters),\n"
            "or leave it empty for an unencrypted backup:",
        )
        if first is None:
            return False, None
        if not first:
            return True, None
        try:
            check_new_passphrase(first)
        except DermaDeskError as exc:
            self.session.dialogs.error("Back up", f"{str(exc)[:1].upper()}{str(exc)[1:]}; nothing was written.")
            return False, None
        again = ask_secret(self._parent, "Back up: passphrase", "Type the passphrase again:")
        if again is None:
            return False, None
        if again != first:
            self.session.dialogs.error("Back up", "The two passphrases differ; nothing was written.")
            return False, None
        return True, first

    def back_up(self) -> Task | None:
        s = self.session
        name = f"dermadesk-backup-{dt.date.today().isoformat()}{m.BACKUP_SUFFIX}"
        path = s.dialogs.save_file("Back up the register", str(self._folder() / name), BACKUP_FILTER)
        if not path:
            return None
        go, passphrase = self.new_passphrase()
        if not go:
            return None
        register = s.register

        def done(info: dict) -> None:
            s.dialogs.info(
                "Backup written",
                f"Backup written to {info['archive']}: {info['images']} image files, {info['bytes'] / 1e6:.1f} MB"
                + (", encrypted: keep the passphrase safe, it cannot be recovered." if info["encrypted"] else "."),
            )

        return self._submit(
            "Backing up",
            lambda progress, cancel: m.back_up(register, Path(path), passphrase, progress, cancel),
            done,
            lambda msg: s.dialogs.error("Backup failed", msg),
        )

    # -- restore ---------------------------------------------------------------------------------------------
    def restore(self) -> Task | None:
        s = self.session
        if s.runner.running:
            s.dialogs.error("Restore", "Wait for the running task to finish (or cancel it), then restore.")
            return None
        files = s.dialogs.open_files("Restore from a backup", BACKUP_FILTER)
        if not files:
            return None
        archive = Path(files[0])
        if not s.dialogs.confirm(
            "Restore from a backup",
            f"Replace the register with the backup {archive.name}?\n\nThe backup is checked first; the current "
            "data is kept aside in a previous-... folder of the data directory.",
        ):
            return None
        passphrase = None
        if is_sealed(archive):
            try:
                read_header(archive, "backup", SCHEMA_VERSION)
            except DermaDeskError as exc:
                s.dialogs.error("Restore refused", str(exc))
                return None
            passphrase = ask_secret(self._parent, "Restore: passphrase", f"Passphrase of {archive.name}:")
            if passphrase is None:
                return None
        data_dir = s.data_dir
        s.register.close()  # the files are replaced under it: reopened when the task ends, whatever happened

        def reopen() -> None:
            s.register = ops.open_register(data_dir)
            self.reopened.emit()

        def done(info: dict) -> None:
            reopen()
            patients = len(ops.search_patient_ids(s.register, ""))
            s.dialogs.info("Register restored", m.restored_text(info, patients))

        def failed(msg: str) -> None:
            reopen()
            said = msg.rstrip(". ")  # one sentence that already says nothing changed is not said twice
            s.dialogs.error(
                "Restore failed",
                said + ("." if said.endswith("nothing was changed") else ". The register is as it was."),
            )

        task = self._submit(
            "Restoring",
            lambda progress, cancel: m.restore_backup(data_dir, archive, passphrase, progress, cancel),
            done,
            failed,
        )
        task.signals.cancelled.connect(reopen)
        return task

    # -- check and export ------------------------------------------------------------------------------------
    def check(self) -> Task:
        s = self.session
        register = s.register

        def done(result: m.CheckResult) -> None:
            text = "\n".join(result.lines)
            if result.ok:
                s.dialogs.info("Register check: OK", "The register is sound.\n\n" + text)
            else:
                s.dialogs.error("Register check: PROBLEMS", "The register has problems.\n\n" + text)

        return self._submit(
            "Checking the register",
            lambda progress, cancel: m.check(register, progress, cancel),
            done,
            lambda msg: s.dialogs.error("Check failed", msg),
        )

    def export(self) -> Task | None:
        s = self.session
        fmt, ok = QInputDialog.getItem(self._parent, "Export register", "Export as:", list(FORMATS), 0, False)
        if not ok:
            return None
        folder = s.dialogs.open_folder("Export the register into a folder")
        if not folder:
            return None
        register, kind = s.register, "json" if fmt == FORMATS[1] else "csv"
        return self._submit(
            "Exporting the register",
            lambda progress, cancel: m.export_register(register, Path(folder), kind, progress, cancel),
            lambda written: s.dialogs.info(
                "Register exported", f"Written to {folder}: " + ", ".join(p.name for p in written)
            ),
            lambda msg: s.dialogs.error("Export failed", msg),
        )


def add_maintenance_actions(window: Any, menu: Any) -> MaintenanceActions:
    """File > Back up..., Restore..., Check register..., Export register... on ``window``'s File menu."""
    actions = MaintenanceActions(window.session, window)

    def reopened() -> None:
        window.patients.model.register = window.session.register
        window.show_patient(None)
        window.patients.model.refresh()

    actions.reopened.connect(reopened)
    for text, slot in (
        ("&Back up...", actions.back_up),
        ("&Restore from backup...", actions.restore),
        ("&Check register...", actions.check),
        ("Export re&gister (CSV/JSON)...", actions.export),
    ):
        act = QAction(text, window)
        act.triggered.connect(lambda _=False, f=slot: f())
        menu.addAction(act)
    return actions
