"""Patient details: editable, validated, saved as the fields that differ from the record."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)

from dermadesk.domain.errors import ValidationError
from dermadesk.domain.records import BIRTH_DATE_FORMS, SEXES, SKIN_TYPES, Patient, check_birth_date
from dermadesk.domain.text import as_stored
from dermadesk.ui.widgets import StillComboBox, narrow, notes_keys


PATIENT_FIELD_WORDS = {
    "mrn": "MRN",
    "name": "name",
    "birth_date": "birth date",
    "sex": "sex",
    "skin_type": "skin type",
    "notes": "notes",
}  # "Patient DEMO-0001 saved (name, birth date)"


def _birth_as_stored(typed: str) -> str | None:
    """A typed birth date as stored (12.03.1961 is 1961-03-12); as typed where it is not one (Save says why)."""
    try:
        return check_birth_date(typed)
    except ValidationError:
        return typed


class PatientForm(QGroupBox):
    """Edits a patient; ``save_requested(changes)`` with the fields that differ from the record."""

    save_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Patient", parent)
        self.patient: Patient | None = None
        self.mrn = QLineEdit()
        self.name = QLineEdit()
        self.birth = QLineEdit(placeholderText="YYYY-MM-DD")
        self.birth.setToolTip(BIRTH_DATE_FORMS)
        self.sex = StillComboBox()
        self.sex.addItems(["", *SEXES])
        self.skin = StillComboBox()
        self.skin.addItems(["", *SKIN_TYPES])
        self.skin.setToolTip("Fitzpatrick skin type")
        for combo in (self.sex, self.skin):  # narrow: the form fits beside the lesions at 150 % on 1280x720
            narrow(combo, 2)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(40)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        self.save = QPushButton("Save patient")
        self.save.setToolTip("Save the patient's details")
        notes_keys(self.notes, self.save)
        form = self.form = QFormLayout(self)
        # 2 px above and below: at 150 % on 1280x720 the panes keep a referral prompt's room above the tabs for every
        # lesion (``short_screen.prompt_room``), and the top pane then had 197 px of the 200 the form took with 4
        form.setContentsMargins(6, 2, 6, 2)
        form.setVerticalSpacing(3)  # every field and the Save button in a short pane
        for label, w in (  # one field a row: the form stays narrow beside the lesions at 150 % on 1280x720
            ("MRN", self.mrn),
            ("Name", self.name),
            ("Birth date", self.birth),
            ("Sex", self.sex),
            ("Skin type", self.skin),
        ):
            form.addRow(label, w)  # type: ignore[call-overload]
        form.addRow(self._notes_label(), self.notes)
        form.addRow(self.error)
        form.setRowVisible(self.error, False)  # no empty row: shown with a message (``show_error``)
        QWidget.setTabOrder(self.notes, self.save)
        self.save.clicked.connect(self._save)
        self.setEnabled(False)

    def _notes_label(self) -> QWidget:
        """ "Notes" with the Save button under it, beside the notes' two lines: no row of its own below them, which
        at 150 % on a 1280x720 screen fell half below the pane's edge."""
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        label = QLabel("Notes")
        label.setBuddy(self.notes)
        column.addWidget(label)
        column.addStretch(1)
        column.addWidget(self.save)
        return cell

    def show_patient(self, p: Patient | None) -> None:
        self.patient = p
        self.setEnabled(p is not None)
        self.show_error("")
        self.mrn.setText(p.mrn if p else "")
        self.name.setText(p.name if p else "")
        self.birth.setText(p.birth_date or "" if p else "")
        self.sex.setCurrentText(p.sex or "" if p else "")
        self.skin.setCurrentText(p.skin_type or "" if p else "")
        self.notes.setPlainText(p.notes if p else "")
        for field in (self.mrn, self.name, self.birth):
            field.setCursorPosition(0)  # a long name in a narrow field shows its beginning
        self.setTitle(f"Patient {p.mrn}" + (" (deleted)" if p and p.deleted_at else "") if p else "Patient")

    def changes(self) -> dict[str, str | None]:
        if self.patient is None:
            return {}
        p = self.patient
        new = {
            "mrn": self.mrn.text(),
            "name": self.name.text(),
            "birth_date": _birth_as_stored(self.birth.text()),
            "sex": self.sex.currentText() or None,
            "skin_type": self.skin.currentText() or None,
            "notes": self.notes.toPlainText(),
        }
        # each field as it would be stored, so spaces or line ends alone change nothing (an empty field is None)
        return {k: v for k, v in new.items() if as_stored(v, k == "notes") != as_stored(getattr(p, k), k == "notes")}

    def _save(self) -> None:
        self.show_error("")
        self.save_requested.emit(self.changes())

    def show_error(self, message: str) -> None:
        """The refusal's reason under the notes and Save patient; where the form scrolls (150 % on 1280x720), it is
        scrolled into sight once laid out (it fell below the pane's edge)."""
        self.error.setText(message)
        self.form.setRowVisible(self.error, bool(message))
        if message:
            QTimer.singleShot(0, self, self._error_in_sight)

    def _error_in_sight(self) -> None:
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None and not self.error.isHidden():
            area.ensureWidgetVisible(self.error, 0, self.form.verticalSpacing() + 2)
