"""The class probabilities as horizontal bars: figures for an assessed capture, none for one the model cannot back.

Compact (``set_compact``, where the details are narrow or short: ``ui.bars_first``): one line a class, highest first,
its short name and figure over its bar ("melanoma ▓▓▓░░░ 28.4%": the bar a light tint behind the words), the full
name in the row's tooltip; the class's code only where even its short name does not fit beside the figures. At 150 %
on 1280x720 the full names wrapped onto lines of their own, the bars 408 px tall below the explanation, out of sight;
then the compact rows named the classes by their codes (akiec, bkl, df), which clinic staff may not know, beside a
bar of their own: the short names ("AK / IEC", "benign ker.", "dermatofib.", ``contract.CLASSES``) leave no room for
one there, so the bar stands behind them."""

from __future__ import annotations

from math import ceil

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from dermadesk.contract import CLASSES, PROBABILITIES_WITHHELD_NOTE, ClassInfo

NO_FIGURE = "–"  # no assessment, or one the model cannot back
PAD = 3.0  # compact: the words' room from each end of the bar behind them
TINTS = {True: "#ef9a9a", False: "#90caf9"}  # compact: a malignant class's bar, another's (light: words over them)
TRACK = "#dddddd"  # a bar's whole length (100 %)


class ProbabilityBars(QWidget):
    """Horizontal bars for the 7 class probabilities; malignant classes in red. A withheld set (a NOT ASSESSABLE
    image) shows the names with a dash and no bars: a clinician read "malignant 0.07" on one as reassurance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probabilities: dict[str, float] = {}
        self.withheld = False
        self.compact = False  # one line a class, highest first (``set_compact``)
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
        self.updateGeometry()  # the details' order may follow (``ui.bars_first``)
        self.update()

    def set_compact(self, compact: bool) -> None:
        """One line a class, highest first, its short name over its bar (``compact``); else as the module's first line
        says."""
        if compact != self.compact:
            self.compact = compact
            self.setMinimumHeight(self.compact_height() if compact else self.full_height(self.width()))
            self.update()

    def shown(self) -> list[ClassInfo]:
        """The classes in the order drawn: highest first where compact (ties in the list's order), else the list's."""
        if not self.compact:
            return list(CLASSES)
        return sorted(CLASSES, key=lambda c: -self.probabilities.get(c.code, 0.0))

    def compact_height(self) -> int:
        """A line of text a class (a pane three lines tall shows the three highest)."""
        return len(CLASSES) * self.fontMetrics().lineSpacing()

    def full_height(self, width: int) -> int:
        """The height the full names need at ``width`` (beside the bars, or on their own lines)."""
        return sum(self._units(width)) * self._row_height() + 8

    def compact_for(self, width: int, height: int) -> bool:
        """Whether ``width`` x ``height`` wants the bars compact: the full names would not fit beside their bars, or
        the full bars not in that height."""
        return self._stacked(width) or self.full_height(width) > height

    def row_bottoms(self) -> list[float]:
        """Where each compact row ends, in the widget's pixels (``ui.whole_lines`` keeps them whole); none otherwise."""
        if not self.compact:
            return []
        unit = self.height() / len(CLASSES)
        return [(i + 1) * unit for i in range(len(CLASSES))]

    def class_at(self, y: float) -> ClassInfo | None:
        """The class of the compact row at ``y`` (None between or off the rows, or not compact)."""
        bottoms = self.row_bottoms()
        row = next((i for i, bottom in enumerate(bottoms) if y < bottom), None)
        return self.shown()[row] if row is not None and y >= 0 else None

    def event(self, event: QEvent) -> bool:
        """Compact, a row's tooltip names its class in full and by its code ("Melanoma (mel): 28.4%"); elsewhere the
        whole list."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            c = self.class_at(event.pos().y()) if self.probabilities else None
            if c is not None:
                QToolTip.showText(event.globalPos(), f"{c.name} ({c.code}): {self.value_text(c.code)}", self)
                return True
        return super().event(event)

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
        self.setMinimumHeight(self.compact_height() if self.compact else self.full_height(self.width()))
        super().resizeEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, _: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.compact:
            self._paint_compact(p)
            p.end()
            return
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

    def compact_labels(self, width: int) -> dict[str, str]:
        """Each class's name in a compact row ``width`` wide: its short name where it fits beside the widest figure
        shown, else its code (the full name in the row's tooltip)."""
        metrics = self.fontMetrics()
        room = width - 4 * PAD - max(metrics.horizontalAdvance(self.value_text(c.code)) for c in CLASSES)
        return {c.code: c.short if metrics.horizontalAdvance(c.short) <= room else c.code for c in CLASSES}

    def _paint_compact(self, p: QPainter) -> None:
        """One line a class, highest first: its bar a tint across the row, its name on the left and its figure on the
        right over it."""
        text, labels = self.palette().windowText().color(), self.compact_labels(self.width())
        unit, width = self.height() / len(CLASSES), float(self.width())
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, c in enumerate(self.shown()):
            y = i * unit
            if not self.withheld:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(TRACK))
                p.drawRect(QRectF(0, y + 1, width, unit - 2))
                p.setBrush(QColor(TINTS[c.malignant]))
                p.drawRect(QRectF(0, y + 1, width * self.probabilities.get(c.code, 0.0), unit - 2))
            p.setPen(text)
            p.drawText(QRectF(PAD, y, width - 2 * PAD, unit), left, labels[c.code])
            p.drawText(QRectF(PAD, y, width - 2 * PAD, unit), right, self.value_text(c.code))
