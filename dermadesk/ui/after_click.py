"""A list's choice put back where a switch was called off (Cancel to 'Unsaved changes', or a refused save)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QTimer


def after_click(owner: QObject, put_back: Callable[[], None]) -> None:
    """The record typed for chosen again in its list: now, and once the click is through (Qt highlights the row
    clicked after the handlers of its press have run: the list would show one record, the window another)."""
    put_back()
    QTimer.singleShot(0, owner, put_back)
