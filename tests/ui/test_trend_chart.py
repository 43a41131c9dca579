"""The trend chart as a new user found it at 1280x720: no label elided to "…", and one capture (or nothing
measured) gives a sensible axis instead of "1, 1, 0". A clinician read the evenly spaced dates of a date axis (the
last one after the last capture) as visits: the time axis says capture dates only, at the captures; and the legend
named a malignant-probability line that was not drawn: it names only the lines drawn, the title says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCharts import QCategoryAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QFontMetricsF

from dermadesk.domain.dates import human_date
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.tracking import lesion_trend
from dermadesk.ui.trend_chart import NARROW, TrendChart, nice_axis
from tests.conftest import lesion_jpeg

# six captures over fourteen months, two of them on one day
SPREAD = ["2025-09-03", "2025-10-20", "2025-10-20", "2026-02-11", "2026-07-30", "2026-11-02"]
AREAS = [12.1, 13.5, 13.6, 17.0, 19.0, 22.0]


def labels(axis) -> list[str]:
    """What a value axis writes at its ticks (from its first, a step each: the axis is a little longer either way);
    the area change's axis writes its own labels at them (a QCategoryAxis)."""
    n = axis.tickCount()
    values = [axis.tickAnchor() + i * axis.tickInterval() for i in range(n)]
    assert axis.min() < values[0] and values[-1] < axis.max()  # room for a whole marker at the first and the last
    if isinstance(axis, QCategoryAxis):
        assert [axis.endValue(t) for t in axis.categoriesLabels()] == pytest.approx(values)
        return axis.categoriesLabels()
    return [axis.labelFormat().replace("%%", "%") % v if "%%" in axis.labelFormat() else axis.labelFormat() % v
            for v in values]  # fmt: skip


def chart_of(qtbot, width: int, dates, areas, malignant, unit="mm²", assessed=None) -> TrendChart:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(width, 180)
    chart.set_points(dates, areas, malignant, unit, assessed)
    chart.show()
    qtbot.wait(20)
    return chart


def axis_dates(chart: TrendChart) -> list[str]:
    """The dates the time axis shows, left to right."""
    return [label.text() for label in chart.date_labels()]


def capture_x(chart: TrendChart, dates: list[str]) -> dict[str, float]:
    """Where QtCharts drew each capture of the area line (every capture has an area), by date: chart pixels."""
    series = chart.chart().series()[0]
    return {human_date(d): chart.chart().mapToPosition(series.at(i), series).x() for i, d in enumerate(dates)}


def test_round_axis_steps() -> None:
    assert nice_axis(1.0) == (1.2, 1)  # 0.0 0.6 1.2
    assert nice_axis(19.0) == (30, 0)  # 0 15 30
    assert nice_axis(6591.6) == (8000, 0)
    assert nice_axis(0.04) == (0.05, 3)


def test_one_capture_has_distinct_labels_and_a_visible_point(qtbot) -> None:
    chart = chart_of(qtbot, 440, ["2026-11-22T07:56:00"], [1.0], [12.0])
    area = chart.chart().axes(Qt.Orientation.Vertical)[0]
    texts = labels(area)
    assert texts == ["0.0", "0.6", "1.2"] and len(set(texts)) == len(texts)
    x_axis = chart.chart().axes(Qt.Orientation.Horizontal)[0]
    assert not x_axis.labelsVisible() and chart.chart().title() == "22 Nov 2026"  # the date once, not the days by it
    assert all(s.pointsVisible() for s in chart.chart().series())


def test_nothing_measured_shows_no_made_up_scale(qtbot) -> None:
    chart = chart_of(qtbot, 440, ["2026-11-22"], [None], [None], "pixels")
    area = chart.chart().axes(Qt.Orientation.Vertical)[0]
    assert not area.labelsVisible()  # it read "1, 1, 0"
    assert chart.chart().title() == "22 Nov 2026: nothing measured yet"


