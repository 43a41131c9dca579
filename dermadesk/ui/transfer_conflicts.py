"""The import preview's answers to fields changed on both sides since the two registers last agreed: one row
each (record, field, the value here, in the package, last agreed: after the package's register overruled your value,
the value it settled) with its answer, and buttons answering all at once. What an answer writes is said in
``storage.transfer_fields``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermadesk.storage.transfer_answers import KEEP, NO_ANSWERS, TAKE, Answers
from dermadesk.storage.transfer_fields import FieldConflict, empty, label
from dermadesk.ui.widgets import RowsTable, StillComboBox, rich_intro

NOT_ANSWERED = "Not answered: leave as here, ask again"
CHOICES = ((NOT_ANSWERED, ""), ("Keep this register's value", KEEP), ("Take the package's value", TAKE))


def _value(value: Any) -> str:
    return "(empty)" if empty(value) else str(value)


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
    return _value(c.agreed), _value(c.agreed)


class ConflictAnswers(QWidget):
    """The field conflicts of a preview with a choice each; ``changed`` when an answer changes."""

    COLUMNS = ("Record", "Field", "Here", "In the package", "Last agreed", "Answer")
    changed = Signal()

    def __init__(self, conflicts: list[FieldConflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflicts = conflicts
        n = len(conflicts)
        intro = rich_intro(
            f"<b>{n} field{'s' if n != 1 else ''} changed on both sides</b> since the two registers last agreed. "
            "<i>Keep this register's value</i>: the package's value is recorded as seen and not asked about "
            "again while the package holds it. <i>Take the package's value</i>: it is written here (audited). "
            "Not answered: left as it is here, and asked again at the next import."
        )
        self.table = RowsTable.answers(n, self.COLUMNS)
        self.choices: list[StillComboBox] = []
        for row, c in enumerate(conflicts):
            agreed, why = last_agreed(c)
            for column, text in enumerate((c.what, label(c.name), _value(c.here), _value(c.package), agreed)):
                item = QTableWidgetItem(text)
                item.setToolTip(c.text if column == 0 else why if column == 4 else text)
                self.table.setItem(row, column, item)
            box = StillComboBox()
            for text, choice in CHOICES:
                box.addItem(text, choice)
            box.setAccessibleName(f"Answer: {label(c.name)} of {c.what}")
            box.currentIndexChanged.connect(lambda _=0: self.changed.emit())
            self.table.setCellWidget(row, len(self.COLUMNS) - 1, box)
            self.choices.append(box)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
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
