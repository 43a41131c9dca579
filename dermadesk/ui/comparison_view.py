"""Change since the baseline: side by side (linked zoom/pan), blend, swipe, difference map, charts."""

from __future__ import annotations

import datetime as dt

import cv2
import numpy as np
from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QSlider, QSplitter, QStackedWidget, QVBoxLayout,
                               QWidget)

from dermadesk.analysis.change import ChangeResult
from dermadesk.inference.cam import colourise
from dermadesk.ui.images import ImageView

MODES = ("Side by side", "Blend", "Swipe", "Difference")


def to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def outlined(rgb: np.ndarray, mask: np.ndarray | None, colour: tuple[int, int, int]) -> np.ndarray:
    out = rgb.copy()
    if mask is not None and mask.any():
        contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        cv2.drawContours(out, contours, -1, colour, max(1, min(rgb.shape[:2]) // 200))
    return out


def difference_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Colourised per-pixel CIE76 difference of two aligned images (red = large change)."""
    la = cv2.cvtColor(a, cv2.COLOR_RGB2LAB).astype(np.float32)
    lb = cv2.cvtColor(b, cv2.COLOR_RGB2LAB).astype(np.float32)
    d = np.sqrt(((la - lb) ** 2).sum(axis=2))
    d = cv2.GaussianBlur(d, (0, 0), 1.5)
    return colourise(np.clip(d / 60.0, 0, 1))


def swipe(a: np.ndarray, b: np.ndarray, fraction: float) -> np.ndarray:
    out = a.copy()
    x = int(round(fraction * a.shape[1]))
    out[:, x:] = b[:, x:]
    out[:, max(0, x - 1):x + 1] = (255, 255, 255)
    return out


class TrendChart(QChartView):
    """Area and malignant probability over the lesion's captures (QtCharts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(180)

    def set_points(self, dates: list[str], areas: list[float | None], malignant: list[float | None],
                   area_unit: str) -> None:
        chart = QChart()
        chart.setTitle("Lesion over time")
        x_axis = QDateTimeAxis()
        x_axis.setFormat("yyyy-MM-dd")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        for values, name, align, top in ((areas, f"area ({area_unit})", Qt.AlignmentFlag.AlignLeft, None),
                                         (malignant, "malignant probability (%)", Qt.AlignmentFlag.AlignRight, 100.0)):
            series = QLineSeries()
            series.setName(name)
            for day, value in zip(dates, values):
                if value is not None:
                    stamp = QDateTime(dt.datetime.fromisoformat(day[:10]))
                    series.append(stamp.toMSecsSinceEpoch(), value)
            chart.addSeries(series)
            axis = QValueAxis()
            axis.setTitleText(name)
            axis.setMin(0)
            if top is not None:
                axis.setMax(top)
            elif series.count():
                axis.setMax(max(p.y() for p in series.points()) * 1.2)
            chart.addAxis(axis, align)
            series.attachAxis(x_axis)
            series.attachAxis(axis)
        self.setChart(chart)


class ComparisonView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: ChangeResult | None = None
        self.base_img: np.ndarray | None = None
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.slider.setAccessibleName("Blend or swipe position")
        self.left, self.right, self.single = ImageView(), ImageView(), ImageView()
        self.left.transform_changed.connect(self.right.follow)
        self.right.transform_changed.connect(self.left.follow)
        pair = QSplitter()
        pair.addWidget(self.left)
        pair.addWidget(self.right)
        self.stack = QStackedWidget()
        self.stack.addWidget(pair)
        self.stack.addWidget(self.single)
        self.verdict = QLabel("Select a lesion with two or more captures.")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.chart = TrendChart()
        tools = QHBoxLayout()
        tools.addWidget(QLabel("View"))
        tools.addWidget(self.mode)
        tools.addWidget(self.slider, 1)
        left = QVBoxLayout()
        left.addLayout(tools)
        left.addWidget(self.stack, 1)
        right = QVBoxLayout()
        right.addWidget(self.verdict)
        right.addWidget(self.chart, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.mode.currentIndexChanged.connect(self.render)
        self.slider.valueChanged.connect(self.render)

    def show_result(self, baseline: np.ndarray | None, result: ChangeResult | None, dates: tuple[str, str]) -> None:
        self.base_img, self.result = baseline, result
        if result is None or baseline is None:
            self.verdict.setText("Select a lesion with two or more captures.")
            self.left.set_image(None)
            self.right.set_image(None)
            self.single.set_image(None)
            return
        colour = {"significant": "#c62828", "not significant": "#2e7d32"}.get(result.verdict, "#b28704")
        items = "".join(f"<li>{r}</li>" for r in result.reasons)
        self.verdict.setText(f"<b style='font-size:13pt; color:{colour}'>{result.verdict.upper()}</b> "
                             f"({dates[0][:10]} → {dates[1][:10]})<ul>{items}</ul>")
        self.render()

    def render(self) -> None:
        r, base = self.result, self.base_img
        if r is None or base is None:
            return
        follow = r.aligned_followup
        mode = MODES[self.mode.currentIndex()]
        self.slider.setEnabled(mode in ("Blend", "Swipe"))
        if follow is None:  # registration failed: show both as they are
            self.stack.setCurrentIndex(0)
            self.left.set_image(to_qimage(base))
            self.right.set_image(None)
            return
        b = outlined(base, r.baseline_mask, (0, 200, 255))
        f = outlined(follow, r.followup_mask, (255, 80, 0))
        if mode == "Side by side":
            self.stack.setCurrentIndex(0)
            self.left.set_image(to_qimage(b))
            self.right.set_image(to_qimage(f))
            return
        self.stack.setCurrentIndex(1)
        if mode == "Blend":
            self.single.set_image(to_qimage(b), to_qimage(f))
            self.single.set_overlay_opacity(self.slider.value() / 100)
        elif mode == "Swipe":
            self.single.set_image(to_qimage(swipe(b, f, self.slider.value() / 100)))
        else:
            self.single.set_image(to_qimage(difference_map(base, follow)))
