"""Qt image helpers: files and arrays to QImage, thumbnails, and a zoom-and-pan image view."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QScrollArea,
    QWidget,
)

from dermadesk.analysis.decode import pil_to_rgb


def to_qimage(rgb: np.ndarray) -> QImage:
    """HxWx3 uint8 RGB -> a QImage that owns its pixels."""
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def image_from_file(path: str, max_side: int | None = None) -> QImage:
    """Decode with EXIF orientation applied (grey, 16-bit, alpha and palette images to RGB), by Pillow; with
    ``max_side``, JPEG's fast scaled read (DCT scaling) and a thumbnail no longer than that.

    Runs in worker threads, so it touches no Qt object but the QImage it returns (not a QObject): Qt code that
    takes a QObject's lock while this thread holds the GIL deadlocks against the GUI thread when that thread,
    holding the same lock while it destroys an object, waits for the GIL. QImageReader did that (its format probe
    made and dropped a QTextStream), and a test run hung on it.
    """
    with Image.open(path) as im:
        if max_side:
            im.draft("RGB", (max_side, max_side))  # JPEG only: decode at the smallest scale still >= max_side
        im = ImageOps.exif_transpose(im)
        if max_side and max(im.size) > max_side:
            if im.mode.startswith("I;16"):  # Pillow cannot scale 16-bit grey ("image has wrong mode"): the
                im = Image.fromarray(pil_to_rgb(im))  # decoder's own 8-bit RGB first, as the large image shows it
            im.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
        return to_qimage(pil_to_rgb(im))


class ImageView(QGraphicsView):
    """Image with an optional overlay (heat map); Ctrl+wheel zooms (the wheel alone too where no page around it
    scrolls), drag pans; views can be linked."""

    transform_changed = Signal(QTransform, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.base = QGraphicsPixmapItem()
        self.overlay = QGraphicsPixmapItem()
        self.overlay.setZValue(1)
        self.scene().addItem(self.base)
        self.scene().addItem(self.overlay)
        self.split_line = QGraphicsLineItem()  # the swipe's divider (shown by ``set_split``)
        self.split_line.setPen(QPen(QColor("white"), 2))
        self.split_line.setZValue(2)
        self.split_line.hide()
        self.scene().addItem(self.split_line)
        self._overlay_full = QPixmap()
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setMinimumSize(220, 120)
        self._syncing = False
        self._auto_fit = True  # keep the whole image in view until the user zooms
        self.horizontalScrollBar().valueChanged.connect(self._emit_transform)
        self.verticalScrollBar().valueChanged.connect(self._emit_transform)

    def set_image(self, image: QImage | None, overlay: QImage | None = None) -> None:
        self.base.setPixmap(QPixmap.fromImage(image) if image is not None and not image.isNull() else QPixmap())
        self.set_overlay(overlay)
        self.scene().setSceneRect(QRectF(self.base.pixmap().rect()))
        self._auto_fit = True
        self.fit()

    def set_overlay(self, overlay: QImage | None) -> None:
        pix = QPixmap() if overlay is None or overlay.isNull() else QPixmap.fromImage(overlay)
        base = self.base.pixmap()
        if not pix.isNull() and not base.isNull() and pix.size() != base.size():
            pix = pix.scaled(
                base.size(), Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self._overlay_full = pix
        self.set_split(None)

    def set_split(self, fraction: float | None) -> None:
        """Show the overlay only right of ``fraction`` of the width, with a white line there (the swipe);
        None shows all of it. Only the overlay's visible part changes: nothing is recomputed."""
        full = self._overlay_full
        if fraction is None or full.isNull():
            self.overlay.setPixmap(full)
            self.overlay.setOffset(0, 0)
            self.split_line.hide()
            return
        x = max(0, min(full.width(), round(fraction * full.width())))
        self.overlay.setPixmap(full.copy(x, 0, full.width() - x, full.height()))
        self.overlay.setOffset(x, 0)
        self.split_line.setLine(x, 0, x, full.height())
        self.split_line.show()

    def set_overlay_opacity(self, opacity: float) -> None:
        self.overlay.setOpacity(opacity)

    def set_overlay_visible(self, visible: bool) -> None:
        self.overlay.setVisible(visible)

    def fit(self) -> None:
        self._auto_fit = True
        if not self.base.pixmap().isNull():
            self.fitInView(self.base, Qt.AspectRatioMode.KeepAspectRatio)
            self._emit_transform()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self._auto_fit:
            self.fit()

    def zoom(self, factor: float) -> None:
        self._auto_fit = False
        self.scale(factor, factor)
        self._emit_transform()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        """Ctrl+wheel zooms; a plain wheel scrolls the page this view sits in where that page scrolls (the Change
        tab's images took the wheel and shrank to thumbnails while the user scrolled the page), else zooms."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier or not self._page_scrolls():
            self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
            event.accept()
        else:
            event.ignore()  # to the scroll area around

    def _page_scrolls(self) -> bool:
        """Whether a scroll area this view sits in can scroll up or down."""
        parent = self.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea) and parent.verticalScrollBar().maximum() > 0:
                return True
            parent = parent.parentWidget()
        return False

    def _emit_transform(self) -> None:
        if not self._syncing:
            self.transform_changed.emit(
                self.transform(), self.horizontalScrollBar().value(), self.verticalScrollBar().value()
            )

    def follow(self, transform: QTransform, h: int, v: int) -> None:
        """Take another view's zoom and pan (synchronised comparison views)."""
        self._syncing = True
        self.setTransform(transform)
        self.horizontalScrollBar().setValue(h)
        self.verticalScrollBar().setValue(v)
        self._syncing = False
