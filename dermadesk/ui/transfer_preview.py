"""File > Import patients...: the preview of what a package would do, with an Import button.

It fits the screen: at 150 % on a 1280x720 laptop (853x480) the preview with conflicts (1040x720) reached past the
screen's edge. Everything but the buttons is in a scroll area, each table scrolling inside it with room for a few
rows at least; Import and Cancel stay in sight at the bottom, and the title wraps instead of widening the dialog.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermadesk.services.transfer import ImportOutcome
from dermadesk.storage.transfer_answers import NO_ANSWERS, Answers, conflicts_text
from dermadesk.ui.transfer_conflicts import ConflictAnswers
from dermadesk.ui.widgets import RowsTable, scrolled

STATUS_TEXT = {"new": "NEW", "present": "already here", "conflict": "CONFLICT"}
STATUS_COLOUR = {"new": "#e3f4e1", "present": "#f2f2f2", "conflict": "#fbe0e0"}
TO_ANSWER_COLOUR = "#fff1c2"  # a patient already here with fields changed on both sides not answered yet
LEAST_ROWS = 3  # rows a table shows at least before the whole preview scrolls


def plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def counts_text(counts: dict[str, int]) -> str:
    """ "2 patients, 5 captures" (tables with none left out; "nothing" when all are zero)."""
    parts = [plural(n, table[:-1]) for table, n in counts.items() if n]
    return ", ".join(parts) or "nothing"


class ImportPreviewDialog(QDialog):
    """What the package would add, what is already here, and every conflict, with an Import button; a field
    changed on both sides is answered in ``conflict_answers`` (keep this register's value, or take the package's).
    A patient's row says what waits there: "already here · 2 conflicts to answer" (amber), then what the answers
    given will do, and how many of this register's values an answer given in the package's register overrules."""

    COLUMNS = ("MRN", "Name", "Born", "Status", "Adds", "Why")

    def __init__(self, outcome: ImportOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import patients: preview")
        plan, source = outcome.plan, outcome.source
        title = QLabel(
            f"<b>{outcome.package}</b> ({'encrypted' if outcome.encrypted else 'not encrypted'}), "
            f"from workstation <b>{source['hostname']}</b> ({source['uid'][:8]}), made "
            f"{outcome.created[:16].replace('T', ' ')} UTC"
        )
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setWordWrap(True)  # a long file or workstation name never widens the dialog past the screen
        self.summary = QLabel(
            f"To add: {counts_text(plan.added)}<br>To update: {counts_text(plan.updated)}"
            f"<br>Already here: {counts_text(plan.present)}"
            + (
                f"<br><span style='color:#b00020'>Left out with a conflict: {counts_text(plan.left_out)}</span>"
                if any(plan.left_out.values())
                else ""
            )
        )
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.table = self._patients(outcome)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        fields = {c.text for c in plan.fields}  # answered below, one row each
        remarks = [f"Overruled: {o}" for o in plan.overruled] + [f"Will update: {u}" for u in plan.update_lines]
        remarks += [f"Conflict: {c}" for c in plan.conflicts if c not in fields] + [f"Note: {n}" for n in plan.notes]
        self.conflict_answers = ConflictAnswers(plan.fields) if plan.fields else None
        if self.conflict_answers is not None:
            self.conflict_answers.table.show_rows(LEAST_ROWS)
            layout.addWidget(self.conflict_answers, 3)
        if remarks:
            self.remarks = QPlainTextEdit("\n".join(remarks))
            self.remarks.setReadOnly(True)
            self.remarks.setMaximumHeight(110)
            self.remarks.setMinimumHeight(3 * self.remarks.fontMetrics().lineSpacing() + 12)
            layout.addWidget(self.remarks)
        self.body = scrolled(body, min_height=120)  # scrolls where the screen is shorter than the preview
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.changes_anything = plan.changes_anything
        self.plan = plan
        self._offer_import()
        if self.conflict_answers is not None:
            self.conflict_answers.changed.connect(self._offer_import)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.body, 1)
        outer.addWidget(buttons)  # outside the scroll area: always in sight
        self.resize(1040, 720 if self.conflict_answers is not None else 540)  # ``fit_dialog`` caps it to the screen

    def _patients(self, outcome: ImportOutcome) -> RowsTable:
        """One row per package patient: MRN, name, born, what happens to it, what it adds, and why."""
        plan, host = outcome.plan, outcome.source["hostname"]
        table = RowsTable(len(plan.patients), len(self.COLUMNS))
        table.setHorizontalHeaderLabels(self.COLUMNS)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for row, p in enumerate(plan.patients):
            parts = (
                ([counts_text(p.new)] if any(p.new.values()) else [])
                + ([f"updates {plural(p.updated, 'record')}"] if p.updated else [])
                + ([f"{p.overruled} of your values overruled at {host} (see below)"] if p.overruled else [])
            )
            adds = ("; ".join(parts) or counts_text(p.new)) if p.status != "conflict" else "-"
            why = f"not merged: {p.reason}" if p.status == "conflict" else p.reason
            cells = (p.mrn, p.name, p.birth_date or "", STATUS_TEXT[p.status], adds, why)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(QColor(STATUS_COLOUR[p.status])))
                item.setToolTip(text)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        for column in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.setWordWrap(True)
        header.sectionResized.connect(lambda *_: table.resizeRowsToContents())  # wrapped "Why" rows fit
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.show_rows(LEAST_ROWS)
        return table

    def answers(self) -> Answers:
        """The answers given to the fields changed on both sides (none where there are none)."""
        return self.conflict_answers.answers() if self.conflict_answers is not None else NO_ANSWERS

    def _offer_import(self) -> None:
        """Import is offered where the package brings anything, or an answer is to be recorded; the patients'
        rows say what their conflicts' answers will do."""
        answer, numbered = self.answers(), {c.number: c for c in self.plan.fields}
        for row, p in enumerate(self.plan.patients):
            if p.fields:
                answers = [answer(numbered[n]) for n in p.fields]
                text = f"{STATUS_TEXT[p.status]} · {conflicts_text(answers)}"
                self.table.item(row, 3).setText(text)
                self.table.item(row, 3).setToolTip(text)
                colour = QBrush(QColor(TO_ANSWER_COLOUR if None in answers else STATUS_COLOUR[p.status]))
                for column in range(len(self.COLUMNS)):
                    self.table.item(row, column).setBackground(colour)
        offered = self.changes_anything or bool(self.answers())
        self.import_button.setText("Import" if offered else "Nothing new to import")
        self.import_button.setEnabled(offered)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        QTimer.singleShot(0, self.table, self.table.resizeRowsToContents)  # once the columns have their widths
