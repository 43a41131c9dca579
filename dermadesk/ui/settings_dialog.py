"""Edit > Settings...: the data folder of the next start, the model and device, the operator, the clinic and paper.

The data folder is kept in this workstation's file (``config.choose_data_dir``) when Save is pressed, after what the
folder holds was said and agreed to (``services.data_folder``); --data-dir and $DERMADESK_DATA_DIR still win over
it, and a portable installation keeps its data beside the program. The register open now is never moved or copied.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from dermadesk.config import (
    DATA_DIR_ENV,
    FROM_ENV,
    FROM_PORTABLE,
    Settings,
    choose_data_dir,
    chosen_data_dir,
    data_dir_source,
    portable_dir,
    standard_data_dir,
    workstation_dir,
)
from dermadesk.domain.errors import ValidationError
from dermadesk.services.data_folder import NOT_CHANGED, judge_folder, typed_folder
from dermadesk.storage.register import Register
from dermadesk.ui.dialogs import DialogService, start_folder
from dermadesk.ui.forms import _buttons

DATA_TITLE = "Data directory"
NBSP = "\u00a0"
NOT_MOVED = (
    "The register open now is not moved or copied; to move it, back it up (File > Back up...) and restore it in the "
    "new folder (File > Restore from backup...)."
).replace(" > ", f"{NBSP}>{NBSP}")  # a menu's name never split at its ">"


def next_start_folder() -> Path:
    """The folder this setting governs: the one chosen before, else the standard one (portable mode: its own)."""
    return portable_dir() or chosen_data_dir() or standard_data_dir()


def breakable(path: object) -> str:
    """A path that may wrap after each folder's name (a long one widened the dialog past a small screen)."""
    text = str(path)
    for sep in {os.sep, "/"}:
        text = text.replace(sep, sep + "\u200b")
    return text


def data_folder_note(open_now: Path, shown: Path) -> str:
    """The words under the data folder: that it counts from the next start and moves nothing, what this window
    uses where that is another folder, and what wins over the setting on this computer."""
    source = data_dir_source()
    if source == FROM_PORTABLE:
        return "Portable installation: the data always stays in the DermaDeskData folder beside the program."
    used = f" (this window uses {breakable(open_now)})" if open_now != shown else ""
    note = f"Opened from the next start{used}. {NOT_MOVED}"
    if source == FROM_ENV:
        note += (
            f" While {DATA_DIR_ENV} is set on this computer (now to {breakable(os.environ[DATA_DIR_ENV])}), "
            "DermaDesk starts in that folder instead."
        )
    return note


