"""The trend chart as a new user found it at 1280x720: no label elided to "…", and one capture (or nothing
measured) gives a sensible axis instead of "1, 1, 0"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from dermadesk.ui.trend_chart import TrendChart, nice_axis


def labels(axis) -> list[str]:
    """What a value axis writes at its ticks."""
    n = axis.tickCount()
    values = [axis.min() + i * (axis.max() - axis.min()) / (n - 1) for i in range(n)]
    return [axis.labelFormat().replace("%%", "%") % v if "%%" in axis.labelFormat() else axis.labelFormat() % v
            for v in values]  # fmt: skip


def chart_of(qtbot, width: int, dates, areas, malignant, unit="mm²") -> TrendChart:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(width, 180)
    chart.set_points(dates, areas, malignant, unit)
    chart.show()
    qtbot.wait(20)
    return chart


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
    x_axis = chart.chart().axes(Qt.Orientation.Horizontal)[0]
    assert x_axis.tickCount() == 3 and "malignant probability (%)" in [s.name() for s in chart.chart().series()]
    chart.resize(200, 180)  # the comparison tab at 1280x720 and 150 %
    qtbot.waitUntil(lambda: x_axis.tickCount() == 2)
    names = [s.name() for s in chart.chart().series()]
    assert names == ["area mm²", "malignant %"]
    legend = QFontMetrics(chart.chart().legend().font())
    marker = legend.height() * 2  # the colour box and the spacing around each entry
    assert sum(legend.horizontalAdvance(n) + marker for n in names) < chart.width()
    chart.resize(440, 180)
    qtbot.waitUntil(lambda: x_axis.tickCount() == 3)


def test_a_short_chart_has_two_labels_per_value_axis(qtbot) -> None:
    chart = chart_of(qtbot, 440, ["2026-01-01", "2026-03-01"], [12.1, 17.5], [10.0, 20.0])
    assert [a.tickCount() for a in chart.chart().axes(Qt.Orientation.Vertical)] == [3, 3]
    chart.resize(440, 100)  # the comparison tab's chart at its minimum height: "…" on three labels
    qtbot.waitUntil(lambda: [a.tickCount() for a in chart.chart().axes(Qt.Orientation.Vertical)] == [2, 2])
    assert labels(chart.chart().axes(Qt.Orientation.Vertical)[0]) == ["0", "20"]
