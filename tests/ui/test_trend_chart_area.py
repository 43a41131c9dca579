"""The app's trend chart plots the area as the lesion report does, from the same service data
(``services.stored_comparisons.area_trend``): walkthrough 88's lesion of 10 captures of 4000x3000 and 600x450 and no
scale was charted as "area (pixels)" (a million beside two hundred thousand for one lesion); now it is the area change
since the baseline as the comparisons measured it, the report's values point for point, and in mm² only where every
capture has a scale. Every capture with a value is a marked point, the area axis says what it counts, and the captures
without a value are named with why. A real register (tiny ONNX model, real comparisons), the chart's own series and
axes read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.domain.dates import human_date
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import lesion_report_data
from dermadesk.services.stored_comparisons import capture_areas, lesion_trend
from dermadesk.storage.register import Register
from dermadesk.ui.trend_chart import MARKER, TrendChart
from tests.reports.test_report_history import DAYS, GREY, between, history, pages_of  # noqa: F401 (the fixture)

pytestmark = pytest.mark.slow  # builds the same 10-capture register as tests/reports/test_report_history.py (~25 s)


def shown(qtbot, trend) -> TrendChart:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(720, 240)
    chart.set_trend(trend)
    chart.show()
    return chart


def value_axis(series):  # noqa: ANN001, ANN201
    return next(a for a in series.attachedAxes() if a.orientation() == Qt.Orientation.Vertical)


def test_the_chart_plots_the_area_change_the_report_prints(qtbot, history: dict) -> None:  # noqa: F811
    with Register(history["root"] / "data") as reg:
        lid = history["captures"][0].lesion_id
        trend = lesion_trend(reg, lid)
        assert lesion_report_data(reg, Settings(), lid).area == trend.area  # one rule, one series, for both
    chart = shown(qtbot, trend)
    area, malignant = chart.chart().series()
    assert area.name() == "area change since baseline (%)" and "px" not in area.name()
    # every capture but the one whose comparison could not tell is a point: the report's values, in capture order
    first = dt_day(DAYS[0])
    assert [p.x() for p in area.points()] == [dt_day(d) - first for i, d in enumerate(DAYS) if i != GREY]
    report = between(" ".join(pages_of(history["pdf"])), "Area change since the baseline (%)", "No value for")
    plotted = [f"{p.y():+.0f}%" if round(p.y()) else "0%" for p in area.points()]
    assert plotted == re.findall(r"[+\-]?\d+%", report)[: len(plotted)] and plotted[0] == "0%"
    assert max(abs(p.y()) for p in area.points()) < 100  # a change in %, not areas in pixels (up to a million)
    for line in (area, malignant):  # each capture a marked point: one with no neighbour is a dot, not nothing
        assert line.pointsVisible() and line.markerSize() >= MARKER
    axis = value_axis(area)  # says what it counts: "area change", in %, either side of 0 (no change)
    assert axis.labelsColor() == area.color()
    assert axis.tickAnchor() == 0 and axis.min() < 0 < axis.max()  # the baseline's 0% a label, its marker whole
    said = axis.categoriesLabels()  # written as the report writes its points: no sign for no change
    assert said[0] == "0%" and all(t.startswith("+") and t.endswith("%") for t in said[1:])
    qtbot.waitUntil(lambda: axis.titleText() == "area change" and value_axis(malignant).titleText() == "malignant")
    grey = human_date(DAYS[GREY])  # the capture without a value, named with why: in short on the chart, whole below
    assert chart.chart().title().startswith(f"No area change on {grey}")
    what, notes = chart.toolTip().split("\n\n")
    assert what.startswith("Lesion over time at each capture: its area change since the baseline")
    assert notes.split("\n") == [
        f"No area change on {grey} (the comparison with the baseline could not tell)",
        f"No malignant probability on {grey} (not assessable)",
    ]


def test_the_chart_plots_mm2_where_every_capture_has_a_scale(qtbot, register: Register, tmp_path: Path) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "M-2", "Milli Metre").id, "posterior torso").id
    days = ("2026-01-05", "2026-03-02", "2026-05-04")
    for i, day in enumerate(days):
        path = tmp_path / f"c{i}.jpg"
        Image.fromarray(synthetic_lesion(LesionSpec(seed=22, scale=1.0 + 0.05 * i))).save(path, quality=90)
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02))
    trend = lesion_trend(register, lid)
    assert lesion_report_data(register, Settings(), lid).area == trend.area
    mm2 = [capture_areas(register, lid)[c.id][0] for c in register.captures.for_lesion(lid)]
    chart = shown(qtbot, trend)
    area = chart.chart().series()[0]
    assert area.name() == "area (mm²)" and [p.y() for p in area.points()] == pytest.approx(mm2)
    axis = value_axis(area)
    assert "%%" not in axis.labelFormat() and axis.tickAnchor() == 0 and axis.max() > max(mm2)
    qtbot.waitUntil(lambda: axis.titleText() == "area, mm²")
    assert "its area in mm²" in chart.toolTip() and "No area" not in chart.toolTip()
    assert "area" not in chart.chart().title().lower()  # nothing left out


def dt_day(iso: str) -> int:
    """Days since 1 Jan 2000: the chart's x is the days since the first capture."""
    import datetime as dt

    return (dt.date.fromisoformat(iso) - dt.date(2000, 1, 1)).days
