"""The lesion report's trend over visits: the malignant probability and the lesion's area at each capture, one
chart each. Every capture with a value is a point with its value written beside it; a capture without one is marked
"no value" on the chart and named, with why, under it. The area is in mm² only where every measured capture has a
scale; otherwise it is the area change since the baseline as each capture's comparison with the baseline measured it
(the follow-up aligned onto the baseline), since areas in pixels of images of different sizes do not compare. A value
of the part of the lesion both images show (the lesion reaches the edge of an image: ``AreaTrend.partial``) is a
hollow point, as in the app's chart, and a line under the chart names those captures and says why."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from dermadesk.domain.trend import AreaTrend, change_text, partial_note
from dermadesk.reports.common import BOLD, FONT
from dermadesk.reports.data import VisitData
from dermadesk.reports.notes import dates_kept

WIDTH = 175 * mm  # within the text width of A4 and Letter
PLOT_X, PLOT_Y, PLOT_HEIGHT = 14 * mm, 11 * mm, 27 * mm
PLOT_WIDTH = WIDTH - PLOT_X - 4 * mm
AXIS_LABEL = 14 * mm  # room for one capture's axis label ("12" over "22 Nov 2026" at 6 pt)
VALUE_LABEL = 7 * mm  # room for one point's value ("+12%")
GREY = colors.HexColor("#777777")


@dataclass(frozen=True)
class Series:
    """One chart: a value per capture (None: none) and, for each capture without one, why ("" where it has one)."""

    title: str
    values: list[float | None]
    why_none: list[str]
    colour: str
    text: Callable[[float], str]  # a point's value as written beside it: "12%", "+4%", "18.2 mm²"
    low: float | None = None  # the axis's fixed range, where it has one
    high: float | None = None
    partial: list[bool] = field(default_factory=list)  # per capture: a value of the part in view only, drawn hollow


def malignant_series(visits: Sequence[VisitData]) -> Series:
    """The malignant probability of each capture the model could assess (none for one it could not back)."""
    values: list[float | None] = []
    why: list[str] = []
    for v in visits:
        a = v.assessment
        p = a.malignant_probability if a is not None and a.assessable else None  # none the model cannot back
        values.append(100 * p if p is not None else None)
        why.append(
            ""
            if p is not None
            else "not assessed"
            if a is None
            else "not assessable"
            if not a.assessable
            else "no value"
        )
    return Series("Malignant probability (%)", values, why, "#c62828", lambda y: f"{y:.0f}%", 0, 100)


def area_series(area: AreaTrend) -> Series:
    """The lesion's area as the app's trend chart plots it (``area``): in mm², else its change since the baseline."""
    partial = [area.is_partial(i) for i in range(len(area.values))]
    if area.in_mm2:
        return Series(
            "Lesion area (mm²)", area.values, area.why_none, "#1565c0", lambda y: f"{y:.1f}", 0, partial=partial
        )
    return Series(
        "Area change since the baseline (%)",
        area.values,
        area.why_none,
        "#1565c0",
        change_text,
        partial=partial,
    )


def nice_axis(low: float, high: float) -> tuple[float, float, float]:
    """(min, max, step) of an axis that holds ``low`` to ``high`` in about five round steps."""
    span = max(high - low, 1e-9)
    raw = span / 5
    unit = 10 ** math.floor(math.log10(raw))
    step = next(unit * m for m in (1, 2, 2.5, 5, 10) if unit * m >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def axis_range(s: Series) -> tuple[float, float, float]:
    values = [y for y in s.values if y is not None]
    if s.low is not None and s.high is not None:
        return s.low, s.high, (s.high - s.low) / 4
    low = s.low if s.low is not None else min([0.0, *values])
    high = max([0.0, *values])
    if s.low is None:  # a change: room either side of 0, at least ±5 points
        low, high = min(low, -5.0), max(high, 5.0)
    pad = 0.15 * (high - low)
    return nice_axis(low - pad * (low < 0), high + pad)


def every_kth(n: int, room: float) -> list[int]:
    """The captures whose label fits (each needs ``room``): all, or every k-th with the first and the last."""
    fits = max(2, int(PLOT_WIDTH // room))
    if n <= fits:
        return list(range(n))
    k = math.ceil(n / fits)
    shown = list(range(0, n - 1, k))
    if n - 1 - shown[-1] < k:  # the last one's label would touch it
        shown.pop()
    return [*shown, n - 1]


def chart(s: Series, labels: Sequence[str]) -> Drawing:
    """The series as a line of points over the captures (x: their place, labelled by ``labels``)."""
    n = len(labels)
    d = Drawing(WIDTH, PLOT_Y + PLOT_HEIGHT + 9 * mm)
    d.add(String(PLOT_X, PLOT_Y + PLOT_HEIGHT + 5 * mm, s.title, fontName=BOLD, fontSize=7.5))  # read first
    low, high, step = axis_range(s)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = PLOT_X, PLOT_Y, PLOT_WIDTH, PLOT_HEIGHT
    points = [(float(i), float(y)) for i, y in enumerate(s.values) if y is not None]
    plot.data = [points]
    colour = colors.HexColor(s.colour)
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = colour, 1.2
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=colour, strokeColor=colour)
    for j, (i, _) in enumerate(points):  # a value of the part both images show: hollow (``hollow_words`` says why)
        if int(i) < len(s.partial) and s.partial[int(i)]:
            plot.lines[0, j].symbol = makeMarker(
                "FilledCircle", size=5, fillColor=colors.white, strokeColor=colour, strokeWidth=1
            )
    labelled = set(every_kth(n, VALUE_LABEL))  # dense: the values of every k-th point, the last always
    plot.lineLabelFormat = "values"
    plot.lineLabelArray = [[s.text(y) if int(i) in labelled else "" for i, y in points]]
    plot.lineLabels.fontName, plot.lineLabels.fontSize = FONT, 6
    plot.lineLabelNudge = 6
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = -0.5, n - 0.5
    x_axis.valueSteps = every_kth(n, AXIS_LABEL)
    x_axis.labelTextFormat = lambda i: labels[int(round(i))] if 0 <= round(i) < n else ""
    y_axis.valueMin, y_axis.valueMax, y_axis.valueStep = low, high, step
    # a change's 0 (the baseline's level) with no sign, as the app's axis writes it ("0%"; here the title says "(%)")
    y_axis.labelTextFormat = lambda y: f"{y:g}" if s.low is not None else f"{y:+g}" if round(y, 6) else "0"
    for axis in (x_axis, y_axis):
        axis.labels.fontName, axis.labels.fontSize = FONT, 6
    x_axis.labels.textAnchor = "middle"  # a label's lines (day; time or place that day) under the tick
    d.add(plot)

    def x_of(i: float) -> float:
        return PLOT_X + (i + 0.5) / n * PLOT_WIDTH

    if low < 0 < high:  # the baseline's level: no change
        level = PLOT_Y + (0 - low) / (high - low) * PLOT_HEIGHT
        d.add(
            Line(PLOT_X, level, PLOT_X + PLOT_WIDTH, level, strokeColor=GREY, strokeWidth=0.4, strokeDashArray=[2, 2])
        )
    for i, y in enumerate(s.values):
        if y is None:  # said where the point would be, and why under the chart
            text = "no value" if PLOT_WIDTH / n >= 9 * mm else "–"
            d.add(String(x_of(i), PLOT_Y + 2, text, fontName=FONT, fontSize=5.5, fillColor=GREY, textAnchor="middle"))
    return d


def listed(places: Sequence[int], names: Sequence[str]) -> str:
    """The captures at ``places`` (indexes into ``names``: every capture's name, oldest first) by their names, as the
    app names captures (never a number: the command line numbers captures by their register id), a run of three or
    more captures in a row as one: "9 Feb 2025", "9 Feb 2025 and 16 Mar 2025", "every capture from 5 Jan 2025 to
    20 Apr 2025, 6 Jul 2025 and 2 Mar 2026"."""
    runs: list[list[int]] = []
    for x in places:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    said: list[str] = []
    for r in runs:  # a run of two is said as two
        if len(r) >= 3:
            said.append(f"every capture from {names[r[0]]} to {names[r[-1]]}")
        else:
            said += [names[i] for i in r]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def missing_note(s: Series, names: Sequence[str]) -> str:
    """Which captures have no value and why, by their names (``names``, one per capture): "No value for the capture
    of 16 Jun 2025 (not assessable); and 2 captures (not assessed): 11 Jan 2026 and 2 Mar 2026."; "No value for any
    capture (not assessed)."; "" when every capture has one."""
    by_reason: dict[str, list[int]] = {}
    for i, why in enumerate(s.why_none):
        if why:
            by_reason.setdefault(why, []).append(i)
    if not by_reason:
        return ""
    if len(by_reason) == 1 and len(next(iter(by_reason.values()))) == len(names):
        return f"No value for any capture ({next(iter(by_reason))})."
    parts = [
        f"the capture of {names[places[0]]} ({why})" if len(places) == 1 else
        f"{len(places)} captures ({why}): {listed(places, names)}"
        for why, places in by_reason.items()
    ]  # fmt: skip
    joined = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
    return f"No value for {joined}."


def hollow_words(s: Series, names: Sequence[str], in_mm2: bool) -> str:
    """The line under a chart on its hollow points (``Series.partial``), by the captures' names; "" for none."""
    places = [i for i, y in enumerate(s.values) if y is not None and i < len(s.partial) and s.partial[i]]
    return partial_note(listed(places, names), len(places) > 1, in_mm2) + "." if places else ""


def area_words(in_mm2: bool) -> str:
    """What the area chart shows, in words under it."""
    if in_mm2:
        return "Lesion area in mm², each capture measured at its own recorded scale (mm per pixel)."
    return (
        "Area change since the baseline (the first capture), as each capture's comparison with the baseline measured "
        "it: the images aligned onto each other, so captures of different size or zoom compare (their areas in "
        "pixels do not). Not in mm²: not every capture has a recorded scale (mm per pixel) that matches its image."
    )


def trend_block(
    visits: Sequence[VisitData],
    labels: Sequence[str],
    names: Sequence[str],
    area: AreaTrend | None,
    st: dict[str, Any],
) -> list[Any]:
    """Both charts with their notes (``labels``: each capture's axis label; ``names``: each capture's name in a line
    of text; ``area``: the visits' area, None where not measured); a series without a single value is not drawn: a
    line says which captures have none and why."""
    area = area or AreaTrend.unmeasured(len(visits))
    out: list[Any] = []
    for s, words in ((malignant_series(visits), ""), (area_series(area), area_words(area.in_mm2))):
        # a value measured: the baseline's 0% change is none, it is the reference
        measured = [y for i, y in enumerate(s.values) if y is not None and (s.low is not None or i > 0)]
        missing, hollow = missing_note(s, names), hollow_words(s, names, area.in_mm2)
        if measured:
            notes = [Paragraph(dates_kept(text), st["small"]) for text in (words, hollow, missing) if text]
            out.append(KeepTogether([chart(s, labels), *notes, Spacer(1, 3 * mm)]))
        else:  # "Malignant probability (%): no value for captures 1, 2 and 3 (not assessed)."
            out.append(Paragraph(dates_kept(f"<b>{s.title}:</b> {missing[0].lower()}{missing[1:]}"), st["small"]))
    return out
