"""A combo box in a scrolled panel changes with the wheel only once the user has chosen it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from dermadesk.ui.widgets import StillComboBox


def wheel(widget: StillComboBox) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        widget.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_changes_a_combo_box_only_when_it_has_focus(qtbot) -> None:
    combo = StillComboBox()
    combo.addItems(["", "monitor", "refer", "excise", "discharge"])
    qtbot.addWidget(combo)
    combo.show()
    qtbot.waitExposed(combo)
    combo.clearFocus()
    wheel(combo)
    assert combo.currentIndex() == 0  # scrolling past it leaves the decision alone
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo)
    assert combo.currentIndex() == 1
