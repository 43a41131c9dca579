"""File > Back up..., Restore..., Check register..., Export register as spreadsheet...: the CLI's maintenance in
the app.

The work runs in the task runner (progress and Cancel in the status bar); the GUI thread only asks and shows.
Passphrases are asked with ``QInputDialog.getText`` (password echo), twice for a new backup. The main window
hooks this in with ``add_maintenance_actions(window, file_menu)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from dermadesk.domain.errors import DermaDeskError, NotFoundError, PassphraseError
from dermadesk.services import maintenance as m
from dermadesk.services import register_ops as ops
from dermadesk.storage.migrations import SCHEMA_VERSION
from dermadesk.storage.restore import refuse_package
from dermadesk.storage.sealed import MIN_PASSPHRASE, check_new_passphrase, check_passphrase, is_sealed, read_header
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task
from dermadesk.ui.unsaved import before_restore

BACKUP_FILTER = "DermaDesk backups (*.zip);;All files (*)"
FORMATS = ("CSV files, one per table", "One JSON file")


def sentence(message: str, *names: str) -> str:
    """A service's one-line message as a sentence: capital first letter ("wrong passphrase..." -> "Wrong ..."),
    never where it starts with a file's name or path, whose case is the user's ("s7.jpg: not a readable ...").
    ``names``: the files the message may start with; a first word with a dot or a slash is taken for one too."""
    first = message.split(maxsplit=1)[0].rstrip(":") if message.strip() else ""
    if any(name and message.startswith(name) for name in names) or any(c in first for c in "./\\"):
        return message
    return message[:1].upper() + message[1:]


def ask_secret(parent: QWidget | None, title: str, label: str) -> str | None:
    """A password field; None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


def new_name(folder: Path) -> str:
    """A new export folder's name in ``folder``: "dermadesk-export-2026-11-22", "-2" after it where taken."""
    name = f"dermadesk-export-{dt.date.today().isoformat()}"
    n = 1
    while (folder / (name if n == 1 else f"{name}-{n}")).exists():
        n += 1
    return name if n == 1 else f"{name}-{n}"


