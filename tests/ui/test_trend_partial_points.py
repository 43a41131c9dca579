"""The trend chart marks a value measured only where both images show the lesion (its comparison with the baseline
found the lesion reaching the edge of an image) as a hollow point, named in the legend where it fits and in the
tooltip always: it plotted "-13%" as a plain point, which read as the whole lesion shrinking. The lesion report's
chart gets the same values (``area_trend``'s ``partial``) and draws them alike. A real register; synthetic images
compared on import by the real pipeline (the lesion grown beyond the frame as tests/analysis/test_cut_off_growth.py
makes it); the chart's own series read back."""

from __future__ import annotations

from pathlib import Path

import cv2
from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtGui import QColor

from dermadesk.config import Settings
from dermadesk.domain.trend import CHANGE
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import lesion_report_data
from dermadesk.services.tracking import lesion_trend
from dermadesk.storage.register import Register
from dermadesk.ui.trend_chart import AREA_COLOUR, TrendChart
from dermadesk.ui.trend_words import PARTIAL
from tests.analysis.test_cut_off_growth import pale_centred
from tests.conftest import lesion_jpeg
from tests.services.test_since_review import DAYS

HOLLOW = (
    "Hollow points (16 Feb 2026 and 30 Mar 2026): the lesion reaches the edge of an image,\nso the area change there "
    "is only where both images show the lesion"
)


def new_lesion(register: Register, mrn: str) -> int:
    return register.lesions.add("t", register.patients.add("t", mrn, "Edge Trend").id, "posterior torso").id


def shown(qtbot, trend, width: int = 720) -> TrendChart:  # noqa: ANN001
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(width, 240)
    chart.set_trend(trend)
    chart.show()
    return chart


def legend_shows(chart: TrendChart, series: QScatterSeries) -> bool:
    return all(marker.isVisible() for marker in chart.chart().legend().markers(series))


def test_values_of_a_cut_off_lesion_are_hollow_points(qtbot, register: Register, tmp_path: Path) -> None:
    lid = new_lesion(register, "T-1")
    for growth, day in zip((0.0, 0.2, 0.35), DAYS):  # grown beyond the frame: 13 % and 23 % less of it in view
        path = tmp_path / f"{day}.png"
        cv2.imwrite(str(path), cv2.cvtColor(pale_centred(growth), cv2.COLOR_RGB2BGR))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day))  # no scale: the area change in %
    trend = lesion_trend(register, lid)
    assert trend.area.unit == CHANGE and trend.area.partial == [False, True, True]  # the baseline's 0%: the reference
    assert trend.area.values[1] is not None and trend.area.values[1] < -10  # less in view: no shrinking as such
    assert lesion_report_data(register, Settings(), lid).area == trend.area  # the report draws the same hollow points
    chart = shown(qtbot, trend)
    area, malignant, hollow = chart.chart().series()  # the lines first, as before; the hollow points over them
    assert isinstance(area, QLineSeries) and isinstance(hollow, QScatterSeries)
    assert [(p.x(), p.y()) for p in hollow.points()] == [(p.x(), p.y()) for p in area.points()[1:]]
    assert hollow.color() == QColor("white") and hollow.borderColor() == QColor(AREA_COLOUR) == area.color()
    assert hollow.markerSize() > area.markerSize()  # a ring around the line's own dot, which it covers
    assert {a.orientation() for a in hollow.attachedAxes()} == {a.orientation() for a in area.attachedAxes()}
    assert hollow.name() == PARTIAL[0] and legend_shows(chart, hollow)
    drawn = chart.grab().toImage()  # as drawn: a white middle at a hollow point, the line's colour at a plain one
    for series, i, light in ((hollow, 0, True), (hollow, 1, True), (area, 0, False)):
        at = chart.mapFromScene(chart.chart().mapToScene(chart.chart().mapToPosition(series.at(i), series)))
        assert (QColor(drawn.pixel(at)).lightness() > 230) is light, (series.name(), i)
    assert chart.toolTip().endswith(HOLLOW)
    chart.resize(300, 240)  # narrow: no room in the legend; the tooltip still says which and why
    qtbot.waitUntil(lambda: not legend_shows(chart, hollow))
    assert chart.toolTip().endswith(HOLLOW) and legend_shows(chart, area) and not malignant.count()  # not assessed


def test_a_lesion_in_view_has_plain_points_only(qtbot, register: Register, tmp_path: Path) -> None:
    lid = new_lesion(register, "T-2")
    for scale, day in zip((1.0, 1.2), DAYS):
        path = tmp_path / f"{day}.jpg"
        path.write_bytes(lesion_jpeg(seed=40, scale=scale))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day))
    trend = lesion_trend(register, lid)
    assert trend.area.values[1] is not None and trend.area.partial == [False, False]
    chart = shown(qtbot, trend)
    assert [type(s) for s in chart.chart().series()] == [QLineSeries, QLineSeries]
    assert "Hollow" not in chart.toolTip()
