"""Colour scales in the JET colours, labelled: the difference view's (no change, blue, to a large change, red) and
the Grad-CAM heat map's key (low attention, blue, to high attention, red)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from dermadesk.analysis.overlays import DIFFERENCE_FULL_SCALE

JET = (
    (0.0, "#00007f"),
    (0.125, "#0000ff"),
    (0.375, "#00ffff"),
    (0.625, "#ffff00"),
    (0.875, "#ff0000"),
    (1.0, "#7f0000"),
)


class ColourBar(QWidget):
    """A horizontal gradient with its scale: colour difference (CIE76 ΔE) per pixel, 0 to ≥ full scale; ``compact``:
    on one line, "no change [blue to red] large change" (under a narrow pair at 150 %, short of height)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Difference colour scale")
        self.setToolTip(
            "Colour difference per pixel between the aligned captures (CIE76 ΔE): blue = the same, "
            f"red = a large change (ΔE {DIFFERENCE_FULL_SCALE:.0f} or more)"
        )
        self.compact = False
        self.setFixedHeight(self.fontMetrics().height() + 22)

    def set_compact(self, compact: bool) -> None:
        """On one line, its ends in words (``compact``), or the bar over its scale in ΔE."""
        self.compact = compact
        self.setFixedHeight(self.fontMetrics().height() + (4 if compact else 22))
        self.update()

    def labels(self) -> list[tuple[float, str]]:
        """0, the middle and the full scale in ΔE where they fit the bar's width; else (and on one line) its ends in
        words alone (under a narrow pair at 150 % the three were drawn over each other): the figures are in its
        tooltip too."""
        full = DIFFERENCE_FULL_SCALE
        whole = [(0.0, "0: no change"), (0.5, f"ΔE {full / 2:.0f}"), (1.0, f"ΔE ≥ {full:.0f}: large change")]
        room = sum(self.fontMetrics().horizontalAdvance(text) + 16 for _, text in whole) + 8
        return whole if room <= self.width() and not self.compact else [(0.0, "no change"), (1.0, "large change")]

    def draw_bar(self, p: QPainter, bar: QRectF) -> None:
        """The JET gradient in ``bar``, framed in the text colour (the pen is left set to it)."""
        gradient = QLinearGradient(QPointF(bar.left(), 0), QPointF(bar.right(), 0))
        for stop, colour in JET:
            gradient.setColorAt(stop, QColor(colour))
        p.fillRect(bar, gradient)
        p.setPen(self.palette().windowText().color())
        p.drawRect(bar)

    def paintEvent(self, _: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self.compact:
            self.paint_inline()
            return
        p = QPainter(self)
        metrics = p.fontMetrics()
        margin = 4.0
        bar = QRectF(margin, 2, self.width() - 2 * margin, 12)
        self.draw_bar(p, bar)
        y = bar.bottom() + 4
        for fraction, text in self.labels():
            w = metrics.horizontalAdvance(text) + 2
            x = bar.left() + fraction * bar.width()
            align = (
                Qt.AlignmentFlag.AlignLeft
                if fraction == 0
                else (Qt.AlignmentFlag.AlignRight if fraction == 1 else Qt.AlignmentFlag.AlignHCenter)
            )
            left = x if fraction == 0 else x - w if fraction == 1 else x - w / 2
            p.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3))
            p.drawText(QRectF(left, y, w, metrics.height()), align | Qt.AlignmentFlag.AlignTop, text)
        p.end()

    def paint_inline(self) -> None:
        """Its two labels on one line, the gradient between them: "low [blue to red] high"."""
        p = QPainter(self)
        metrics = p.fontMetrics()
        (_, low), (_, high) = self.labels()
        left, right = metrics.horizontalAdvance(low) + 6, self.width() - metrics.horizontalAdvance(high) - 6
        self.draw_bar(p, QRectF(left, (self.height() - 10) / 2, max(right - left, 1), 10))
        middle = Qt.AlignmentFlag.AlignVCenter
        p.drawText(QRectF(0, 0, left - 4, self.height()), Qt.AlignmentFlag.AlignLeft | middle, low)
        p.drawText(
            QRectF(right + 4, 0, self.width() - right - 4, self.height()), Qt.AlignmentFlag.AlignLeft | middle, high
        )
        p.end()


class HeatMapKey(ColourBar):
    """The Grad-CAM heat map's key on one line, "attention: low [blue to red] high": blue where the model looked
    least, red where it looked most (one line: at 150 % the image above it has no height to spare)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Heat map colour key")
        self.setToolTip(
            "Grad-CAM heat map: the parts of the image the model's estimate rests on most (red) and least "
            "(blue). It shows where the model looked, not where the lesion is malignant."
        )
        self.set_compact(True)

    def labels(self) -> list[tuple[float, str]]:
        return [(0.0, "attention: low"), (1.0, "high")]

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Its two labels and a bar at least 40 pixels long between them."""
        width = sum(self.fontMetrics().horizontalAdvance(text) + 8 for _, text in self.labels())
        return QSize(width + 40, self.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.minimumSizeHint() + QSize(120, 0)
