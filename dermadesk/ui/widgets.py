"""Small widget variants the views share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget


class StillComboBox(QComboBox):
    """A combo box the mouse wheel changes only once it has focus (clicked or tabbed into).

    In a scrolled panel a plain QComboBox under the pointer takes the wheel and changes its value (a review
    decision became 'discharge' while the user scrolled); here the wheel scrolls the panel instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
