"""The lesion's trend: area and malignant probability over its captures (QtCharts)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from dermadesk.services.tracking import LesionTrend


class TrendChart(QChartView):
    """Area and malignant probability over the lesion's captures (QtCharts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(180)

    def set_trend(self, trend: LesionTrend) -> None:
        self.set_points(trend.dates, trend.areas, trend.malignant_percent, trend.area_unit)

    def set_points(
        self, dates: list[str], areas: list[float | None], malignant: list[float | None], area_unit: str
    ) -> None:
        chart = QChart()
        measured = any(v is not None for v in [*areas, *malignant])
        chart.setTitle("Lesion over time" if measured else "Lesion over time: nothing measured yet")
        x_axis = QDateTimeAxis()
        x_axis.setFormat("yyyy-MM-dd")
        if dates:  # the captures' span (an axis without points would start in 1970)
            days = sorted(dt.datetime.fromisoformat(d[:10]) for d in dates)
            x_axis.setRange(QDateTime(days[0] - dt.timedelta(days=1)), QDateTime(days[-1] + dt.timedelta(days=1)))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        for values, name, align, top in (
            (areas, f"area ({area_unit})", Qt.AlignmentFlag.AlignLeft, None),
            (malignant, "malignant probability (%)", Qt.AlignmentFlag.AlignRight, 100.0),
        ):
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
