"""Change since the baseline: side by side (linked zoom/pan), blend, swipe, difference map, charts."""

from __future__ import annotations

import datetime as dt
from html import escape

import cv2
import numpy as np
from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from dermadesk.analysis.change import ChangeResult
from dermadesk.inference.cam import colourise
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.images import ImageView, to_qimage
from dermadesk.ui.manual_align import ManualAlignDialog

MODES = ("Side by side", "Blend", "Swipe", "Difference")


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
        measured = any(v is not None for v in [*areas, *malignant])
        chart.setTitle("Lesion over time" if measured else "Lesion over time: nothing measured yet")
        x_axis = QDateTimeAxis()
        x_axis.setFormat("yyyy-MM-dd")
        if dates:  # the captures' span (an axis without points would start in 1970)
            days = sorted(dt.datetime.fromisoformat(d[:10]) for d in dates)
            x_axis.setRange(QDateTime(days[0] - dt.timedelta(days=1)), QDateTime(days[-1] + dt.timedelta(days=1)))
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
    """Verdict, images and trend of one baseline/follow-up pair; the user can align the pair by hand."""

    align_requested = Signal(list)  # [((x, y) baseline, (x, y) follow-up)] in the captures' original pixels
    reset_requested = Signal()

    def __init__(self, dialogs: DialogService | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs or DialogService(self)
        self.result: ChangeResult | None = None
        self.base_img: np.ndarray | None = None
        # the last pairs sent for a result: shown again if the alignment from them is refused
        self._refused_points: tuple[ChangeResult, list] | None = None
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
        self.align_button = QPushButton("Align by hand…")
        self.align_button.setToolTip("Mark two or three matching spots on both images when the automatic "
                                     "alignment was refused or looks wrong")
        self.reset_button = QPushButton("Automatic alignment")
        self.reset_button.setToolTip("Drop the manual alignment and compare with the automatic one again")
        self.align_button.clicked.connect(self.open_manual_alignment)
        self.reset_button.clicked.connect(self.reset_requested.emit)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("View"))
        tools.addWidget(self.mode)
        tools.addWidget(self.slider, 1)
        tools.addWidget(self.align_button)
        tools.addWidget(self.reset_button)
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

    def set_busy(self, busy: bool) -> None:
        """While a comparison runs, the shown pair is about to change: no alignment actions on it."""
        manual = bool(self.result and self.result.alignment and self.result.alignment.method == "manual")
        self.align_button.setEnabled(not busy and bool(self.result and self.result.followup_image is not None))
        self.reset_button.setEnabled(not busy and manual)

    def manual_dialog(self) -> ManualAlignDialog | None:
        """The point-marking dialog for the shown pair (pre-filled with its manual points, if any)."""
        r = self.result
        if r is None or r.baseline_image is None or r.followup_image is None:
            return None
        sb, sf = r.work_scales
        sizes = ((round(r.baseline_image.shape[1] / sb), round(r.baseline_image.shape[0] / sb)),
                 (round(r.followup_image.shape[1] / sf), round(r.followup_image.shape[0] / sf)))
        points = r.manual_points
        if self._refused_points is not None and self._refused_points[0] is r:  # refused: the marks come back
            points = [[list(b), list(f)] for b, f in self._refused_points[1]]  # original pixels, as stored
        marked = [((xb * sb, yb * sb), (xf * sf, yf * sf)) for (xb, yb), (xf, yf) in points]
        return ManualAlignDialog(r.baseline_image, r.followup_image, self, (sb, sf), sizes, marked)

    def apply_manual(self, dialog: ManualAlignDialog) -> None:
        """Emit the dialog's pairs in the captures' original pixels (the dialog shows working copies)."""
        pairs = dialog.original_pairs()
        if len(pairs) >= 2 and not dialog.problem():
            self._refused_points = (self.result, pairs)  # kept until a result for them arrives
            self.set_busy(True)
            self.align_requested.emit(pairs)

    def open_manual_alignment(self) -> None:
        dialog = self.manual_dialog()
        if dialog is not None and self.dialogs.run_dialog(dialog):
            self.apply_manual(dialog)

    def show_result(self, baseline: np.ndarray | None, result: ChangeResult | None, dates: tuple[str, str]) -> None:
        self.base_img, self.result = baseline, result
        self._refused_points = None
        manual = bool(result and result.alignment and result.alignment.method == "manual")
        self.set_busy(False)
        self.align_button.setText("Adjust alignment by hand…" if manual else "Align by hand…")
        if result is None or baseline is None:
            self.verdict.setText("Select a lesion with two or more captures.")
            self.left.set_image(None)
            self.right.set_image(None)
            self.single.set_image(None)
            return
        colour = {"significant": "#c62828", "not significant": "#2e7d32"}.get(result.verdict, "#b28704")
        items = "".join(f"<li>{escape(r)}</li>" for r in result.reasons)  # "score 0.04 < 0.35" is text
        self.verdict.setText(f"<b style='font-size:13pt; color:{colour}'>{result.verdict.upper()}</b> "
                             f"({dates[0][:10]} → {dates[1][:10]})<ul>{items}</ul>")
        self.render()

    def render(self) -> None:
        r, base = self.result, self.base_img
        if r is None or base is None:
            return
        follow = r.aligned_followup
        mode = MODES[self.mode.currentIndex()]
        self.slider.setEnabled(follow is not None and mode in ("Blend", "Swipe"))
        self.mode.setEnabled(follow is not None)  # nothing to blend or subtract before the pair is aligned
        if follow is None:  # registration failed: show both as they are, so the user can align them by hand
            self.stack.setCurrentIndex(0)
            self.left.set_image(to_qimage(base))
            self.right.set_image(to_qimage(r.followup_image) if r.followup_image is not None else None)
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
            diff = difference_map(base, follow)
            if r.followup_visible is not None:  # no difference where the follow-up shows nothing: its hatching
                diff[~r.followup_visible] = follow[~r.followup_visible]
            self.single.set_image(to_qimage(diff))
