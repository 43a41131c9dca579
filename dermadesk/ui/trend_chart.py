"""The lesion's trend: area and malignant probability over its captures (QtCharts).

The time axis is labelled with the capture dates only, at the captures' places (a date axis wrote evenly spaced
dates nobody captured on, the last one after the last capture). The chart draws those labels itself: QtCharts
cuts each category label to the axis' width over the number of labels, so it wrote "2 Nov …" on a narrow chart.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem, QWidget

from dermadesk.domain.dates import human_date, local_day
from dermadesk.services.tracking import LesionTrend

NARROW = 360  # below this width: short legend names and title, so nothing is elided to "…"
SHORT = 150  # below this height: two labels on each value axis (0 and the top), so neither is elided
MALIGNANT = ("malignant probability (%)", "malignant %")
LONG_TITLE = "Lesion over time"  # left out on a narrow chart
DATE_GAP = 10.0  # pixels at least between two date labels
EDGE = 2.0  # pixels at least between a date label and the chart's edge
POINT_ROOM = 8.0  # pixels at least between a capture and the plot's side
SPACER = "\u200b"  # QtCharts' own label at a shown capture: zero-width, it keeps the labels' row and the grid line
# why a line is not drawn, longest first: the title says the longest that fits (the legend names only lines drawn)
# each says what is NOT drawn: a bold "Malignant probability: ..." over an area line read as that line's name
NOT_ASSESSABLE = ("no malignant probability: no assessable capture", "no assessable capture", "none assessable")
NOT_ASSESSED = ("no malignant probability: not assessed yet", "not assessed yet")
NO_AREA = ("no area: not measured", "no area")
ONE_CAPTURE_AREA = ("no area: it needs a second capture", "no area yet")


def partly_missing(days: list[str], why: str) -> tuple[str, ...]:
    """Why the probability line skips some captures (``days``, human dates), longest first."""
    n = len(days)
    named = f" on {' and '.join(days)}" if n <= 2 else f" at {n} captures"
    return (f"no malignant probability{named} ({why})", f"no malignant probability at {n} ({why})", f"{n} {why}")


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


def pick_labels(centres: list[float], widths: list[float], gap: float = DATE_GAP) -> list[int]:
    """Which date labels to show, centred at ``centres`` (ascending pixels), ``widths`` wide: the first and the last
    always, and each one between that keeps ``gap`` from the ones shown either side (left to right); only the last
    where even the first and the last would touch."""

    def apart(i: int, j: int) -> bool:
        return centres[j] - centres[i] >= (widths[i] + widths[j]) / 2 + gap

    last = len(centres) - 1
    if last < 1:
        return list(range(len(centres)))
    if not apart(0, last):
        return [last]
    shown = [0]
    for i in range(1, last):
        if apart(shown[-1], i) and apart(i, last):
            shown.append(i)
    return [*shown, last]


def missing_titles(once: str, area: tuple[str, ...] | None, malignant: tuple[str, ...] | None) -> list[str]:
    """The chart's title, longest first: the one capture date (``once``) and why a line is not drawn (``area``,
    ``malignant``: wordings longest first, None where the line is drawn); the date alone last (a narrow chart keeps
    it: the axis does not say it); [""] when there is nothing to say."""
    if area and malignant:  # "nothing measured": the chart is empty
        if malignant is NOT_ASSESSABLE:
            titles = [f"{once or LONG_TITLE}: nothing measured (no assessable capture)"]
            titles += [f"{once or 'Nothing measured'}: {why}" for why in NOT_ASSESSABLE[1:]]
            titles += [once or "No assessable capture"]
        else:
            titles = [f"{once or LONG_TITLE}: nothing measured yet", once or "Nothing measured yet"]
    else:
        notes = [n for n in (area, malignant) if n]
        wordings = [[n[min(i, len(n) - 1)] for n in notes] for i in range(max(map(len, notes), default=1))]
        titles = [" · ".join([once, *words] if once else words) for words in wordings] + [once]
    return [t[:1].upper() + t[1:] for t in titles if t] or [""]


class TrendChart(QChartView):
    """Area and malignant probability over the lesion's captures (QtCharts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(130)
        self.setToolTip("Lesion over time: area and malignant probability at each capture")
        self._days: list[tuple[float, str]] = []  # each capture day: (days after the first, "22 Nov 2026")
        self._missing: tuple[tuple[str, ...] | None, tuple[str, ...] | None] = (None, None)
        self._once = ""  # the date, where all captures are of one day (said in the title)
        self._labels: list[QGraphicsSimpleTextItem] = []
        self._placing = False

    def set_trend(self, trend: LesionTrend) -> None:
        self.set_points(trend.dates, trend.areas, trend.malignant_percent, trend.area_unit, trend.assessed)

    def set_points(
        self,
        dates: list[str],
        areas: list[float | None],
        malignant: list[float | None],
        area_unit: str,
        assessed: list[bool] | None = None,
    ) -> None:
        """The chart of these captures; ``assessed`` (per capture) tells "no assessable capture" from "not
        assessed yet" where no probability is drawn (unknown: "not assessed yet")."""
        chart = QChart()
        days = [dt.date.fromisoformat((local_day(d) or d)[:10]) for d in dates]
        first = min(days) if days else None
        self._days = sorted({(float((d - first).days), human_date(d.isoformat())) for d in days}) if first else []
        self._once = self._days[0][1] if len(self._days) == 1 else ""
        has_area, has_malignant = (any(v is not None for v in vs) for vs in (areas, malignant))
        no_area = None if has_area or not dates else ONE_CAPTURE_AREA if len(self._days) == 1 else NO_AREA
        no_malignant = None if has_malignant or not dates else NOT_ASSESSABLE if any(assessed or []) else NOT_ASSESSED
        skipped = [i for i, v in enumerate(malignant) if v is None]
        if has_malignant and skipped:  # the line stops or skips: said which captures and why
            done = [bool(assessed and i < len(assessed) and assessed[i]) for i in skipped]
            why = "not assessable" if all(done) else "not assessed yet" if not any(done) else "not assessable/assessed"
            names = dict.fromkeys(human_date(days[i].isoformat()) for i in sorted(skipped, key=lambda i: days[i]))
            no_malignant = partly_missing(list(names), why)
        self._missing = (no_area, no_malignant) if dates else (NO_AREA, NOT_ASSESSED)
        # the date in bold; a note of what is not drawn in grey, so it never reads as the name of the line below it
        chart.setTitleFont(small_font(chart.titleFont(), bold=bool(self._once)))
        chart.setTitleBrush(QColor("#202020" if self._once else "#5f5f5f"))
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        unit = "px" if area_unit == "pixels" else area_unit
        x_axis = QCategoryAxis()  # labelled at the captures shown (``_place_dates``), never between them
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x_axis.setLabelsFont(small_font(x_axis.labelsFont()))
        x_axis.setRange(-1, (self._days[-1][0] if self._days else 0) + 1)
        x_axis.setVisible(bool(dates))  # an axis without points has nothing to say
        x_axis.setLabelsVisible(len(self._days) > 1)  # one date: said once in the title, not on the axis
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setFont(small_font(chart.legend().font()))
        for values, name, align, top in (
            (areas, f"area ({unit})", Qt.AlignmentFlag.AlignLeft, None),  # "area mm²" when narrow
            (malignant, MALIGNANT[0], Qt.AlignmentFlag.AlignRight, 100.0),
        ):
            series = QLineSeries()
            series.setName(name)
            series.setPointsVisible(True)  # one capture is a point, not an invisible line
            for day, value in zip(days, values):
                if value is not None and first is not None:
                    series.append((day - first).days, value)
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
            else:
                axis.setRange(0, 1)
            axis.setLabelsVisible(series.count() > 0)  # no scale for a line not drawn (it read "1, 1, 0")
            chart.addAxis(axis, align)
            series.attachAxis(x_axis)
            series.attachAxis(axis)
            for marker in chart.legend().markers(series):
                marker.setVisible(series.count() > 0)  # the legend names only the lines drawn; the title says why
        chart.legend().setVisible(any(s.count() for s in chart.series()))
        self._labels = []
        chart.plotAreaChanged.connect(self._place_dates)
        self.setChart(chart)
        self._fit_labels()
        chart.layout().activate()  # laid out now: its title and dates, not an empty frame first

    def date_labels(self) -> list[QGraphicsSimpleTextItem]:
        """The capture dates the time axis shows, left to right."""
        return [item for item in self._labels if item.isVisible()]

    def _x_axis(self) -> QCategoryAxis | None:
        axes = self.chart().axes(Qt.Orientation.Horizontal)
        return axes[0] if axes and isinstance(axes[0], QCategoryAxis) else None

    def _place_dates(self, _plot: object = None) -> None:
        """Label the time axis with the capture dates that fit whole and apart (the first and the last always), each
        centred on its capture: the axis' range leaves room for the edge labels inside the chart."""
        axis, chart = self._x_axis(), self.chart()
        if axis is None or self._placing or len(self._days) < 2 or not chart.series():
            return
        self._placing = True
        try:
            plot = chart.plotArea()
            metrics = QFontMetricsF(axis.labelsFont())
            widths = [metrics.horizontalAdvance(text) for _, text in self._days]
            # pixels between the plot's sides and the first and last captures: their labels inside the chart
            left = max(POINT_ROOM, widths[0] / 2 + EDGE - plot.left())
            right = max(POINT_ROOM, widths[-1] / 2 + EDGE - (chart.size().width() - plot.right()))
            span = self._days[-1][0]
            scale = max(plot.width() - left - right, 1.0) / span  # pixels a day
            low, high = -left / scale, span + right / scale
            if abs(axis.min() - low) > 1e-6 or abs(axis.max() - high) > 1e-6:
                axis.setRange(low, high)
            centres = [plot.left() + (day - low) * scale for day, _ in self._days]
            shown = pick_labels(centres, widths)
            wanted = [SPACER * (i + 1) for i in range(len(shown))]
            if axis.categoriesLabels() != wanted or axis.startValue() != low:
                for label in axis.categoriesLabels():
                    axis.remove(label)
                axis.setStartValue(low)
                for label, i in zip(wanted, shown):
                    axis.append(label, self._days[i][0])
            self._draw_labels([(self._days[i][1], centres[i]) for i in shown], axis.labelsFont(), plot)
        finally:
            self._placing = False

    def _draw_labels(self, labels: list[tuple[str, float]], font: QFont, plot: QRectF) -> None:
        """The date texts centred at their pixels, in the row of QtCharts' own (zero-width) labels."""
        chart = self.chart()
        texts = [i if isinstance(i, QGraphicsTextItem) else i.toGraphicsObject() for i in chart.scene().items()]
        row = [  # (PySide6 hands some text items as bare QGraphicsItems)
            chart.mapFromScene(item.sceneBoundingRect().center()).y()
            for item in texts
            if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText().startswith(SPACER)
        ]
        middle = row[0] if row else plot.bottom() + QFontMetricsF(font).height()
        while len(self._labels) < len(labels):
            item = QGraphicsSimpleTextItem(chart)
            item.setFont(font)
            item.setBrush(chart.axes(Qt.Orientation.Horizontal)[0].labelsBrush())
            self._labels.append(item)
        for item, (text, centre) in zip(self._labels, labels):
            item.setText(text)
            size = item.boundingRect()
            item.setPos(centre - size.width() / 2, middle - size.height() / 2)
            item.setVisible(True)
        for item in self._labels[len(labels) :]:
            item.setVisible(False)

    def _fit_labels(self) -> None:
        """A shorter title and legend on a narrow chart, two labels per value axis on a short one (1280x720 at
        150 %), so none is elided."""
        chart, narrow = self.chart(), self.width() < NARROW
        metrics, room = QFontMetricsF(chart.titleFont()), self.width() - 12
        titles = missing_titles(self._once, *self._missing)
        chart.setTitle(next((t for t in titles if metrics.horizontalAdvance(t) <= room), titles[-1]))
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