class MaintenanceActions(QObject):
    """``reopened()`` after a restore switched the data (the window shows the register again)."""

    reopened = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # before the register is closed for a restore (the window's typing settled, its views let go); False: off
        self.closing: Callable[[], bool] = lambda: True

    @property
    def _parent(self) -> Any:
        return self.session.dialogs.parent

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
        path = s.dialogs.save_file("Back up the register", str(s.last_folder("backup") / name), BACKUP_FILTER)
        if not path:
            return None
        archive = m.backup_file_name(Path(path))  # ".zip" added: the save dialog asked about the name without it
        replace = f"{archive.name} already exists in\n{archive.parent}\n\nReplace it with the new backup?"
        if archive != Path(path) and archive.exists() and not s.dialogs.confirm("Back up", replace):
            return None
        s.remember_folder("backup", archive.parent)
        go, passphrase = self.new_passphrase()
        if not go:
            return None
        register = s.register

        return self._submit(
            "Backing up",
            lambda progress, cancel: m.back_up(register, archive, passphrase, progress, cancel),
            lambda info: s.dialogs.info("Backup written", m.backed_up_text(info)),
            lambda msg: s.dialogs.error("Backup failed", sentence(msg, archive.name, str(archive))),
        )

    # -- restore ---------------------------------------------------------------------------------------------
    def restore(self) -> Task | None:
        """Pick the backup, its passphrase (asked again while wrong), check it in the background, then ask,
        saying when it was made and what it holds, before the register is replaced."""
        s = self.session
        if s.runner.running:
            s.dialogs.info("Restore", "Wait for the running task to finish (or cancel it), then restore.")
            return None
        files = s.dialogs.open_files("Restore from a backup", BACKUP_FILTER, s.last_folder("backup"))
        if not files:
            return None
        archive = Path(files[0])
        passphrase = None
        if is_sealed(archive):
            try:
                refuse_package(archive, read_header(archive, "backup", SCHEMA_VERSION))  # before a passphrase
            except DermaDeskError as exc:
                s.dialogs.error("Restore refused", sentence(str(exc), archive.name, str(archive)))
                return None
            if (passphrase := self.backup_passphrase(archive)) is None:
                return None
        return self._submit(
            "Checking the backup",
            lambda progress, cancel: m.backup_facts(archive, passphrase, progress, cancel),
            lambda facts: self._confirm_restore(facts, passphrase),
            lambda msg: s.dialogs.error("Restore refused", sentence(msg, archive.name, str(archive))),
        )

    def backup_passphrase(self, archive: Path) -> str | None:
        """The passphrase that opens ``archive``, asked again after a wrong one; None when cancelled."""
        label = f"Passphrase of the backup {archive.name}:"
        while (passphrase := ask_secret(self._parent, "Restore: passphrase", label)) is not None:
            try:
                check_passphrase(archive, passphrase, "backup", SCHEMA_VERSION)
                return passphrase
            except PassphraseError:
                self.session.dialogs.error(
                    "Wrong passphrase",
                    f"This passphrase does not open the backup {archive.name}.\n\nCheck capital letters and "
                    "spaces, and type it again. Nothing was changed.",
                )
                label = f"Passphrase of the backup {archive.name} (the last one typed did not open it):"
            except DermaDeskError as exc:
                self.session.dialogs.error("Restore refused", sentence(str(exc), archive.name, str(archive)))
                return None
        return None

    def _confirm_restore(self, facts: m.BackupFacts, passphrase: str | None) -> Task | None:
        s = self.session
        current = m.register_facts(s.register)
        question = m.restore_question(facts, current, s.data_dir)  # first, when so: "This backup is from another..."
        title = "Restore a backup of another register" if m.other_register(facts, current) else "Restore from a backup"
        if not s.dialogs.confirm(title, question) or not self.closing():
            return None
        data_dir, archive = s.data_dir, facts.archive
        s.register.close()  # the files are replaced under it: reopened when the task ends, whatever happened

        def reopen() -> None:
            s.register = ops.open_register(data_dir)
            self.reopened.emit()

        def done(info: dict) -> None:
            reopen()
            s.dialogs.info("Register restored", m.restored_text(info, facts))

        def failed(msg: str) -> None:
            reopen()
            # one sentence that already says nothing changed is not said twice
            said = sentence(msg, archive.name, str(archive)).rstrip(". ")
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
            plain = result.plain  # what is fine, what is wrong, what to do; the technical lines under Details
            (s.dialogs.info if plain.ok else s.dialogs.error)(plain.title, plain.message, plain.details)

        return self._submit(
            "Checking the register",
            lambda progress, cancel: m.check(register, progress, cancel),
            done,
            lambda msg: s.dialogs.error("Check failed", msg),
        )

    def export(self) -> Task | None:
        s = self.session
        fmt, ok = QInputDialog.getItem(
            self._parent, "Export register as spreadsheet", "Export every patient, lesion, capture and assessment "
            "as:", list(FORMATS), 0, False,
        )  # fmt: skip
        if not ok:
            return None
        start = s.last_folder("export")
        chosen = s.dialogs.open_folder(
            "Export register as spreadsheet: choose a folder or type a new name", True, start, new_name(start)
        )
        if not chosen:
            return None
        folder = Path(chosen).expanduser().absolute()
        s.remember_folder("export", folder.parent)  # the next export's new folder goes beside this one
        register, kind, new = s.register, "json" if fmt == FORMATS[1] else "csv", not folder.exists()

        def done(written: list[Path]) -> None:
            names = ", ".join(p.name for p in written)
            into = written[0].parent if written else Path(folder)  # a folder holding files: a new one made in it
            made = "new folder" if new or into != Path(folder) else "folder"
            s.dialogs.info(
                "Register exported",
                f"{len(written)} file{'s' if len(written) > 1 else ''} written into the {made}\n{into}\n\n{names}"
                "\n\nThey hold the register's records (no images), for a spreadsheet or an audit.",
            )

        return self._submit(
            "Exporting the register",
            lambda progress, cancel: m.export_register(register, folder, kind, progress, cancel),
            done,
            lambda msg: s.dialogs.error("Export failed", sentence(msg, folder.name, str(folder))),
        )


