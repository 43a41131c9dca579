"""The lesion list's rows: each lesion by its name (``domain.lesion_name``: "⚠ CHANGED Lesion 1 · left scapula ·
posterior torso (left)"), in full where every row fits, else every row in the short form ("Lesion 1 · left scapula ·
post. torso (L)"), never the two mixed; a row still too wide for the list (150 % on 1280x720 leaves it about 185 px)
is cut at its end with "…" (the flag and the number lead, so they stay), the full name in its tooltip (its wiring).

The row is named in full again as the list widens (``fit_rows`` on every resize of its viewport)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import Lesion

ROWS_IN_SIGHT = 3  # whole rows the list shows at least, however short the pane (150 % on 1280x720)
TEXT_MARGIN = 8  # a row's text inside its row: the style's margins either side, and a little to spare
NAMES = Qt.ItemDataRole.UserRole + 1  # an item's names: (full, short)


def row_names(les: Lesion, flag: str = "") -> tuple[str, str]:
    """The lesion's row in full and in its short form, the flag's words first where it has one ("⚠ URGENT")."""
    return lesion_name(les, flag), lesion_name(les, flag, short=True)


def fitted_texts(names: list[tuple[str, str]], metrics: QFontMetrics, room: int) -> list[str]:
    """Every row in full where all fit ``room`` (``room`` 0: not laid out yet), else every row in its short form, one
    still too wide cut at its end with "…" (a list row is as wide as its text: Qt would clip it at the edge, unsaid)."""
    if room <= 0 or all(metrics.horizontalAdvance(name) <= room for name, _ in names):
        return [name for name, _ in names]
    return [metrics.elidedText(short, Qt.TextElideMode.ElideRight, room) for _, short in names]


class LesionList(QListWidget):
    """Lesion list that accepts image files dropped onto a lesion: ``files_dropped(lesion_id, paths)``; its rows
    fitted to its width (``fit_rows``, on every resize of its viewport: a scroll bar that comes or goes too)."""

    files_dropped = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)  # the full name is in each row's tooltip
        line = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(ROWS_IN_SIGHT * line + 2 * self.frameWidth() + 2 * ROWS_IN_SIGHT)

    @staticmethod
    def set_names(item: QListWidgetItem, names: tuple[str, str]) -> None:
        """The row's names (``row_names``), its text the full one until the list fits it."""
        item.setData(NAMES, list(names))
        item.setText(names[0])

    @staticmethod
    def names(item: QListWidgetItem) -> tuple[str, str]:
        data = item.data(NAMES)
        return (data[0], data[1]) if data else (item.text(), item.text())

    def fit_rows(self) -> None:
        """Every row in full or every row short (``fitted_texts``), measured with the list's font in its viewport
        (a scroll bar that comes or goes resizes it, and so fits the rows again)."""
        items = [self.item(row) for row in range(self.count())]
        room = self.viewport().width() - TEXT_MARGIN if self.viewport().width() > 0 else 0
        texts = fitted_texts([self.names(item) for item in items], self.fontMetrics(), room)
        for item, text in zip(items, texts):
            if item.text() != text:
                item.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)  # a scroll area's resize events are its viewport's: a scroll bar's coming too
        self.fit_rows()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and self.itemAt(event.position().toPoint()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        item = self.itemAt(event.position().toPoint())
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if item is not None and paths:
            event.acceptProposedAction()
            self.setCurrentItem(item)
            self.files_dropped.emit(int(item.data(Qt.ItemDataRole.UserRole)), paths)