def test_a_narrow_chart_keeps_its_labels_whole(qtbot) -> None:
    dates = ["2026-01-01", "2026-03-01", "2026-06-01"]
    chart = chart_of(qtbot, 440, dates, [12.1, 17.5, 19.0], [10.0, 20.0, 35.0])
    every = ["1 Jan 2026", "1 Mar 2026", "1 Jun 2026"]
    qtbot.waitUntil(lambda: axis_dates(chart) == every)
    assert "malignant probability (%)" in [s.name() for s in chart.chart().series()]
    chart.resize(200, 180)  # the comparison tab at 1280x720 and 150 %
    qtbot.waitUntil(lambda: axis_dates(chart) == ["1 Jan 2026", "1 Jun 2026"])  # the first and the last
    names = [s.name() for s in chart.chart().series()]
    assert names == ["area mm²", "malignant %"]
    legend = QFontMetrics(chart.chart().legend().font())
    marker = legend.height() * 2  # the colour box and the spacing around each entry
    assert sum(legend.horizontalAdvance(n) + marker for n in names) < chart.width()
    chart.resize(440, 180)
    qtbot.waitUntil(lambda: axis_dates(chart) == every)


def test_a_short_chart_has_two_labels_per_value_axis(qtbot) -> None:
    chart = chart_of(qtbot, 440, ["2026-01-01", "2026-03-01"], [12.1, 17.5], [10.0, 20.0])
    assert [a.tickCount() for a in chart.chart().axes(Qt.Orientation.Vertical)] == [3, 3]
    chart.resize(440, 100)  # the comparison tab's chart at its minimum height: "…" on three labels
    qtbot.waitUntil(lambda: [a.tickCount() for a in chart.chart().axes(Qt.Orientation.Vertical)] == [2, 2])
    assert labels(chart.chart().axes(Qt.Orientation.Vertical)[0]) == ["0", "20"]


@pytest.mark.parametrize("width", [200, 300, NARROW, 900])
def test_the_time_axis_says_capture_dates_at_the_captures_and_no_two_overlap(qtbot, width: int) -> None:
    chart = chart_of(qtbot, width, SPREAD, AREAS, [12.0, None, 18.0, 25.0, None, 41.0])
    qtbot.waitUntil(lambda: len(chart.date_labels()) >= 2)
    shown = axis_dates(chart)
    every = list(dict.fromkeys(human_date(d) for d in SPREAD))  # two captures on 20 Oct: one label
    assert shown[0] == "3 Sep 2025" and shown[-1] == "2 Nov 2026"  # the first and the last capture, whole
    assert len(set(shown)) == len(shown) and all(text in every for text in shown)  # no date nobody captured on
    if width == 900:
        assert shown == every  # room for all of them
    # each label centred on its capture, measured with the font's metrics: none overlaps the next, none leaves the chart
    metrics = QFontMetricsF(chart.chart().axes(Qt.Orientation.Horizontal)[0].labelsFont())
    at = capture_x(chart, SPREAD)
    spans = [(at[t] - metrics.horizontalAdvance(t) / 2, at[t] + metrics.horizontalAdvance(t) / 2) for t in shown]
    assert all(left >= 0 for left, _ in spans) and spans[-1][1] <= chart.width()
    assert all(right < next_left for (_, right), (next_left, _) in zip(spans, spans[1:]))
    for label, (left, _) in zip(chart.date_labels(), spans):
        assert abs(label.mapToParent(label.boundingRect().topLeft()).x() - left) < 1.5
    # QtCharts' own axis: ticks at the labelled captures only, the last one the last capture (none after it)
    axis = chart.chart().axes(Qt.Orientation.Horizontal)[0]
    ends = [axis.endValue(label) for label in axis.categoriesLabels()]
    assert len(ends) == len(shown) and ends[-1] == chart.chart().series()[0].points()[-1].x()


def test_captures_of_one_day_are_one_date_on_the_axis(qtbot) -> None:
    chart = chart_of(qtbot, 300, ["2026-01-01", "2026-01-01", "2026-06-01"], [10.0, 10.5, 12.0], [20.0, 21.0, 25.0])
    qtbot.waitUntil(lambda: axis_dates(chart) == ["1 Jan 2026", "1 Jun 2026"])


def legend_names(chart: TrendChart) -> list[str]:
    """The names the legend shows (its visible markers)."""
    legend = chart.chart().legend()
    return [m.label() for m in legend.markers() if m.isVisible()] if legend.isVisible() else []


