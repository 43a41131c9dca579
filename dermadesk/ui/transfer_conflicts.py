"""The import preview's answers to fields changed on both sides since the two registers last agreed: one row
each (record, field, the value here, in the package, last agreed: after the package's register overruled your value,
the value it settled) with its answer, and buttons answering all at once. A capture's review is one row, its decision
and clinician notes a line each in every cell, with one answer for both ("Keep this register's review"); its Here and
In the package cells end with who set it on that side and when ("Dr Ames, 3 Mar 2026"). What an answer writes is said in
``storage.transfer_fields`` and ``storage.transfer_review``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermadesk.storage.transfer_answers import KEEP, NO_ANSWERS, TAKE, Answers, counted_fields
from dermadesk.storage.transfer_values import RECHECK, FieldConflict, empty, label, set_by, set_when, shown
from dermadesk.ui.widgets import RowsTable, StillComboBox, rich_intro

NOT_ANSWERED = "Not answered: leave as here, ask again"
CHOICES = ((NOT_ANSWERED, ""), ("Keep this register's value", KEEP), ("Take the package's value", TAKE))
REVIEW_CHOICES = ((NOT_ANSWERED, ""), ("Keep this register's review", KEEP), ("Take the package's review", TAKE))
LINE = 48  # characters of a review's notes shown in its cell's line (all of them in the tooltip)
WEIGHTS = (2.0, 1.2, 1.5, 1.5, 1.2)  # the share of the room left beside the Answer column: Record .. Last agreed


def _value(value: Any, name: str = "") -> str:
    """A value in a cell: a re-check interval as "12 months" ("(none: as the tier suggests)")."""
    return shown(value, name) if name == RECHECK else "(empty)" if empty(value) else str(value)


def _line(value: Any) -> str:
    """A value on one line of a review's cell: its lines joined by " / ", cut with "…" past ``LINE``."""
    text = " / ".join(part for part in _value(value).splitlines() if part.strip()) or _value(value)
    return text if len(text) <= LINE else text[: LINE - 1].rstrip() + "…"


def cells(c: FieldConflict) -> list[tuple[str, str]]:
    """The Field, Here, In the package and Last agreed cells of a conflict, each (text, tooltip); a review's hold a
    line per field (decision, clinician notes), the whole values in the tooltips. Here and In the package end with
    who set the review on that side and when ("by Dr Ames on 3 Mar 2026"), where the audit log tells."""
    return _stamped(c, _values(c))


