"""The lesion's trend: area and malignant probability over its captures (QtCharts)."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QFont, QPainter, QResizeEvent
from PySide6.QtWidgets import QWidget

from dermadesk.services.tracking import LesionTrend
from dermadesk.domain.dates import human_date

NARROW = 360  # below this width: two date labels and short legend names, so nothing is elided to "…"
SHORT = 150  # below this height: two labels on each value axis (0 and the top), so neither is elided
MALIGNANT = ("malignant probability (%)", "malignant %")
LONG_TITLE = "Lesion over time"  # left out on a narrow chart


def nice_axis(largest: float, ticks: int = 3) -> tuple[float, int]:
    """The top of a value axis from 0 with ``ticks`` labels at round steps (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k)
    above ``largest`` with some room, and the decimals those labels need: 1.0 gives (1.2, 1), "0.0 0.6 1.2"."""
    want = max(largest, 1e-9) * 1.1 / (ticks - 1)
    power = 10 ** math.floor(math.log10(want))
    step = next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= want * (1 - 1e-9))
    decimals = next((d for d in range(4) if abs(round(step, d) - step) < step * 1e-6), 3)
    return round(step * (ticks - 1), 9), decimals


def small_font(font: QFont, bold: bool = False) -> QFont:
    """``font`` a size smaller (the chart's labels fit a 120-pixel-high chart whole)."""
    smaller = QFont(font)
    smaller.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    smaller.setBold(bold)
    return smaller


class TrendChart(QChartView):
    """Area and malignant probability over the lesion's captures (QtCharts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(130)
        self.setToolTip("Lesion over time: area and malignant probability at each capture")
        self._dates = 0  # distinct capture dates shown

    def set_trend(self, trend: LesionTrend) -> None:
        self.set_points(trend.dates, trend.areas, trend.malignant_percent, trend.area_unit)

    def set_points(
        self, dates: list[str], areas: list[float | None], malignant: list[float | None], area_unit: str
    ) -> None:
        chart = QChart()
        measured = any(v is not None for v in [*areas, *malignant])
        self._dates = len({d[:10] for d in dates})
        # one date: said once, in the title (as the x axis' title QtCharts cut it to "..." on a short chart);
        # no title otherwise: on a short screen the plot needs the height
        once = human_date(dates[0]) if self._dates == 1 else ""
        if not measured:
            chart.setTitle(f"{once or LONG_TITLE}: nothing measured yet")
        elif once:
            chart.setTitle(once)
        chart.setTitleFont(small_font(chart.titleFont(), bold=True))
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        unit = "px" if area_unit == "pixels" else area_unit
        x_axis = QDateTimeAxis()
        x_axis.setFormat("d MMM yy")  # short, so the labels are not elided on a narrow chart
        if dates:  # the captures' span (an axis without points would start in 1970)
            days = sorted(dt.datetime.fromisoformat(d[:10]) for d in dates)
            pad = max(dt.timedelta(days=1), (days[-1] - days[0]) / 20)  # one capture: a few days either side
            x_axis.setRange(QDateTime(days[0] - pad), QDateTime(days[-1] + pad))
        else:
            x_axis.setVisible(False)
        if self._dates == 1:  # one date: said once in the title, not as the days either side of it
            x_axis.setLabelsVisible(False)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setFont(small_font(chart.legend().font()))
        x_axis.setLabelsFont(small_font(x_axis.labelsFont()))
        for values, name, align, top in (
            (areas, f"area ({unit})", Qt.AlignmentFlag.AlignLeft, None),  # "area mm²" when narrow
            (malignant, MALIGNANT[0], Qt.AlignmentFlag.AlignRight, 100.0),
        ):
            series = QLineSeries()
            series.setName(name)
            series.setPointsVisible(True)  # one capture is a point, not an invisible line
            for day, value in zip(dates, values):
                if value is not None:
                    stamp = QDateTime(dt.datetime.fromisoformat(day[:10]))
                    series.append(stamp.toMSecsSinceEpoch(), value)
            chart.addSeries(series)
            axis = QValueAxis()  # no axis title (it was elided to "ar…"): the legend names each line
            axis.setTickCount(3)
            axis.setLabelsFont(small_font(axis.labelsFont()))
            if top is not None:
                axis.setRange(0, top)
                axis.setLabelFormat("%.0f%%")
            elif series.count():
                top, decimals = nice_axis(max(p.y() for p in series.points()))
                axis.setRange(0, top)
                axis.setLabelFormat("%.0f" if unit == "px" else f"%.{decimals}f")
            else:  # nothing measured: no made-up scale ("1, 1, 0")
                axis.setRange(0, 1)
                axis.setLabelsVisible(False)
            chart.addAxis(axis, align)
            series.attachAxis(x_axis)
            series.attachAxis(axis)
        self.setChart(chart)
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Fewer labels and a shorter legend on a narrow or short chart (1280x720, 150 %), so none is elided."""
        chart, narrow = self.chart(), self.width() < NARROW
        if chart.title().startswith(f"{LONG_TITLE}: ") or chart.title() == "Nothing measured yet":
            chart.setTitle("Nothing measured yet" if narrow else f"{LONG_TITLE}: nothing measured yet")
        for axis in chart.axes(Qt.Orientation.Horizontal):
            axis.setTickCount(2 if narrow or self._dates < 3 else 3)  # type: ignore[attr-defined]
        for axis in chart.axes(Qt.Orientation.Vertical):
            axis.setTickCount(2 if self.height() < SHORT else 3)  # type: ignore[attr-defined]
        for series in chart.series():
            name = series.name()
            if name in MALIGNANT:
                series.setName(MALIGNANT[1] if narrow else MALIGNANT[0])
            elif name.startswith("area"):
                unit = name.removeprefix("area").strip(" ()")
                series.setName(f"area {unit}" if narrow else f"area ({unit})")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_labels()
