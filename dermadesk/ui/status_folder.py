"""The status bar's data folder field: "Data: /home/kim/Documents/clini…/DermaDesk/data" where the bar is narrow, the
path elided in its middle (its start and its last two folders kept where there is room), the whole path in the
tooltip. It showed "Data: …/data" before, which says nothing when every data folder ends in "data". A click opens
the folder in the system's file manager (the recent messages open from the message, ``status_messages``); where none
can be opened (no file manager: Qt said so only on stderr), the status bar says so."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QLabel

from dermadesk.ui.widgets import ElidedLabel

OPEN_TIP = "Click to open this folder in the file manager"
NOT_OPENED_MS = 15000  # "Could not open the folder: ..." stays long enough to be read


def not_opened_text(folder: Path) -> str:
    return f"Could not open the folder: {folder}; no file manager found"


def tail_of(folder: Path) -> str:
    """The folder's last two names, after a separator ("/DermaDesk/data"); "" where the path has no more."""
    names = Path(folder).parts
    return os.sep + os.sep.join(names[-2:]) if len(names) > 3 else ""


def middle_elided(text: str, tail: str, metrics: QFontMetrics, room: int) -> str:
    """``text`` whole where it fits in ``room`` pixels; else its start cut with "…" before ``tail`` (its end, kept
    whole); else, with no room for that, "…" in its middle."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    head = text.removesuffix(tail) if tail and text.endswith(tail) else ""
    if head:
        cut = metrics.elidedText(head, Qt.TextElideMode.ElideRight, max(room - metrics.horizontalAdvance(tail), 0))
        kept = cut.removesuffix("…").rstrip()  # "…/clinic…/DermaDesk/data", not "clinic …/"
        if len(kept) > len("Data: /"):  # some of the path's start, not only "Data: …"
            return f"{kept}…{tail}"
    return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, max(room, 0))


class FolderField(ElidedLabel):
    """ "Data: PATH", elided in the middle; a click opens the folder (``open_url``: Qt's by default, a test's seam;
    False where it could not), ``said`` the words where it could not (the status bar's message)."""

    def __init__(
        self,
        folder: Path,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        said: Callable[[str], object] | None = None,
    ) -> None:
        self.folder, self.tail, self.open_url, self.said = Path(folder), tail_of(Path(folder)), open_url, said
        super().__init__(f"Data: {folder}")
        self.set_short(f"Data: …{self.tail or os.sep + self.folder.name}")  # the width the bar's fitting counts on
        self.setAccessibleName("Data folder")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setToolTip(f"{text}\n{OPEN_TIP}")  # the whole path, and what a click does

    def url(self) -> QUrl:
        return QUrl.fromLocalFile(str(self.folder))

    def _elide(self) -> None:  # ElidedLabel's, with the end of the path kept (not "Data: /home/kim/Docu…")
        QLabel.setText(self, middle_elided(self.text(), self.tail, self.fontMetrics(), self.contentsRect().width()))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()  # the click is the field's: not the status bar's (its message list)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            if not self.open_url(self.url()) and self.said is not None:  # nothing copied instead: the path is said
                self.said(not_opened_text(self.folder))
