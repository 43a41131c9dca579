"""The lesion's trend: area and malignant probability over its captures (QtCharts).

The area is what ``services.stored_comparisons.area_trend`` gives, as the lesion report charts it: in mm², or the
area change since the baseline in % (never areas in pixels: images of different resolutions do not compare). Every
capture with a value is a marked point (one with no neighbour on its line is a dot, not nothing); the title says
which captures have none, the tooltip says why for each. A value of the part of the lesion both images show (its
comparison found the lesion reaching the edge of an image: ``AreaTrend.partial``) is a hollow point, named so in the
legend where it fits and in the tooltip always: never a plain point that reads as the whole lesion's area.

The time axis is labelled with the capture dates only, at the captures' places (a date axis wrote evenly spaced
dates nobody captured on, the last one after the last capture). The chart draws those labels itself: QtCharts
cuts each category label to the axis' width over the number of labels, so it wrote "2 Nov …" on a narrow chart.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem, QWidget

from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.trend import CHANGE, MM2, change_text
from dermadesk.services.tracking import LesionTrend
from dermadesk.ui.trend_words import (
    AREA_TIP,
    AXIS_TITLES,
    MALIGNANT,
    NO_AREA,
    NOT_ASSESSABLE,
    NOT_ASSESSED,
    ONE_CAPTURE_AREA,
    PARTIAL,
    TIP,
    area_missing,
    area_names,
    missing_lines,
    missing_titles,
    partial_note,
    partly_missing,
)

NARROW = 360  # below this width: short legend names and title, so nothing is elided to "…"
SHORT = 150  # below this height: two labels on each value axis (0 and the top), so neither is elided
AREA_COLOUR, MALIGNANT_COLOUR = "#1565c0", "#c62828"  # as the lesion report draws them
EDGE_ROOM = 0.06  # a value axis' room beyond its first and last label, of their span: a marker's radius
MARKER = 5.0  # a point's marker (QtCharts' own is about the line's width: a lone point was a speck)
HOLLOW = MARKER + 4  # a partial value's marker: a white disc ringed in the line's colour over the point
DATE_GAP = 10.0  # pixels at least between two date labels
EDGE = 2.0  # pixels at least between a date label and the chart's edge
POINT_ROOM = 8.0  # pixels at least between a capture and the plot's side
SPACER = "\u200b"  # QtCharts' own label at a shown capture: zero-width, it keeps the labels' row and the grid line


def nice_axis(largest: float, ticks: int = 3) -> tuple[float, int]:
    """The top of a value axis from 0 with ``ticks`` labels at round steps (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k)
    above ``largest`` with some room, and the decimals those labels need: 1.0 gives (1.2, 1), "0.0 0.6 1.2"."""
    want = max(largest, 1e-9) * 1.1 / (ticks - 1)
    power = 10 ** math.floor(math.log10(want))
    step = next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= want * (1 - 1e-9))
    return round(step * (ticks - 1), 9), decimals_of(step)


def decimals_of(step: float) -> int:
    """The decimals (up to 3) that labels ``step`` apart need: 0.6 gives 1, 15 gives 0."""
    return next((d for d in range(4) if abs(round(step, d) - step) < step * 1e-6), 3)


def value_range(values: list[float], change: bool) -> tuple[float, float]:
    """An area axis' range: from 0 (mm²); a change's from 0 up or down, or either side of it alike, so that 0 (no
    change since the baseline) is one of its labels."""
    top, _ = nice_axis(max(abs(v) for v in values))
    if not change or min(values) >= 0:
        return 0.0, top
    return (-top, 0.0) if max(values) <= 0 else (-top, top)


def labelled(axis: QValueAxis, ticks: int) -> None:
    """``ticks`` labels on a value axis, evenly from the start to the end of its ``span`` (a property: (start,
    end)), the axis a little longer either way: a point at the start or the end (the baseline's 0% change) is a
    whole marker, not half of one cut by the plot's edge. The area change's axis (a ``QCategoryAxis``) writes its
    labels as ``change_text`` does: 0 (no change) as "0%", where a printf format wrote "+0%"."""
    low, high = axis.property("span") or (0.0, 1.0)
    pad = EDGE_ROOM * (high - low)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(low)
    axis.setTickInterval((high - low) / (ticks - 1))
    axis.setTickCount(ticks)  # read by tests and by ``_fit_labels``: what the labels are
    axis.setRange(low - pad, high + pad)
    if isinstance(axis, QCategoryAxis):
        for label in axis.categoriesLabels():
            axis.remove(label)
        axis.setStartValue(low - pad)
        step = (high - low) / (ticks - 1)
        for i in range(ticks):  # "+0.8%" where the steps are that fine (the format wrote "+1%" at 0.8)
            axis.append(change_text(low + i * step, decimals_of(step)), low + i * step)


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


class TrendChart(QChartView):
    """Area and malignant probability over the lesion's captures (QtCharts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(130)
        self.setToolTip(TIP)
        self._days: list[tuple[float, str]] = []  # each capture day: (days after the first, "22 Nov 2026")
        self._missing: tuple[tuple[str, ...] | None, tuple[str, ...] | None] = (None, None)
        self._once = ""  # the date, where all captures are of one day (said in the title)
        self._area_unit = MM2
        self._empty = True  # neither line drawn
        self._labels: list[QGraphicsSimpleTextItem] = []
        self._placing = False

    def set_trend(self, trend: LesionTrend) -> None:
        area = trend.area
        partial = [area.is_partial(i) for i in range(len(area.values))]
        self.set_points(
            trend.dates, area.values, trend.malignant_percent, area.unit, trend.assessed, area.why_none, partial
        )

    def set_points(
        self,
        dates: list[str],
        areas: list[float | None],
        malignant: list[float | None],
        area_unit: str,
        assessed: list[bool] | None = None,
        area_why: list[str] | None = None,
        partial: list[bool] | None = None,
    ) -> None:
        """The chart of these captures (oldest first); ``area_unit``: "mm²", or "%" for the area change since the
        baseline (the first capture's 0% is the reference, not a value of its own); ``area_why``: why each capture
        without an area has none; ``assessed`` (per capture) tells "no assessable capture" from "not assessed yet"
        where no probability is drawn (unknown: "not assessed yet"); ``partial`` (per capture): its area is of the
        part of the lesion both images show (the lesion reaches the edge of an image), drawn hollow."""
        chart = QChart()
        days = [dt.date.fromisoformat((local_day(d) or d)[:10]) for d in dates]
        first = min(days) if days else None
        self._days = sorted({(float((d - first).days), human_date(d.isoformat())) for d in days}) if first else []
        self._once = self._days[0][1] if len(self._days) == 1 else ""
        change, self._area_unit = area_unit == CHANGE, area_unit
        if change and not any(v is not None for v in areas[1:]):  # the baseline's 0% alone says nothing
            areas = [None] * len(areas)
        has_area, has_malignant = (any(v is not None for v in vs) for vs in (areas, malignant))
        day_of = [human_date(d.isoformat()) for d in days]
        why = area_why or ["not measured"] * len(areas)
        skipped = [i for i, v in enumerate(areas) if v is None and not (change and i == 0 and has_area)]
        named, whys = [day_of[i] for i in skipped], [why[i] for i in skipped]
        no_area = area_missing(named, whys, area_unit, not has_area)
        notes = missing_lines("No area change" if change else "No area", named, whys)
        if not has_area and len(self._days) == 1:
            no_area, notes = ONE_CAPTURE_AREA, [ONE_CAPTURE_AREA[0]]
        no_malignant = None if has_malignant or not dates else NOT_ASSESSABLE if any(assessed or []) else NOT_ASSESSED
        skipped = [i for i, v in enumerate(malignant) if v is None]
        if has_malignant and skipped:  # the line stops or skips: said which captures and why
            done = [bool(assessed and i < len(assessed) and assessed[i]) for i in skipped]
            said = "not assessable" if all(done) else "not assessed yet" if not any(done) else "not assessable/assessed"
            names = dict.fromkeys(human_date(days[i].isoformat()) for i in sorted(skipped, key=lambda i: days[i]))
            no_malignant = partly_missing(list(names), said)
        self._missing = (no_area, no_malignant) if dates else (NO_AREA, NOT_ASSESSED)
        self._empty = not has_area and not has_malignant
        notes += [no_malignant[0]] if no_malignant and dates else []
        hollow = [i for i, v in enumerate(areas) if v is not None and partial and i < len(partial) and partial[i]]
        notes += [partial_note(list(dict.fromkeys(day_of[i] for i in hollow)), area_unit)] if hollow else []
        said = "\n".join(n[:1].upper() + n[1:] for n in notes)  # the title says it short; this, each reason
        self.setToolTip("\n\n".join(t for t in (AREA_TIP.get(area_unit, TIP), said) if t))
        # the date in bold; a note of what is not drawn in grey, so it never reads as the name of the line below it
        chart.setTitleFont(small_font(chart.titleFont(), bold=bool(self._once)))
        chart.setTitleBrush(QColor("#202020" if self._once else "#5f5f5f"))
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        x_axis = QCategoryAxis()  # labelled at the captures shown (``_place_dates``), never between them
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x_axis.setLabelsFont(small_font(x_axis.labelsFont()))
        x_axis.setRange(-1, (self._days[-1][0] if self._days else 0) + 1)
        x_axis.setVisible(bool(dates))  # an axis without points has nothing to say
        x_axis.setLabelsVisible(len(self._days) > 1)  # one date: said once in the title, not on the axis
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setFont(small_font(chart.legend().font()))
        value_axes: list[QValueAxis] = []
        for values, name, align, top, colour in (
            (areas, area_names(area_unit)[0], Qt.AlignmentFlag.AlignLeft, None, AREA_COLOUR),  # "area mm²" if narrow
            (malignant, MALIGNANT[0], Qt.AlignmentFlag.AlignRight, 100.0, MALIGNANT_COLOUR),
        ):
            series = QLineSeries()
            series.setName(name)
            series.setPen(QPen(QColor(colour), 2))
            series.setPointsVisible(True)  # every capture with a value a marked point
            series.setMarkerSize(MARKER)
            for day, value in zip(days, values):
                if value is not None and first is not None:
                    series.append((day - first).days, value)
            chart.addSeries(series)
            # titled by ``_title_axes`` where it fits whole; coloured as its line; a change's labelled by ``labelled``
            axis = QCategoryAxis() if change and top is None else QValueAxis()
            if isinstance(axis, QCategoryAxis):
                axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            axis.setLabelsFont(small_font(axis.labelsFont()))
            axis.setLabelsColor(series.color())  # which line a scale is of: both may say %
            span: tuple[float, float] = (0.0, 1.0)
            if top is not None:
                span = (0.0, top)
                axis.setLabelFormat("%.0f%%")
            elif series.count():
                span = value_range([p.y() for p in series.points()], change)
                axis.setLabelFormat("" if change else f"%.{nice_axis(span[1])[1]}f")  # a change's: ``labelled``
            axis.setProperty("span", span)
            labelled(axis, 3)
            axis.setLabelsVisible(series.count() > 0)  # no scale for a line not drawn (it read "1, 1, 0")
            axis.setTitleFont(small_font(axis.titleFont()))
            axis.setTitleBrush(series.color())
            axis.setProperty("titles", AXIS_TITLES.get(area_unit if top is None else "malignant", ()))
            chart.addAxis(axis, align)
            value_axes.append(axis)
            series.attachAxis(x_axis)
            series.attachAxis(axis)
            for marker in chart.legend().markers(series):
                marker.setVisible(series.count() > 0)  # the legend names only the lines drawn; the title says why
        if hollow and first is not None:  # over the area line's own points: hollow where the value is partial
            marks = QScatterSeries()
            marks.setName(PARTIAL[0])
            marks.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
            marks.setMarkerSize(HOLLOW)
            marks.setColor(QColor("white"))
            marks.setBorderColor(QColor(AREA_COLOUR))
            marks.setPen(QPen(QColor(AREA_COLOUR), 2))
            for i in hollow:
                marks.append((days[i] - first).days, areas[i])
            chart.addSeries(marks)
            marks.attachAxis(x_axis)
            marks.attachAxis(value_axes[0])
        chart.legend().setVisible(any(s.count() for s in chart.series()))
        self._labels = []
        chart.plotAreaChanged.connect(self._place_dates)
        chart.plotAreaChanged.connect(self._title_axes)
        self.setChart(chart)
        self._fit_labels()
        chart.layout().activate()  # laid out now: its title and dates, not an empty frame first

    def date_labels(self) -> list[QGraphicsSimpleTextItem]:
        """The capture dates the time axis shows, left to right."""
        return [item for item in self._labels if item.isVisible()]

    def _x_axis(self) -> QCategoryAxis | None:
        axes = self.chart().axes(Qt.Orientation.Horizontal)
        return axes[0] if axes and isinstance(axes[0], QCategoryAxis) else None

    def _title_axes(self, plot: QRectF) -> None:
        """Each value axis drawn says what it counts ("area change", "mm²", "malignant"), in its line's colour: the
        longest title that fits the plot's height whole, none where none does (it was elided to "ar…")."""
        for axis in self.chart().axes(Qt.Orientation.Vertical):
            metrics = QFontMetricsF(axis.titleFont())
            titles = [t for t in axis.property("titles") or () if metrics.horizontalAdvance(t) <= plot.height() - 4]
            title = titles[0] if titles and axis.labelsVisible() else ""
            if axis.titleText() != title:
                axis.setTitleText(title)
                axis.setTitleVisible(bool(title))

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
        """A shorter title and legend on a narrow chart (the longest names that fit), two labels per value axis on a
        short one (1280x720 at 150 %), so none is elided."""
        chart, narrow = self.chart(), self.width() < NARROW
        metrics, room = QFontMetricsF(chart.titleFont()), self.width() - 12
        titles = missing_titles(self._once, *self._missing, self._empty)
        chart.setTitle(next((t for t in titles if metrics.horizontalAdvance(t) <= room), titles[-1]))
        for axis in chart.axes(Qt.Orientation.Vertical):
            if isinstance(axis, QValueAxis) and axis.tickCount() != (2 if self.height() < SHORT else 3):
                labelled(axis, 2 if self.height() < SHORT else 3)
        lines, area = [s for s in chart.series() if isinstance(s, QLineSeries)], area_names(self._area_unit)
        if len(lines) != 2:
            return
        legend = QFontMetricsF(chart.legend().font())
        wordings = [(area[min(i, len(area) - 1)], MALIGNANT[min(i, 1)]) for i in range(max(len(area), 2))]

        def width(names: tuple[str, str]) -> float:  # an entry: its colour box and spacing, about two lines high
            return sum(legend.horizontalAdvance(n) + 2 * legend.height() for n, s in zip(names, lines) if s.count())

        fits = [names for names in wordings if width(names) <= room] if not narrow else []
        marks = [s for s in chart.series() if isinstance(s, QScatterSeries)]  # hollow points: named where they fit
        hollow = [  # (lines' names, hollow points' name): shorter names for the lines first, to name them too
            (names, p)
            for names in fits
            for p in PARTIAL
            if marks and width(names) + legend.horizontalAdvance(p) + 2 * legend.height() <= room
        ]
        chosen, partial = hollow[0] if hollow else ((fits or wordings[-1:])[0], "")
        for line, name in zip(lines, chosen):
            line.setName(name)
        for mark in marks:  # not named in the legend: the tooltip says which captures and why, always
            mark.setName(partial or PARTIAL[-1])
            for marker in chart.legend().markers(mark):
                marker.setVisible(bool(partial))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_labels()