@pytest.mark.parametrize(
    "areas, malignant, assessed, names, title",
    [
        ([12.0, 19.0], [None, None], [True, True], ["area (mm²)"], "No malignant probability: no assessable capture"),
        ([12.0, 19.0], [None, None], [False, False], ["area (mm²)"], "No malignant probability: not assessed yet"),
        ([None, None], [10.0, 20.0], [True, True], ["malignant probability (%)"], "No area: not measured"),
        ([None, None], [None, None], [True, False], [], "Lesion over time: nothing measured (no assessable capture)"),
    ],
)
def test_the_legend_names_only_the_lines_drawn_and_the_title_says_why(qtbot, areas, malignant, assessed, names, title):
    chart = chart_of(qtbot, 480, ["2026-01-01", "2026-03-01"], areas, malignant, "mm²", assessed)
    assert legend_names(chart) == names and chart.chart().title() == title
    for series, axis in zip(chart.chart().series(), chart.chart().axes(Qt.Orientation.Vertical)):
        assert axis.labelsVisible() == (series.count() > 0)  # no scale for a line not drawn
    chart.resize(200, 180)  # a narrow chart says it shorter, never elided
    metrics = QFontMetricsF(chart.chart().titleFont())
    qtbot.waitUntil(lambda: metrics.horizontalAdvance(chart.chart().title()) < chart.width() - 10)
    assert ("assess" in chart.chart().title().lower()) == (malignant[0] is None)
    assert ("area" in chart.chart().title().lower()) == (areas[0] is None and malignant[0] is not None)


def test_a_line_that_skips_captures_says_which_and_why(qtbot) -> None:
    """Helper 59: the probability line stopped at the third of five captures, and nothing said why."""
    days = ["2026-01-01", "2026-03-01", "2026-05-01", "2026-07-20", "2026-11-23"]
    chart = chart_of(qtbot, 700, days, [12.0, 13, 14, 15, 16], [10.0, 12, 14, None, None], "mm²", [True] * 5)
    assert legend_names(chart) == ["area (mm²)", "malignant probability (%)"]  # both drawn
    assert chart.chart().title() == "No malignant probability on 20 Jul 2026 and 23 Nov 2026 (not assessable)"
    assert not chart.chart().titleFont().bold()  # a note in grey, not a heading over the lines
    chart = chart_of(qtbot, 700, days, [12.0] * 5, [10.0, None, None, None, 14], "mm²", [True, True, False, True, True])
    assert chart.chart().title() == "No malignant probability at 3 captures (not assessable/assessed)"


def test_a_lesion_whose_captures_are_not_assessable_says_so(qtbot, register, tmp_path: Path) -> None:
    """From a real register: two captures the model could not assess, and another lesion's not assessed yet."""
    pid = register.patients.add("t", "TR-1", "Trend Chart").id
    lesions = [register.lesions.add("t", pid, "posterior torso", label).id for label in ("left", "right")]
    for lid in lesions:
        for i, day in enumerate(("2026-01-10", "2026-04-02")):
            f = tmp_path / f"{lid}-{i}.jpg"
            f.write_bytes(lesion_jpeg(seed=lid, width=200, height=150, scale=1.0 + 0.2 * i))
            capture = import_files(register, "t", lid, [f], CaptureMeta(taken_at=day)).captures[0]
            if lid == lesions[0]:  # as the engine stores a capture it could not assess
                register.assessments.add("t", capture.id, model_name="m", model_version="1", provider="CPU",
                                         probabilities={"mel": 0.74}, top_class="mel", malignant_probability=0.74,
                                         melanoma_probability=0.74, risk_tier=None, recommendation=None,
                                         ood_score=0.0, ood_flag=False, status="not assessable",
                                         status_reasons=["no colour"])  # fmt: skip
    chart = chart_of(qtbot, 480, [], [], [])
    chart.set_trend(lesion_trend(register, lesions[0]))
    assert "malignant probability (%)" not in legend_names(chart) and "no assessable capture" in chart.chart().title()
    qtbot.waitUntil(lambda: axis_dates(chart) == ["10 Jan 2026", "2 Apr 2026"])
    chart.set_trend(lesion_trend(register, lesions[1]))
    assert chart.chart().title() == "No malignant probability: not assessed yet"
    assert legend_names(chart) == ["area change since baseline (%)"]  # no scale: never areas in pixels


def test_one_capture_keeps_its_date_in_the_title_on_a_narrow_chart(qtbot) -> None:
    chart = chart_of(qtbot, 480, ["2026-11-22"], [None], [None], "mm²", [True])
    assert chart.chart().title() == "22 Nov 2026: nothing measured (no assessable capture)" and not legend_names(chart)
    chart.resize(200, 180)
    metrics = QFontMetricsF(chart.chart().titleFont())
    qtbot.waitUntil(lambda: metrics.horizontalAdvance(chart.chart().title()) < chart.width() - 10)
    assert chart.chart().title().startswith("22 Nov 2026") and not chart.date_labels()  # said once, in the title
