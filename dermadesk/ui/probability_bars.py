"""The class probabilities as horizontal bars: figures for an assessed capture, none for one the model cannot back."""

from __future__ import annotations

from math import ceil

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from dermadesk.contract import CLASSES, PROBABILITIES_WITHHELD_NOTE

NO_FIGURE = "–"  # no assessment, or one the model cannot back


class ProbabilityBars(QWidget):
    """Horizontal bars for the 7 class probabilities; malignant classes in red. A withheld set (a NOT ASSESSABLE
    image) shows the names with a dash and no bars: a clinician read "malignant 0.07" on one as reassurance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probabilities: dict[str, float] = {}
        self.withheld = False
        self.setMinimumHeight(len(CLASSES) * self._row_height() + 8)
        self.setAccessibleName("Class probabilities")

    def set_probabilities(self, probabilities: dict[str, float], withheld: bool = False) -> None:
        """``probabilities`` drawn; ``withheld``: none of them (the image is not assessable), a dash in each row."""
        self.withheld = withheld
        self.probabilities = {} if withheld else dict(probabilities)
        if withheld:
            tip = PROBABILITIES_WITHHELD_NOTE
        elif self.probabilities:
            tip = "\n".join(f"{c.name}: {self.value_text(c.code)}" for c in CLASSES)
        else:
            tip = "No assessment shown: the classes' probabilities appear here for an assessed capture"
        self.setToolTip(tip)
        self.setAccessibleDescription(tip)
        self.update()

    def value_text(self, code: str) -> str:
        """The figure shown: "12.3%", or a dash with no assessment (a tester read "0.0%" on an empty panel) or a
        withheld one."""
        return f"{self.probabilities.get(code, 0.0):.1%}" if self.probabilities else NO_FIGURE

    @staticmethod
    def _label(c: object) -> str:
        return f"{c.name.split(' / ')[0]} ({c.code})"  # type: ignore[attr-defined]

    def _stacked(self, width: int) -> bool:
        """True when the longest class name does not fit beside the bars: each name then has its own line."""
        metrics = self.fontMetrics()
        longest = max(metrics.horizontalAdvance(self._label(c)) for c in CLASSES)
        return 12 + longest > width * 0.5

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def _name_lines(self, width: int) -> list[int]:
        """Lines each name takes on its own line(s): two where it is wider than the list (150 %: "…lesion (bk")."""
        metrics, wrap = self.fontMetrics(), Qt.TextFlag.TextWordWrap
        rect = (0, 0, max(width, 1), 10_000)
        return [ceil(metrics.boundingRect(*rect, wrap, self._label(c)).height() / metrics.height()) for c in CLASSES]

    def _units(self, width: int) -> list[int]:
        """Each class's height in rows: its name's lines and its bar when stacked, else one row beside the bar."""
        return [n + 1 for n in self._name_lines(width)] if self._stacked(width) else [1] * len(CLASSES)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        # the full names, never elided: on their own lines, wrapped where the list is narrower than a name
        self.setMinimumHeight(sum(self._units(self.width())) * self._row_height() + 8)
        super().resizeEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, _: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        stacked = self._stacked(self.width())
        units = self._units(self.width())
        unit = (self.height() - 8) / sum(units)
        metrics = p.fontMetrics()
        label_w = 0.0 if stacked else 12.0 + max(metrics.horizontalAdvance(self._label(c)) for c in CLASSES)
        value_w = 12.0 + metrics.horizontalAdvance("100.0%")
        bar_w = max(10.0, self.width() - label_w - value_w - 8)
        text = self.palette().windowText().color()
        for i, c in enumerate(CLASSES):
            y, row = 4 + sum(units[:i]) * unit, units[i] * unit
            value = self.probabilities.get(c.code, 0.0)
            p.setPen(text)
            if stacked:  # the name on its own line(s), the bar below it
                name_h = row - unit
                flags = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
                p.drawText(QRectF(0, y, self.width(), name_h), flags, self._label(c))
                y, row_h = y + name_h, row - name_h
            else:
                row_h = row
                p.drawText(
                    QRectF(0, y, label_w - 6, row),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    self._label(c),
                )
            if not self.withheld:  # no empty track either: it would read as 0 %
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor("#dddddd"))
                p.drawRect(QRectF(label_w, y + 3, bar_w, row_h - 6))
                p.setBrush(QColor("#c62828" if c.malignant else "#1565c0"))
                p.drawRect(QRectF(label_w, y + 3, bar_w * value, row_h - 6))
            p.setPen(text)
            p.drawText(
                QRectF(label_w + bar_w + 4, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter, self.value_text(c.code)
            )
        p.end()
