"""The selected lesion's captures as thumbnails, oldest first; accepts dropped image files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from dermadesk.domain.records import Assessment, Capture
from dermadesk.ui.image_loader import ImageLoader
from dermadesk.ui.not_assessed import sentence
from dermadesk.ui.quality_words import quality_sentences, quality_warning
from dermadesk.domain.dates import capture_when, human_date

THUMB = 96
COMPACT_THUMB = 60  # on a short window
LEAST_THUMB = 40  # never smaller, to fit one capture more into the column
THUMB_SOURCE_SIDE = 2 * THUMB  # thumbnails are decoded at this size (sharp on high-DPI screens) and cached
# after the tier of a capture whose image quality check warned (the panel's "Image quality: ..." line says what): a
# note in words, never the "⚠" that marks a lesion needing attention ("LOW ⚠" read as an alarm on a low tier)
QUALITY_WORD = "quality?"
QUALITY_NOTE = f" · {QUALITY_WORD}"
OUT_OF_DATE = "out of date"  # its assessment made for the modality it had before a correction (the panel's words)
# a cell wider than its widest caption by this room ("NOT ASSESS…" where a real font's hinting made it wider); the
# note's caption with less: each pixel the column takes, the assessment panel loses at 150 % ("bkl" for "benign ker.")
CAPTIONS_ROOM = {"NOT ASSESSABLE": 24, "MONITOR" + QUALITY_NOTE: 18}
WIDGETSIZE_MAX = (1 << 24) - 1  # Qt's QWIDGETSIZE_MAX: no maximum


class CellDelegate(QStyledItemDelegate):
    """Each capture as wide as its cell (the view's grid): a caption is never elided to its own text's width
    ("NOT ASSESS…" under a capture that was not selected, where the rendered font was a pixel wider)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        grid = self.parent().gridSize()  # type: ignore[attr-defined]
        own = super().sizeHint(option, index)  # its own height: the caption right under the thumbnail
        return QSize(max(own.width(), grid.width() - 4), own.height()) if grid.isValid() else own


class TimelineView(QListWidget):
    """Emits ``capture_selected(id)``; ``files_dropped(paths)`` when images are dropped on it."""

    capture_selected = Signal(int)
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setUniformItemSizes(True)
        self.setItemDelegate(CellDelegate(self))
        self.compact = True
        self.set_compact(False)
        self.setMovement(QListView.Movement.Static)
        self.setAcceptDrops(True)
        self.setAccessibleName("Capture timeline")
        self.setToolTip("Captures of this lesion, oldest first. Drop image files here to import them.")
        self.currentItemChanged.connect(self._changed)
        self.verticalScrollBar().valueChanged.connect(self._snap)
        blank = QPixmap(THUMB, THUMB)
        blank.fill(Qt.GlobalColor.lightGray)
        self._placeholder = QIcon(blank)  # grey until the thumbnail is decoded
        # a capture's assessment out of date in words (its modality corrected since: ``services.modality``), '' none;
        # set by the wiring, as the assessment panel's
        self.outdated_of: Callable[[int], str] | None = None

    def set_compact(self, compact: bool) -> None:
        """On a short window (1280x720 at 150 %) smaller thumbnails, one above the other in a column beside the
        tabs (``ui.short_screen`` moves it there), so the assessment keeps its height; else a row above them."""
        if compact == self.compact:
            return
        self.compact = compact
        side = COMPACT_THUMB if compact else THUMB
        self.setIconSize(QSize(side, side))
        # the widest caption whole with room to spare: "NOT ASSESS…" where a real font's hinting made it wider
        words = max(self.fontMetrics().horizontalAdvance(text) + room for text, room in CAPTIONS_ROOM.items())
        self.setGridSize(QSize(max(side, words) if compact else max(THUMB + 28, words), side + 40))  # fixed cells
        self.setFlow(QListView.Flow.TopToBottom if compact else QListView.Flow.LeftToRight)
        self.setWrapping(False)
        bar = Qt.ScrollBarPolicy
        self.setHorizontalScrollBarPolicy(bar.ScrollBarAlwaysOff if compact else bar.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(bar.ScrollBarAsNeeded if compact else bar.ScrollBarAlwaysOff)
        if compact:
            self.setMinimumHeight(0)
            self.setMaximumHeight(WIDGETSIZE_MAX)
            self.setFixedWidth(self.gridSize().width() + self.verticalScrollBar().sizeHint().width() + 4)
        else:
            self.setMinimumWidth(0)
            self.setMaximumWidth(WIDGETSIZE_MAX)
            self.setFixedHeight(side + 56)
        self._fit_cells()

    def _cell(self) -> int:
        return self.gridSize().height() + self.spacing()

    def _fit_cells(self) -> None:
        """In the column (``compact``) the list shows whole captures only: its viewport a whole number of cells
        high (the rest a blank strip below) and scrolled by whole cells, so no date or tier is cut at its top or
        bottom (at 150 % the first capture's date was cut off). In the row, the whole height."""
        inside = self.height() - 2 * self.frameWidth()
        if self.compact:
            self._fit_thumbnails(inside)
        cell = self._cell()
        spare = inside % cell if self.compact and inside > cell else 0
        if self.viewportMargins().bottom() != spare:
            self.setViewportMargins(0, 0, 0, spare)

    def _fit_thumbnails(self, inside: int) -> None:
        """In the column, thumbnails a little smaller where that fits one capture more: at 150 % the column was
        a few pixels short of two cells and showed one capture above a blank strip, as if it were the only one."""
        caption = self.gridSize().height() - self.iconSize().height()  # the date and tier under the thumbnail
        step = COMPACT_THUMB + caption + self.spacing()
        shown = max(1, inside // step)
        if inside - shown * step > step // 4 and inside // (shown + 1) - caption - self.spacing() >= LEAST_THUMB:
            shown += 1
        side = min(COMPACT_THUMB, inside // shown - caption - self.spacing())
        if side >= LEAST_THUMB and side != self.iconSize().height():
            self.setIconSize(QSize(side, side))
            self.setGridSize(QSize(self.gridSize().width(), side + caption))

    def _snap(self, value: int) -> None:
        """A scroll by the bar's handle ends on a cell's edge (the wheel and the keys move whole cells already)."""
        bar, cell = self.verticalScrollBar(), self._cell()
        if self.compact and value % cell and value != bar.maximum():
            bar.setValue(round(value / cell) * cell)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_cells()
        self._current_in_sight()

    def _current_in_sight(self) -> None:
        """The selected capture scrolled into sight (the latest, selected when a lesion opens, was left below the
        column's end at 150 %: Qt scrolls before the cells are laid out and again never)."""
        if (item := self.currentItem()) is not None:
            self.scrollToItem(item, QListView.ScrollHint.EnsureVisible)

    def show_captures(
        self,
        captures: list[tuple[Capture, Assessment | None, Path]],
        select: int | None = None,
        loader: ImageLoader | None = None,
    ) -> None:
        """One item per capture; thumbnails arrive from ``loader`` (decoded off the GUI thread)."""
        self.blockSignals(True)
        self.clear()
        lesion = [c for c, _, _ in captures]
        for number, (capture, assessment, path) in enumerate(captures, 1):
            outdated = self.outdated_of(capture.id) if assessment is None and self.outdated_of is not None else ""
            tier = (  # a result in capitals, as the assessment panel's heading ("URGENT", "NOT ASSESSABLE")
                (OUT_OF_DATE if outdated else "not assessed")
                if assessment is None
                else (assessment.risk_tier or "-").upper()
                if assessment.assessable
                else "NOT ASSESSABLE"
            )
            warned = quality_warning(assessment)  # a tier read from an image whose quality check warned: noted
            caption = f"{human_date(capture.taken_at)}\n{tier}{QUALITY_NOTE * bool(warned)}"
            item = QListWidgetItem(self._placeholder, caption)
            item.setData(Qt.ItemDataRole.UserRole, capture.id)
            # its place in the lesion by date: the register-wide id means nothing to a user; its time (or its place
            # that day) where another was taken that day, as messages name it
            when = capture_when(capture, lesion)
            tip = f"Capture {number} of {len(captures)}{f', {when}' * (when != human_date(capture.taken_at))}"
            tip += f": {capture.original_name}"
            if warned:  # what the note under the tier stands for, then the checks' sentences
                tip += f'\nImage quality warning ("{QUALITY_WORD}" under the tier):\n{quality_sentences(assessment)}'
            if outdated:  # why "out of date", and what to do: as the assessment panel says it
                tip += f"\n{sentence(outdated)}"
            item.setToolTip(tip)
            self.addItem(item)
            if loader is not None:
                loader.load(
                    capture.image_sha256,
                    path,
                    THUMB_SOURCE_SIDE,
                    lambda image, cid=capture.id: self._set_thumbnail(cid, image),
                )
        self.blockSignals(False)
        if self.count():
            row = next(
                (i for i in range(self.count()) if self.item(i).data(Qt.ItemDataRole.UserRole) == select),
                self.count() - 1,
            )
            self.setCurrentRow(row)
            QTimer.singleShot(0, self, self._current_in_sight)  # once the cells are laid out (none if closed)
        else:
            self.capture_selected.emit(-1)

    def _set_thumbnail(self, capture_id: int, image: QImage | None) -> None:
        if image is None:  # unreadable: the item keeps its date and tier
            return
        for i in range(self.count()):  # the list may have been rebuilt since the request
            if self.item(i).data(Qt.ItemDataRole.UserRole) == capture_id:
                pixmap = QPixmap.fromImage(image)
                icon = QIcon(pixmap)
                icon.addPixmap(pixmap, QIcon.Mode.Selected)  # no selection tint: a capture's colours matter
                self.item(i).setIcon(icon)

    def current_capture_id(self) -> int | None:
        item = self.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def put_back(self, capture_id: int | None) -> None:
        """``capture_id`` chosen again, nothing emitted: a refused save keeps its record on screen."""
        self.blockSignals(True)
        rows = [r for r in range(self.count()) if self.item(r).data(Qt.ItemDataRole.UserRole) == capture_id]
        self.setCurrentRow(rows[0] if rows else -1)
        self.blockSignals(False)

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
