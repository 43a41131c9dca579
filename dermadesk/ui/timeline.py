"""The selected lesion's captures as thumbnails, oldest first; accepts dropped image files."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from dermadesk.domain.records import Assessment, Capture
from dermadesk.ui.images import image_from_bytes

THUMB = 96


class TimelineView(QListWidget):
    """Emits ``capture_selected(id)``; ``files_dropped(paths)`` when images are dropped on it."""

    capture_selected = Signal(int)
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setFixedHeight(THUMB + 56)
        self.setMovement(QListView.Movement.Static)
        self.setAcceptDrops(True)
        self.setAccessibleName("Capture timeline")
        self.setToolTip("Captures of this lesion, oldest first. Drop image files here to import them.")
        self.currentItemChanged.connect(self._changed)

    def show_captures(self, captures: list[tuple[Capture, Assessment | None, bytes]], select: int | None = None) -> None:
        self.blockSignals(True)
        self.clear()
        for capture, assessment, data in captures:
            image = image_from_bytes(data, max_side=THUMB * 2)
            icon = QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon()
            tier = assessment.risk_tier if assessment else "not assessed"
            item = QListWidgetItem(icon, f"{capture.taken_at[:10]}\n{tier}")
            item.setData(Qt.ItemDataRole.UserRole, capture.id)
            item.setToolTip(f"capture {capture.id}: {capture.original_name}")
            self.addItem(item)
        self.blockSignals(False)
        if self.count():
            row = next((i for i in range(self.count()) if self.item(i).data(Qt.ItemDataRole.UserRole) == select),
                       self.count() - 1)
            self.setCurrentRow(row)
        else:
            self.capture_selected.emit(-1)

    def current_capture_id(self) -> int | None:
        item = self.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def step(self, delta: int) -> None:
        """Next (+1) or previous (-1) capture."""
        if self.count():
            self.setCurrentRow(max(0, min(self.count() - 1, self.currentRow() + delta)))

    def _changed(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        if item is not None:
            self.capture_selected.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
