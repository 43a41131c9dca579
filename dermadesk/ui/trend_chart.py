"""The lesion's trend: area and malignant probability over its captures (QtCharts)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from dermadesk.services.tracking import LesionTrend


class TrendChart(QChartView):
    """Area and malignant probability over the lesion's captures (QtCharts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(130)
        self.setToolTip("Lesion over time: area and malignant probability at each capture")

    def set_trend(self, trend: LesionTrend) -> None:
        self.set_points(trend.dates, trend.areas, trend.malignant_percent, trend.area_unit)

    def set_points(
        self, dates: list[str], areas: list[float | None], malignant: list[float | None], area_unit: str
    ) -> None:
        chart = QChart()
        measured = any(v is not None for v in [*areas, *malignant])
        if not measured:  # no title otherwise: on a short screen the plot needs the height
            chart.setTitle("Lesion over time: nothing measured yet")
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        unit = "px" if area_unit == "pixels" else area_unit
        x_axis = QDateTimeAxis()
        x_axis.setFormat("d MMM yy")  # short, so the labels are not elided on a narrow chart
        x_axis.setTickCount(2 if len(set(dates)) < 3 else 3)
        if dates:  # the captures' span (an axis without points would start in 1970)
            days = sorted(dt.datetime.fromisoformat(d[:10]) for d in dates)
            pad = max(dt.timedelta(days=1), (days[-1] - days[0]) / 20)  # one capture: a few days either side
            x_axis.setRange(QDateTime(days[0] - pad), QDateTime(days[-1] + pad))
        else:
            x_axis.setVisible(False)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        for values, name, align, top, fmt in (
            (areas, f"area ({unit})", Qt.AlignmentFlag.AlignLeft, None, "%.0f" if unit == "px" else "%.1f"),
            (malignant, "malignant probability (%)", Qt.AlignmentFlag.AlignRight, 100.0, "%.0f%%"),
        ):
            series = QLineSeries()
            series.setName(name)
            for day, value in zip(dates, values):
                if value is not None:
                    stamp = QDateTime(dt.datetime.fromisoformat(day[:10]))
                    series.append(stamp.toMSecsSinceEpoch(), value)
            chart.addSeries(series)
            axis = QValueAxis()  # no axis title (it was elided to "ar…"): the legend names each line
            axis.setLabelFormat(fmt)
            axis.setTickCount(3)
            axis.setMin(0)
            if top is not None:
                axis.setMax(top)
            elif series.count():
                axis.setMax(max(p.y() for p in series.points()) * 1.2)
            chart.addAxis(axis, align)
            series.attachAxis(x_axis)
            series.attachAxis(axis)
        self.setChart(chart)
