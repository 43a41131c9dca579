"""File > Import patients...: the preview of what a package would do, with an Import button.

A patient whose MRN is another patient's here is answered in ``mrn_answers`` (``transfer_mrns``): left out, or
imported as a new patient under another MRN; its row and the summary then say what the import will do.

It fits the screen: at 150 % on a 1280x720 laptop (853x480) the preview with conflicts (1040x720) reached past the
screen's edge. Everything but the buttons is in a scroll area, each table scrolling inside it with room for a few
rows at least; Import and Cancel stay in sight at the bottom, and the title wraps instead of widening the dialog.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
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

from dermadesk.domain.dates import human_datetime
from dermadesk.services.transfer import ImportOutcome
from dermadesk.storage.transfer_answers import NO_ANSWERS, Answers, conflicts_text
from dermadesk.ui.transfer_conflicts import ConflictAnswers
from dermadesk.ui.transfer_mrns import Check, MrnAnswers
from dermadesk.ui.widgets import RowsTable, scrolled

STATUS_TEXT = {"new": "NEW", "present": "already here", "conflict": "CONFLICT"}
STATUS_COLOUR = {"new": "#e3f4e1", "present": "#f2f2f2", "conflict": "#fbe0e0"}
TO_ANSWER_COLOUR = "#fff1c2"  # a patient already here with fields changed on both sides not answered yet
LEAST_ROWS = 3  # rows a table shows at least before the whole preview scrolls
CONFLICT_ROWS = 4  # the conflicts to answer: at 150 % on 1280x720 about one and a half showed


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

    def __init__(
        self, outcome: ImportOutcome, parent: QWidget | None = None, check: Check | None = None, left: str = ""
    ) -> None:
        super().__init__(parent)
        self.check = check  # why an MRN typed for a patient to import as new cannot be one here ("" when it can)
        self.left = left  # the lesions an earlier import of the package left to compare, named: the import does it
        self.setWindowTitle("Import patients: preview")
        plan, source = outcome.plan, outcome.source
        title = self.title = QLabel(
            f"<b>{outcome.package}</b> ({'encrypted' if outcome.encrypted else 'not encrypted'}), "
            f"from workstation <b>{source['hostname']}</b> ({source['uid'][:8]}), made "
            f"{human_datetime(outcome.created)}"  # the workstation's clock, as every other date here
        )
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setWordWrap(True)  # a long file or workstation name never widens the dialog past the screen
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.table = self._patients(outcome)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        below = {c.text for c in plan.fields}  # answered below, one row each
        renamable = [p for p in plan.patients if p.suggested]  # its MRN another patient's here
        below |= {c for c in plan.conflicts if any(c.startswith(f"patient {p.mrn}: ") for p in renamable)}
        self.mrn_answers = MrnAnswers(renamable) if renamable else None
        if self.mrn_answers is not None:
            self.mrn_answers.table.show_rows(LEAST_ROWS)
            self.mrn_answers.changed.connect(self._offer_import)
            layout.addWidget(self.mrn_answers, 2)
        remarks = [f"Overruled: {o}" for o in plan.overruled] + [f"Will update: {u}" for u in plan.update_lines]
        remarks += [f"Conflict: {c}" for c in plan.conflicts if c not in below] + [f"Note: {n}" for n in plan.notes]
        self.conflict_answers = ConflictAnswers(plan.fields) if plan.fields else None
        if self.conflict_answers is not None:
            self.conflict_answers.table.show_rows(CONFLICT_ROWS)
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
        answered = self.conflict_answers is not None or self.mrn_answers is not None
        self.resize(1040, 720 if answered else 540)  # ``fit_dialog`` caps it to the screen

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
            mrn = f"{p.mrn} ({p.renamed} here)" if p.renamed and p.status == "present" else p.mrn  # imported so before
            cells = (mrn, p.name, p.birth_date or "", STATUS_TEXT[p.status], adds, why)
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
        """The answers given to the fields changed on both sides and to the patients whose MRN is another patient's
        here (none where there are none)."""
        fields = self.conflict_answers.answers() if self.conflict_answers is not None else NO_ANSWERS
        return replace(fields, renames=self.mrn_answers.renames()) if self.mrn_answers is not None else fields

    def accept(self) -> None:
        """Import, once every MRN given to a patient to import as new can be one here."""
        if self.mrn_answers is not None and self.check is not None and not self.mrn_answers.check(self.check):
            return
        super().accept()

    def _summary(self, renames: dict[str, str]) -> None:
        """What the import adds, updates, finds here and leaves out, a patient to import as new counted as added."""
        plan = self.plan
        added, left = dict(plan.added), dict(plan.left_out)
        for p in plan.patients:
            if p.uid in renames:
                added = {t: n + p.left_out.get(t, 0) for t, n in added.items()}
                left = {t: n - p.left_out.get(t, 0) for t, n in left.items()}
        self.summary.setText(
            f"To add: {counts_text(added)}<br>To update: {counts_text(plan.updated)}"
            f"<br>Already here: {counts_text(plan.present)}"
            + (
                f"<br><span style='color:#b00020'>Left out with a conflict: {counts_text(left)}</span>"
                if any(left.values())
                else ""
            )
            + (f"<br>To compare: {escape(self.left)} (left by an earlier import of this package)" if self.left else "")
        )

    def _renamed_row(self, row: int, p: Any, mrn: str | None) -> None:
        """A patient whose MRN is another patient's here: left out, or (``mrn``) to import as a new patient."""
        cells = (
            ("CONFLICT", "-", f"not merged: {p.reason}", STATUS_COLOUR["conflict"])
            if mrn is None
            else (f"NEW as {mrn or '?'}", counts_text(p.left_out), f"imported as {mrn or '?'}, as answered: MRN "
                  f"{p.mrn} is another patient's here", STATUS_COLOUR["new"])
        )  # fmt: skip
        for column, text in zip((3, 4, 5), cells[:3]):
            self.table.item(row, column).setText(text)
            self.table.item(row, column).setToolTip(text)
        for column in range(len(self.COLUMNS)):
            self.table.item(row, column).setBackground(QBrush(QColor(cells[3])))

    def _offer_import(self) -> None:
        """Import is offered where the package brings anything, or an answer is to be recorded; the patients'
        rows say what their conflicts' answers will do."""
        answer, numbered = self.answers(), {c.number: c for c in self.plan.fields}
        self._summary(dict(answer.renames))
        for row, p in enumerate(self.plan.patients):
            if p.suggested:
                self._renamed_row(row, p, answer.renames.get(p.uid))
            if p.fields:
                answers = [answer(numbered[n]) for n in p.fields]
                text = f"{STATUS_TEXT[p.status]} · {conflicts_text(answers)}"
                self.table.item(row, 3).setText(text)
                self.table.item(row, 3).setToolTip(text)
                colour = QBrush(QColor(TO_ANSWER_COLOUR if None in answers else STATUS_COLOUR[p.status]))
                for column in range(len(self.COLUMNS)):
                    self.table.item(row, column).setBackground(colour)
        offered = self.changes_anything or bool(self.answers())  # else what an earlier import left to compare
        self.import_button.setText(
            "Import" if offered else "Finish comparing" if self.left else "Nothing new to import"
        )
        self.import_button.setEnabled(offered or bool(self.left))

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        QTimer.singleShot(0, self.table, self.table.resizeRowsToContents)  # once the columns have their widths
