""" "Other…"'s months box: typing "61" became "6" unsaid (the spin box dropped the "1"). The range stands beside the
field; a number past it stays as typed, the range beside it turns red and OK is off; Enter takes nothing then (a spin
box put back "6" and the dialog took it). Real dialog, shown, typed into by the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QDialogButtonBox

from dermadesk.ui.months_dialog import PAST_RANGE, RANGE, MonthsDialog


def shown_dialog(qtbot, months: int = 24) -> MonthsDialog:
    dialog = MonthsDialog(months)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    dialog.months.setFocus()
    return dialog


def ok(dialog: MonthsDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def beside(dialog: MonthsDialog) -> bool:
    """The range stands on the field's line, just right of it."""
    field, note = dialog.months.geometry(), dialog.range.geometry()
    return note.left() >= field.right() and note.top() < field.bottom() and note.bottom() > field.top()


def test_the_range_stands_beside_the_field(qtbot) -> None:
    dialog = shown_dialog(qtbot)
    assert dialog.months.text() == "24 months" and dialog.range.text() == RANGE == "(1 to 60)"
    assert dialog.range.isVisible() and beside(dialog) and ok(dialog).isEnabled()
    assert "1 to 60" in dialog.months.toolTip()


def test_61_stays_as_typed_said_past_the_range_and_is_not_taken(qtbot) -> None:
    dialog = shown_dialog(qtbot)
    qtbot.keyClicks(dialog.months, "61")  # over the 24 offered (selected)
    assert dialog.months.text() == "61 months"  # not "6 months"
    assert dialog.range.text() == PAST_RANGE and "color" in dialog.range.styleSheet() and not ok(dialog).isEnabled()
    bold = QFont(dialog.range.font())
    bold.setBold(True)
    assert dialog.range.width() >= QFontMetrics(bold).horizontalAdvance(PAST_RANGE)  # said whole, not "(1 to 60"
    qtbot.keyClick(dialog.months, Qt.Key.Key_Return)  # taken neither as 61 nor as the 6 before it
    assert dialog.isVisible() and dialog.months.text() == "61 months"
    qtbot.keyClick(dialog.months, Qt.Key.Key_Backspace)
    assert dialog.months.text() == "6 months" and dialog.range.text() == RANGE and ok(dialog).isEnabled()
    assert dialog.range.styleSheet() == ""
    qtbot.keyClick(dialog.months, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == MonthsDialog.DialogCode.Accepted
    assert dialog.months.value() == 6


def test_none_is_not_taken_either(qtbot) -> None:
    """0 months, or the number deleted: OK off; 1 month, the least, taken."""
    dialog = shown_dialog(qtbot, 9)
    qtbot.keyClicks(dialog.months, "0")
    assert dialog.months.text() == "0 months" and dialog.range.text() == PAST_RANGE and not ok(dialog).isEnabled()
    qtbot.keyClick(dialog.months, Qt.Key.Key_Backspace)
    assert dialog.months.number() == "" and not ok(dialog).isEnabled() and dialog.range.text() == RANGE
    qtbot.keyClicks(dialog.months, "1")
    assert dialog.months.text() == "1 month" and ok(dialog).isEnabled()
