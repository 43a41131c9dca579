"""Dialogs: new patient, capture details, settings, about, first-run disclaimer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dermadesk import __version__
from dermadesk.config import Settings
from dermadesk.contract import DISCLAIMER
from dermadesk.domain.records import MODALITIES, POLARISATIONS, SEXES, SKIN_TYPES
from dermadesk.services.captures import CaptureMeta


def _buttons(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class NewPatientDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New patient")
        self.mrn = QLineEdit()
        self.name = QLineEdit(placeholderText="Given Family")
        self.birth = QLineEdit(placeholderText="YYYY-MM-DD")
        self.sex = QComboBox()
        self.sex.addItems(["", *SEXES])
        self.skin = QComboBox()
        self.skin.addItems(["", *SKIN_TYPES])
        form = QFormLayout(self)
        for label, w in (
            ("MRN", self.mrn),
            ("Name", self.name),
            ("Birth date", self.birth),
            ("Sex", self.sex),
            ("Fitzpatrick skin type", self.skin),
        ):
            form.addRow(label, w)
        form.addRow(_buttons(self, "Add patient"))

    def values(self) -> dict[str, str | None]:
        return {
            "mrn": self.mrn.text(),
            "name": self.name.text(),
            "birth_date": self.birth.text() or None,
            "sex": self.sex.currentText() or None,
            "skin_type": self.skin.currentText() or None,
        }


class CaptureDialog(QDialog):
    """Taken-at (default from EXIF when one file has it), modality, polarisation, scale."""

    def __init__(self, files: list[str], exif_date: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {len(files)} image{'s' if len(files) != 1 else ''}")
        self.use_exif = QCheckBox("Use each image's EXIF date when present")
        self.use_exif.setChecked(True)
        self.taken = QDateEdit(QDate.fromString(exif_date[:10], "yyyy-MM-dd") if exif_date else QDate.currentDate())
        self.taken.setDisplayFormat("yyyy-MM-dd")
        self.taken.setCalendarPopup(True)
        self.taken.setMaximumDate(QDate.currentDate())
        self.modality = QComboBox()
        self.modality.addItems(MODALITIES)
        self.polarisation = QComboBox()
        self.polarisation.addItems(POLARISATIONS)
        self.polarisation.setCurrentText("unknown")
        self.mm_per_px = QDoubleSpinBox(decimals=4, minimum=0.0, maximum=5.0, singleStep=0.001)
        self.mm_per_px.setSpecialValueText("unknown")
        self.magnification = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=400.0)
        self.magnification.setSpecialValueText("unknown")
        self.notes = QLineEdit()
        form = QFormLayout(self)
        names = ", ".join(Path(f).name for f in files[:4]) + (" ..." if len(files) > 4 else "")
        form.addRow(QLabel(names))
        form.addRow("Taken on", self.taken)
        form.addRow(self.use_exif)
        form.addRow("Modality", self.modality)
        form.addRow("Polarisation", self.polarisation)
        form.addRow("mm per pixel", self.mm_per_px)
        form.addRow("Magnification", self.magnification)
        form.addRow("Notes", self.notes)
        form.addRow(_buttons(self, "Import"))

    def meta(self) -> CaptureMeta:
        taken = (
            None
            if self.use_exif.isChecked() and self.use_exif.isEnabled()
            else self.taken.date().toString("yyyy-MM-dd")
        )
        return CaptureMeta(
            taken_at=taken,
            modality=self.modality.currentText(),
            polarisation=self.polarisation.currentText(),
            magnification=self.magnification.value() or None,
            mm_per_px=self.mm_per_px.value() or None,
            notes=self.notes.text(),
        )


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, data_dir: Path, models: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.data_dir = QLineEdit(str(data_dir))
        self.data_dir.setToolTip("Takes effect at the next start")
        self.model = QComboBox()
        self.model.addItems(["(default)", *models])
        self.model.setCurrentText(settings.model or "(default)")
        self.device = QComboBox()
        self.device.addItems(["auto", "cpu", "gpu"])
        self.device.setCurrentText(settings.device)
        self.operator = QLineEdit(settings.operator)
        self.clinic = QLineEdit(settings.clinic_name)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.paper.setCurrentText(settings.paper_size)
        form = QFormLayout(self)
        form.addRow("Data directory", self.data_dir)
        form.addRow("Model", self.model)
        form.addRow("Device", self.device)
        form.addRow("Operator (audit log)", self.operator)
        form.addRow("Clinic name (reports)", self.clinic)
        form.addRow("Paper size", self.paper)
        form.addRow(_buttons(self, "Save"))
        self.settings = settings

    def result_settings(self) -> Settings:
        s = self.settings
        return Settings(
            operator=self.operator.text().strip(),
            clinic_name=self.clinic.text().strip(),
            clinic_logo=s.clinic_logo,
            paper_size=self.paper.currentText(),
            device=self.device.currentText(),
            model="" if self.model.currentText() == "(default)" else self.model.currentText(),
            disclaimer_acknowledged=s.disclaimer_acknowledged,
        )


class AboutDialog(QDialog):
    def __init__(self, model_text: str, card_markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About DermaDesk")
        self.resize(720, 640)
        browser = QTextBrowser()
        browser.setMarkdown(f"# DermaDesk {__version__}\n\n**{DISCLAIMER}**\n\n{model_text}\n\n---\n\n{card_markdown}")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(box)


class DisclaimerDialog(QDialog):
    """First run: the user acknowledges that DermaDesk is decision support, not a diagnosis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you start")
        text = QLabel(
            f"<h3>DermaDesk is decision support, not a diagnosis</h3><p>{DISCLAIMER}</p>"
            "<p>Its model was trained on a public research data set (HAM10000) and has not been "
            "clinically validated. Out-of-distribution and image-quality warnings mean the estimate "
            "should not be relied on.</p>"
        )
        text.setWordWrap(True)
        self.ack = QCheckBox("I understand")
        box = _buttons(self, "Continue")
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.ack.toggled.connect(ok.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.ack)
        layout.addWidget(box)
