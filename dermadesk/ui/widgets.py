"""Small widget variants the views share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
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


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size ``window`` to ``width`` x ``height``, or smaller on a smaller screen (a 1280x720 laptop): the window
    never opens past the screen's edge with its status bar out of sight."""
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width, height = min(width, free.width()), min(height, free.height())
    window.resize(width, height)