def _reselect(window: Any, patient_id: int, lesion_number: int | None, image: str | None) -> None:
    """After a restore: the lesion with ``lesion_number`` of the patient shown again, on the capture of ``image``."""
    reg = window.session.register
    lesion = next((les for les in ops.lesions_of(reg, patient_id) if les.number == lesion_number), None)
    if lesion_number is None or lesion is None:
        return
    capture = next((c for c in reg.captures.for_lesion(lesion.id) if c.image_sha256 == image), None)
    window.lesions.show_lesions(ops.lesions_of(reg, patient_id), lesion.id)
    if capture is not None:
        window.show_lesion(lesion.id, capture.id)


def add_maintenance_actions(window: Any, menu: Any) -> MaintenanceActions:
    """File > Back up..., Restore..., Check register..., Export register as spreadsheet... on ``window``'s File
    menu, each with a status tip saying what it is for."""
    actions = MaintenanceActions(window.session, window)

    shown_before: list[Any] = [None, None, None]  # the patient, lesion number and capture image before a restore

    def closing() -> bool:
        """Before the register is closed for a restore: typing saved into it or discarded (or the restore called
        off), what it shows remembered, and nothing of it shown or clickable until the restored one is open (typing
        then would be saved into the restored register under another record's id)."""
        if not before_restore(window):
            return False
        shown_before[:] = [window.patient_form.patient, None, None]
        if (lid := window.selection.lesion_id) is not None:
            shown_before[1] = next((les.number for les in window.lesions.lesions if les.id == lid), None)
        if (cid := window.selection.capture_id) is not None:
            shown_before[2] = window.session.register.captures.get(cid).image_sha256
        window.show_patient(None)
        window.patients.model.set_ids(window.patients.model.query, [])  # no row reads the closed register
        for part in (window.centralWidget(), window.menuBar()):
            part.setEnabled(False)
        return True

    def reopened() -> None:
        """The restored register shown: the patient shown before (by MRN) when it holds one, else its first, with
        the lesion (by number) and capture (by image) shown before when the backup holds them."""
        for part in (window.centralWidget(), window.menuBar()):
            part.setEnabled(True)
        if (fixes := getattr(window, "corrections", None)) is not None:
            fixes.stack.clear()  # its changes were made in the register the restore replaced
        shown, lesion_number, image = shown_before
        window.patients.model.register = window.session.register
        window.show_patient(None)
        window.patients.model.refresh()
        target = window.patients.model.patient(0)
        if shown is not None:
            try:
                target = window.session.register.patients.by_mrn(shown.mrn)
            except NotFoundError:
                pass  # not in the backup: its first patient
        if target is not None:
            window.refresh(target.id)
            if shown is not None and target.mrn == shown.mrn:
                _reselect(window, target.id, lesion_number, image)

    actions.closing = closing
    actions.reopened.connect(reopened)
    for text, slot, tip in (
        ("&Back up...", actions.back_up, "Saves the whole register with its images into one file (encrypted with "
         "a passphrase if you give one), to restore after a loss"),
        ("Restore from bac&kup...", actions.restore, "Replaces the register with a backup (says its date and "
         "contents first); the current data is kept aside"),
        ("&Check register...", actions.check, "Checks the register and its images for damage and says what to do"),
        ("Export register as sprea&dsheet (CSV/JSON)...", actions.export, "Writes every patient, lesion, capture "
         "and assessment as tables into a folder, for a spreadsheet or an audit (no images)"),
    ):  # fmt: skip
        act = QAction(text, window)
        act.setStatusTip(tip)
        act.setToolTip(tip)
        act.triggered.connect(lambda _=False, f=slot: f())
        menu.addAction(act)
    return actions