def _stamped(c: FieldConflict, out: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``out`` with who set the value here and in the package, and when, a line of its own in both cells ("Dr Ames,
    3 Mar 2026"; "Saved by Dr Ames on 3 Mar 2026" in the tooltip; "Dr Ames, 24 Nov 2026 09:15" where both sides are
    of one day, as the conflict's line says it)."""
    for column, stamp, other in ((1, c.set_here, c.set_there), (2, c.set_there, c.set_here)):
        if stamp is not None and (by := set_by(stamp, other)):  # the time too where both sides are of one day
            text, tip = out[column]
            out[column] = (
                f"{text}\n{', '.join(p for p in (stamp[0], set_when(stamp, other)) if p)}",
                f"{tip}\nSaved {by}",
            )
    return out


def _values(c: FieldConflict) -> list[tuple[str, str]]:
    if not c.parts:
        here, package = _value(c.here), _value(c.package)
        return [(label(c.name), label(c.name)), (here, here), (package, package), last_agreed(c)]
    names = [label(p.name) for p in c.parts]
    said = [[(_value(p.here, p.name),) * 2, (_value(p.package, p.name),) * 2, last_agreed(p)] for p in c.parts]
    if RECHECK in c.agreed and all(p.name != RECHECK for p in c.parts):  # agreed with the decision, the same now
        with_it = f"{said[0][2][0]}, {_value(c.agreed[RECHECK], RECHECK)}"  # "monitor, 6 months": the decision first
        said[0][2] = (with_it, with_it)
    together = f"{', '.join(names[:-1])} and {names[-1]}"
    out = [(" +\n".join(names), f"A capture's review: its {together} are answered together.")]
    for column in range(3):
        lines = [_line(values[column][0]) for values in said]
        tips = [f"{name}: {values[column][1]}" for name, values in zip(names, said)]
        out.append(("\n".join(lines), "\n".join(tips)))
    return out


def last_agreed(c: FieldConflict) -> tuple[str, str]:
    """The "Last agreed" cell and its tooltip: after the package's register kept its own value over this register's,
    the value it settled ("refer (kept over your excise)"); "(never exchanged)" when no value was ever agreed."""
    if not c.known:
        return "(never exchanged)", "Neither register has a record of the value they last agreed on."
    over = c.overruled
    if "kept" in over:
        yours, kept = _value(over["yours"]), _value(over["kept"])
        return f"{kept} (kept over your {yours})", (
            f"The package's register answered 'keep its own value' ({kept}) over your {yours}: {kept} is the value "
            "the two registers last settled on. Your value was changed here since."
        )
    if over:  # answered so before the settled value was recorded
        return f"{_value(c.agreed)} (overruled there)", (
            f"The package's register kept its own value over this one ({_value(c.agreed)})."
        )
    return _value(c.agreed, c.name), _value(c.agreed, c.name)


class Wrapped(QStyledItemDelegate):
    """A Record cell's text wrapped to the lines its row has (a review's row is three lines tall or more), cut with
    "…" past them; the other columns keep a field a line."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText


class ColumnWidths(QObject):
    """The conflicts table's columns as wide as its viewport, never wider: the Answer column as wide as its choices,
    the room left shared by the others (``WEIGHTS``), their text cut with "…" where it does not fit (the whole in the
    tooltip). At 150 % on a 1280x720 laptop the columns grew to their text and the Answer column was out of sight."""

    def __init__(self, table: RowsTable, boxes: list[StillComboBox]) -> None:
        super().__init__(table)
        self.table, self.boxes = table, boxes
        header = table.horizontalHeader()
        header.setMinimumSectionSize(40)
        for column in range(table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setItemDelegateForColumn(0, Wrapped(table))
        table.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        """Answer at its choices' width (the header's where wider), the rest shared."""
        last = self.table.columnCount() - 1
        header = self.table.horizontalHeader()
        answer = max([box.sizeHint().width() + 8 for box in self.boxes] + [header.sectionSizeHint(last)])
        room = max(0, self.table.viewport().width() - answer)
        header.resizeSection(last, answer)
        for column, weight in enumerate(WEIGHTS):
            header.resizeSection(column, max(40, int(room * weight / sum(WEIGHTS))))


def _centred(widget: QWidget) -> QWidget:
    """``widget`` at its own height, centred in a taller cell (a combo box stretched to two lines looked odd)."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
    return holder


class ConflictAnswers(QWidget):
    """The field conflicts of a preview with a choice each; ``changed`` when an answer changes."""

    COLUMNS = ("Record", "Field", "Here", "In the package", "Last agreed", "Answer")
    changed = Signal()

    def __init__(self, conflicts: list[FieldConflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflicts = conflicts
        reviews = any(c.parts for c in conflicts)
        intro = self.intro = rich_intro(
            f"<b>{counted_fields(conflicts)} changed on both sides</b> since the two registers last agreed. "
            "<i>Keep this register's value</i>: the package's value is recorded as seen and not asked about "
            "again while the package holds it. <i>Take the package's value</i>: it is written here (audited). "
            "Not answered: left as it is here, and asked again at the next import."
            + (" A capture's <i>review</i> is answered whole: the fields named go together." if reviews else "")
        )
        self.table = RowsTable.answers(len(conflicts), self.COLUMNS)
        self.choices: list[StillComboBox] = []
        for row, c in enumerate(conflicts):
            row_cells = cells(c)
            lines = max(text.count("\n") + 1 for text, _ in row_cells)  # a review's fields, who set it
            for column, (text, tip) in enumerate([(c.what, c.text), *row_cells]):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
            box = StillComboBox()
            for text, choice in REVIEW_CHOICES if c.parts else CHOICES:
                box.addItem(text, choice)
            what = f"review ({' and '.join(label(p.name) for p in c.parts)})" if c.parts else label(c.name)
            box.setAccessibleName(f"Answer: {what} of {c.what}")
            box.currentIndexChanged.connect(lambda _=0: self.changed.emit())
            self.table.setCellWidget(row, len(self.COLUMNS) - 1, _centred(box) if lines > 1 else box)
            self.choices.append(box)
            if lines > 1:  # a line per field, and who set it
                height = lines * self.table.fontMetrics().lineSpacing() + 10
                self.table.setRowHeight(row, max(height, self.table.verticalHeader().defaultSectionSize()))
        self._widths = ColumnWidths(self.table, self.choices)
        self.all_buttons: dict[str, QPushButton] = {}  # by answer
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("All at once:"))
        for text, choice in (
            ("Keep this register's values", KEEP),
            ("Take the package's values", TAKE),
            ("Leave all unanswered", ""),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, answer=choice: self.answer_all(answer))
            buttons.addWidget(button)
            self.all_buttons[choice] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def answer_all(self, choice: str) -> None:
        """Give every conflict the same answer ("" leaves them all unanswered)."""
        for box in self.choices:
            box.setCurrentIndex(box.findData(choice))

    def answers(self) -> Answers:
        """The answers chosen, by conflict; NO_ANSWERS when none is."""
        each = {c.key: box.currentData() for c, box in zip(self.conflicts, self.choices) if box.currentData()}
        return Answers(each=each) if each else NO_ANSWERS
