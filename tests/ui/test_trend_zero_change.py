"""No change since the baseline reads "0%", with no sign: the app's trend axis read "+0%" at the baseline's level (a
printf format, "%+.0f%%"), and "+1%" at 0.8 where the steps were finer than whole percents. The lesion report's
chart, drawn from the same series (``services.stored_comparisons.area_trend``), writes that level "0" (its title
says "(%)") and its points as the app's axis does. Real QtCharts and ReportLab drawings, their labels read back."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QCategoryAxis
from PySide6.QtCore import Qt
from reportlab.graphics.charts.lineplots import LinePlot

from dermadesk.domain.trend import CHANGE, AreaTrend, change_text
from dermadesk.reports.trend import area_series, chart
from tests.ui.test_trend_chart import chart_of, labels

DAYS = ["2026-01-05", "2026-03-02", "2026-05-04"]


@pytest.mark.parametrize(
    ("changes", "tall", "short"),
    [
        ([0.0, 12.0, 58.0], ["0%", "+40%", "+80%"], ["0%", "+80%"]),  # grew: 0 at the bottom
        ([0.0, -12.0, 30.0], ["-40%", "0%", "+40%"], ["-40%", "+40%"]),  # either side of the baseline
        ([0.0, -8.0, -20.0], ["-30%", "-15%", "0%"], ["-30%", "0%"]),  # shrank: 0 at the top
        ([0.0, 0.6, 1.2], ["0%", "+0.8%", "+1.6%"], ["0%", "+1.6%"]),  # finer steps: their decimals
    ],
)
def test_the_area_change_axis_writes_no_change_as_0_percent(qtbot, changes, tall, short) -> None:
    view = chart_of(qtbot, 420, DAYS, changes, [None] * 3, CHANGE, [False] * 3)
    axis = view.chart().axes(Qt.Orientation.Vertical)[0]
    assert isinstance(axis, QCategoryAxis) and axis.labelsVisible()
    assert labels(axis) == tall and "+0%" not in tall and "-0%" not in tall
    view.resize(420, 100)  # short: two labels, the same rule
    qtbot.waitUntil(lambda: axis.tickCount() == 2)
    assert labels(axis) == short
    view.resize(420, 200)
    qtbot.waitUntil(lambda: axis.tickCount() == 3)
    assert labels(axis) == tall  # relabelled, not labels added to the old ones


def test_a_change_is_signed_once_rounded_and_an_area_in_mm2_is_not(qtbot) -> None:
    assert change_text(-0.04) == "0%" and change_text(0.0) == "0%" and change_text(-0.04, 1) == "0%"
    assert change_text(-0.4) == "-0.4%"  # under 1 %: to one decimal, never "0%" nor "-1%"
    assert change_text(58.2) == "+58%" and change_text(-12.0) == "-12%" and change_text(0.75, 1) == "+0.8%"
    view = chart_of(qtbot, 420, DAYS, [12.1, 13.5, 19.0], [None] * 3, "mm²", [False] * 3)
    axis = view.chart().axes(Qt.Orientation.Vertical)[0]
    assert not isinstance(axis, QCategoryAxis) and labels(axis) == ["0", "15", "30"]  # counted from 0, no sign


def test_the_report_chart_writes_the_baseline_level_without_sign() -> None:
    series = area_series(AreaTrend(False, [0.0, -12.0, 30.0], ["", "", ""]))
    drawing = chart(series, ["1 5 Jan 2026", "2 2 Mar 2026", "3 4 May 2026"])
    plot = next(c for c in drawing.contents if isinstance(c, LinePlot))
    axis = plot.yValueAxis
    axis.configure(plot.data)
    written = [axis.labelTextFormat(t) for t in axis._tickValues]
    assert "0" in written and "+0" not in written and "-0" not in written
    assert all(w == "0" or w[0] in "+-" for w in written)  # a change: signed, but for no change
    assert [series.text(y) for y in series.values if y is not None] == ["0%", "-12%", "+30%"]  # the points' labels
