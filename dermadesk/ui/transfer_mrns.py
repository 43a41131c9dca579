"""The import preview's answers to package patients whose MRN is another patient's here (two clinics that gave the
same number to different people): leave it out (not imported, listed again next time), or import it as a new
patient under another MRN, a free one suggested. What an answer does is said in ``storage.transfer_mrns``."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermadesk.storage.transfer_merge import PatientPlan
from dermadesk.ui.widgets import RowsTable, StillComboBox, rich_intro

LEAVE_OUT, AS_NEW = "Leave out: not imported", "Import as a new patient"
Check = Callable[[str, list[str]], str]  # (MRN, MRNs chosen for the others) -> why it cannot be one here, or ""


class MrnAnswers(QWidget):
    """One row per such patient: its MRN, name, birth date and why, the answer, and the MRN to import it under;
    ``changed`` when an answer or an MRN changes."""

    COLUMNS = ("MRN", "Name", "Born", "Why not merged", "Answer", "New MRN")
    changed = Signal()

    def __init__(self, patients: list[PatientPlan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.patients = patients
        n = len(patients)
        intro = rich_intro(
            f"<b>{n} patient{'s' if n != 1 else ''} whose MRN is another patient's here</b> (two clinics gave the "
            "same number to different people): never merged into that patient. <i>Import as a new patient</i> under "
            "the MRN given (a free one is suggested; the next import finds the patient there), or <i>leave it "
            "out</i> (listed again next time). The same person written differently: leave it out, correct one "
            "register first."
        )
        self.table = RowsTable.answers(n, self.COLUMNS)
        self.choices: list[StillComboBox] = []
        self.mrns: list[QLineEdit] = []
        for row, p in enumerate(patients):
            for column, text in enumerate((p.mrn, p.name, p.birth_date or "", p.reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            box = StillComboBox()
            box.addItem(LEAVE_OUT, "")
            box.addItem(AS_NEW, "new")
            box.setAccessibleName(f"Answer: patient {p.mrn} of the package")
            mrn = QLineEdit(p.suggested)
            mrn.setAccessibleName(f"New MRN for patient {p.mrn} of the package")
            mrn.setEnabled(False)
            box.currentIndexChanged.connect(lambda _=0, edit=mrn, choice=box: self._chosen(edit, choice))
            mrn.textChanged.connect(lambda _="": self.changed.emit())
            self.table.setCellWidget(row, 4, box)
            self.table.setCellWidget(row, 5, mrn)
            self.choices.append(box)
            self.mrns.append(mrn)
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS)):
            mode = QHeaderView.ResizeMode.Stretch if column == 3 else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)

    def _chosen(self, edit: QLineEdit, box: StillComboBox) -> None:
        edit.setEnabled(box.currentData() == "new")
        self.problem.hide()
        self.changed.emit()

    def renames(self) -> dict[str, str]:
        """The MRN chosen for each patient to import as new (package uid -> MRN); the others are left out."""
        return {
            p.uid: edit.text().strip()
            for p, box, edit in zip(self.patients, self.choices, self.mrns)
            if box.currentData() == "new"
        }

    def check(self, problem: Check) -> bool:
        """Each MRN chosen can be a new patient's here (``problem`` says why not); the first that cannot is said
        under the table, with its field focused."""
        chosen = self.renames()
        for p, edit in zip(self.patients, self.mrns):
            if p.uid not in chosen:
                continue
            mrn = chosen[p.uid]
            why = (
                "give the MRN to import it under"
                if not mrn
                else problem(mrn, [m for u, m in chosen.items() if u != p.uid])
            )
            if why:
                self.problem.setText(f"Patient {p.mrn} of the package: {why}. Choose another MRN, or leave it out.")
                self.problem.show()
                edit.setFocus()
                return False
        self.problem.hide()
        return True