class Note(QLabel):
    """Words that wrap, asking for the height they need at the width they are given: a form gives a wrapped label
    the height it guessed (six lines' where three are used: blank bands above and below the words)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.laid_out = False

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(self.width())) if self.laid_out else hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.laid_out = True
            self.updateGeometry()


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        data_dir: Path,
        models: list[str],
        parent: QWidget | None = None,
        dialogs: DialogService | None = None,
        register: Register | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.dialogs = dialogs or DialogService(self)
        self.register, self.open_now = register, Path(data_dir)
        self.first_folder = next_start_folder()
        self.chosen: Path | None = None  # the data folder kept for the next start, once Save kept one
        self.data_dir = QLineEdit(str(self.first_folder))
        self.data_dir.setAccessibleName(DATA_TITLE)
        self.data_dir.setPlaceholderText(f"empty: the standard folder, {standard_data_dir()}")
        self.data_dir.setToolTip(
            "The folder DermaDesk opens at its next start; --data-dir and DERMADESK_DATA_DIR win over it"
        )
        self.browse = QPushButton("&Browse...")
        self.browse.setToolTip("Choose the data folder, or name a new one")
        self.browse.clicked.connect(self.choose_folder)
        self.data_note = Note(data_folder_note(self.open_now, self.first_folder))
        if data_dir_source() == FROM_PORTABLE:
            self.data_dir.setReadOnly(True)
            self.browse.setEnabled(False)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.data_dir, 1)
        folder_row.addWidget(self.browse)
        self.model = QComboBox()
        self.model.addItems(["(default)", *models])
        self.model.setCurrentText(settings.model or "(default)")
        self.device = QComboBox()
        self.device.addItems(["auto", "cpu", "gpu"])
        self.device.setCurrentText(settings.device)
        self.operator = QLineEdit(settings.operator)
        self.operator.setPlaceholderText("your name: written in the audit log and on reports")
        self.operator_on_deidentified = QCheckBox("Print the operator on de-identified reports too")
        self.operator_on_deidentified.setChecked(settings.operator_on_deidentified)
        self.shared = QCheckBox("Shared workstation: ask who is working at every start")
        self.shared.setToolTip(
            "The name field then starts empty, so nobody works under the last person's name "
            "(Edit > Change operator hands over without restarting)"
        )
        self.shared.setChecked(settings.shared_workstation)
        self.clinic = QLineEdit(settings.clinic_name)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.paper.setCurrentText(settings.paper_size)
        form = QFormLayout(self)
        form.addRow(DATA_TITLE, folder_row)
        form.addRow("", self.data_note)
        form.addRow("Model", self.model)
        form.addRow("Device", self.device)
        form.addRow("Operator (audit log, reports)", self.operator)
        form.addRow("", self.operator_on_deidentified)
        form.addRow("", self.shared)
        form.addRow("Clinic name (reports)", self.clinic)
        form.addRow("Paper size", self.paper)
        form.addRow(_buttons(self, "Save"))
        self.settings = settings
        self.ensurePolished()  # the style's fonts and margins, as shown
        width = max(self.sizeHint().width(), 640)  # the note on three lines, not six
        self.resize(width, self.sizeHint().height())
        form.setGeometry(self.rect())  # the note given its width (no resize event while hidden) ...
        self.data_note.laid_out = True
        self.data_note.updateGeometry()
        self.resize(width, form.totalHeightForWidth(width))  # ... and the dialog the height the note needs there

    def choose_folder(self) -> None:
        """Browse...: a folder, or the name of a new one, in the folder the field names (else Documents)."""
        try:
            shown = typed_folder(self.data_dir.text())
        except ValidationError:
            shown = self.first_folder
        start = next((p for p in (shown, *shown.parents) if p.is_dir()), start_folder())
        if chosen := self.dialogs.open_folder(DATA_TITLE, may_be_new=True, start=start):
            self.data_dir.setText(chosen)

    def accept(self) -> None:
        """Save: a data folder typed or chosen is kept for the next start once what it holds was said and agreed
        to; refused (the dialog stays open, the other settings not saved yet) where it cannot be used."""
        if self.data_dir.isReadOnly() or self.data_dir.text() == str(self.first_folder) or self.keep_folder():
            super().accept()
        else:
            self.data_dir.setFocus()

    def keep_folder(self) -> bool:
        """True when the folder in the field may be kept (and was), or is the one kept already."""
        try:
            folder = typed_folder(self.data_dir.text())
        except ValidationError as exc:
            self.dialogs.error(DATA_TITLE, f"{str(exc)[:1].upper()}{str(exc)[1:]}.\n\n{NOT_CHANGED}")
            return False
        if folder == self.first_folder:
            return True
        verdict = judge_folder(folder, self.open_now, self.register)
        if verdict.refusal:
            self.dialogs.error(DATA_TITLE, verdict.refusal)
            return False
        if not self.dialogs.confirm(DATA_TITLE, verdict.question):
            return False
        try:
            if verdict.make:
                folder.mkdir(mode=0o700)
            choose_data_dir(folder)
        except OSError as exc:
            where = folder if verdict.make and not folder.is_dir() else workstation_dir()
            self.dialogs.error(DATA_TITLE, f"{where} cannot be written ({exc.strerror or exc}).\n\n{NOT_CHANGED}")
            return False
        self.chosen = folder
        return True

    def result_settings(self) -> Settings:
        return dataclasses.replace(  # what the dialog does not show (the report folder, ...) is kept
            self.settings,
            operator=self.operator.text().strip(),
            operator_on_deidentified=self.operator_on_deidentified.isChecked(),
            shared_workstation=self.shared.isChecked(),
            clinic_name=self.clinic.text().strip(),
            paper_size=self.paper.currentText(),
            device=self.device.currentText(),
            model="" if self.model.currentText() == "(default)" else self.model.currentText(),
        )
