"""Issue #16, layout at 1280x720 and at 150 % (853x480 in the window's own pixels), as a new user found it: one
scroll area per pane (none inside another), the risk tier at the top of the assessment in sight after selecting a
lesion, the Save patient button in sight, no sideways scrolling, a trend chart with room for its labels, and the
operator's name whole in the status bar."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem, QLabel, QScrollArea

from dermadesk.ui.comparison_view import CHART_MIN_HEIGHT
from dermadesk.ui.operator import show_operator
from dermadesk.ui.patient_list import MIN_WIDTH
from dermadesk.ui.trend_chart import NARROW, TrendChart
from tests.ui.test_layout import lesion_with
from tests.ui.test_small_screen import in_sight, scroll_areas

SIZES = [(1280, 720), (853, 480)]


def shown(qtbot, window, tmp_path: Path, size: tuple[int, int], comparison: bool = False) -> None:
    window.resize(*size)
    lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    if comparison:
        window.tabs.setCurrentWidget(window.comparison)
        qtbot.waitUntil(lambda: window.comparison.result is not None, timeout=60000)
    qtbot.waitUntil(lambda: window.panes.height() == getattr(window, "fitted_height", None))
    shown_tab = window.comparison.verdict if comparison else window.assessment.tier
    qtbot.waitUntil(lambda: shown_tab.width() > 0 and window.patient_form.save.width() > 0)  # laid out


def in_view(qtbot, widget) -> bool:
    """``widget`` painted whole, once the layout has settled (a condition, not a delay: fails if it never is)."""
    qtbot.waitUntil(lambda: wholly_shown(widget), timeout=3000)
    return True


def wholly_shown(widget) -> bool:
    """``widget`` painted whole: no part clipped by a scroll area, a splitter or the window."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


@pytest.mark.parametrize("size", SIZES)
def test_one_scroll_area_per_pane_and_the_window_does_not_scroll(qtbot, window, tmp_path: Path, size) -> None:
    shown(qtbot, window, tmp_path, size, comparison=True)
    central = window.centralWidget()
    assert central.verticalScrollBar().maximum() == 0 and central.horizontalScrollBar().maximum() == 0
    areas = central.widget().findChildren(QScrollArea)
    assert window.assessment.scroll in areas and window.comparison.page in areas
    for area in areas:  # the wheel scrolls the part under the pointer: no scroll area inside another
        assert scroll_areas(area) == [central], area.widget().metaObject().className()
    assert scroll_areas(window.comparison.verdict)[0] is window.comparison.page  # the verdict is no box of its own


@pytest.mark.parametrize("size", SIZES)
def test_the_risk_tier_is_at_the_top_of_the_assessment_and_in_sight(qtbot, window, tmp_path: Path, size) -> None:
    shown(qtbot, window, tmp_path, size)
    view = window.assessment
    assert view.tier.text() and in_view(qtbot, view.tier)
    assert scroll_areas(view.tier) == [window.centralWidget()]  # above the details that scroll, never scrolled
    assert view.tier.mapTo(view, view.tier.rect().topLeft()).y() <= view.image.mapTo(view, view.image.pos()).y()
    viewport = view.scroll.viewport()  # the first line under the tier (the recommendation or the reasons) too
    assert view.tier_detail.mapTo(viewport, view.tier_detail.rect().topLeft()).y() == 0
    assert viewport.height() >= 2 * view.tier_detail.fontMetrics().height()
    assert view.scroll.horizontalScrollBar().maximum() == 0
    # no text cut at the right edge, once the layout has settled (a condition, not a delay: a capture not assessed
    # says how to assess it, and its panel's scroll bar comes and goes while the columns take their widths)
    qtbot.waitUntil(lambda: view.scroll.widget().width() <= viewport.width(), timeout=3000)


def test_at_1280x720_save_patient_is_in_sight_without_scrolling(qtbot, window, tmp_path: Path) -> None:
    shown(qtbot, window, tmp_path, (1280, 720))
    form = window.form_area
    assert in_view(qtbot, window.patient_form.save) and form.verticalScrollBar().value() == 0
    assert all(wholly_shown(w) for w in (window.patient_form.mrn, window.patient_form.notes))
    assert window.bottom.height() >= 250 and window.comparison.chart.minimumHeight() >= CHART_MIN_HEIGHT


def test_at_150_percent_the_form_scrolls_only_up_and_down_and_save_is_reachable(qtbot, window, tmp_path) -> None:
    shown(qtbot, window, tmp_path, (853, 480))
    form, save = window.form_area, window.patient_form.save
    assert form.horizontalScrollBar().maximum() == 0 and window.patient_form.width() <= form.viewport().width()
    form.ensureWidgetVisible(save)
    assert in_view(qtbot, save) and in_sight(save)
    assert form.height() >= window.panes.height() * 0.4  # more than four fields in sight


def test_at_150_percent_the_timeline_stands_beside_the_tabs(qtbot, window, tmp_path: Path) -> None:
    shown(qtbot, window, tmp_path, (853, 480))
    assert window.timeline.compact and window.timeline.parentWidget() is window.bottom
    assert window.tabs.height() >= 180  # it was about 100 under the timeline's row
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: not window.timeline.compact)
    assert window.timeline.parentWidget() is window.panes and window.panes.indexOf(window.timeline) == 1


def test_at_150_percent_the_patient_list_never_scrolls_sideways(qtbot, window, tmp_path: Path) -> None:
    from dermadesk.services import register_ops as ops

    ops.add_patient(window.session.register, "t", "LONG-NAME-0001", "Σοφία Παπαδοπούλου-Κωνσταντινίδου (synthetic)")
    shown(qtbot, window, tmp_path, (853, 480))
    patients = window.patients
    assert patients.width() >= MIN_WIDTH
    assert not patients.list.horizontalScrollBar().isVisible()
    assert in_view(qtbot, patients.list)


def test_at_150_percent_the_patient_list_shows_the_birth_year(qtbot, window, tmp_path: Path) -> None:
    """Helper 52 read "DEMO-0001   born 12 Apr 1…", helper 59 a bare date as a visit's: MRN and "b. <date>" whole."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyle

    from dermadesk.services import register_ops as ops

    for i in range(40):  # enough rows for the vertical scroll bar, which takes its width from the rows
        ops.add_patient(window.session.register, "t", f"DEMO-{i:04d}", f"Patient {i}", birth_date="1968-05-28")
    shown(qtbot, window, tmp_path, (853, 480))
    patients = window.patients
    view = patients.list
    texts = [patients.model.index(i).data(Qt.ItemDataRole.DisplayRole) for i in range(patients.model.rowCount())]
    row = next(t for t in texts if "DEMO-0000" in t).splitlines()[1]
    assert row == "DEMO-0000  b. 28 May 1968"  # as the app writes dates (was "b. 1968-05-28")
    assert view.verticalScrollBar().isVisible()
    style = view.style()
    margin = (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) * 2
    room = view.viewport().width() - margin
    assert view.fontMetrics().elidedText(row, Qt.TextElideMode.ElideRight, room) == row


@pytest.mark.parametrize("size", SIZES)
def test_the_trend_chart_keeps_its_minimum_height(qtbot, window, tmp_path: Path, size) -> None:
    shown(qtbot, window, tmp_path, size, comparison=True)
    view = window.comparison
    assert view.chart.height() >= CHART_MIN_HEIGHT >= 120
    assert view.stacked == (size == (853, 480))
    bar = view.page.verticalScrollBar()  # the page scrolls as one where the tab is short; the chart is last
    qtbot.waitUntil(lambda: (bar.setValue(bar.maximum()), in_sight(view.chart))[1], timeout=3000)
    assert view.chart.height() <= view.page.viewport().height()
    if view.stacked:  # narrow: the verdict's heading, the controls, the images, the reasons under them, the chart
        view.page.verticalScrollBar().setValue(0)
        assert view.headline.y() < view.controls.y() < view.images_box.y() < view.verdict.y() < view.chart.y()
        assert view.verdict.x() == 0 and view.verdict.y() > view.images_box.geometry().bottom()
        assert view.headline.mapTo(view.page.viewport(), view.headline.rect().topLeft()).y() == 0
        assert "SIGNIFICANT" in view.headline.text() and "<li>" not in view.headline.text()
        assert "<li>" in view.verdict.text() and "SIGNIFICANT" not in view.verdict.text()
        # the heading in sight and the images beginning in the first screen (below the reasons, which came first,
        # they were not); the page scrolls for the rest of them, the reasons and the chart
        top = view.images_box.mapTo(view.page.viewport(), view.images_box.rect().topLeft()).y()
        assert top < view.page.viewport().height()


def chart_texts(chart: TrendChart) -> list[str]:
    """The words the chart shows: its title, axis labels and titles, legend (as QtCharts elided them)."""
    texts = []
    for item in chart.scene().items():
        if not item.isVisible():
            continue
        if item.type() == 8 and not isinstance(item, QGraphicsTextItem):  # QGraphicsTextItem::Type
            item = item.toGraphicsObject()  # PySide6 6.11 hands a bare QGraphicsItem
        if isinstance(item, QGraphicsTextItem):
            texts.append(item.toPlainText())
        elif isinstance(item, QGraphicsSimpleTextItem):
            texts.append(item.text())
    return [t for t in texts if t]


@pytest.mark.parametrize("width", [NARROW - 60, NARROW + 120])
@pytest.mark.parametrize(
    "points",
    [
        (["2026-11-22"], [12.0], [30.0], "mm²"),
        (["2026-11-22"], [None], [None], "pixels"),
        ([], [], [], "pixels"),
        (["2026-01-01", "2026-03-01", "2026-06-01"], [12.1, 17.5, 19.0], [10.0, 20.0, 35.0], "mm²"),
    ],
)
def test_no_chart_label_is_elided_to_an_ellipsis(qtbot, width: int, points: tuple) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(width, CHART_MIN_HEIGHT)
    chart.show()
    chart.set_points(*points)
    qtbot.waitExposed(chart)

    def elided() -> list[str]:  # while QtCharts lays the labels out they may be elided for a moment
        return [t for t in chart_texts(chart) if t.endswith(("…", "..."))]

    qtbot.waitUntil(lambda: not elided(), timeout=3000)
    assert chart_texts(chart), "the chart shows some words"
    if len(points[0]) == 1:  # one date: said once, whole, in the title
        assert "22 Nov 2026" in chart.chart().title()


def test_at_150_percent_the_operator_name_is_whole_in_the_status_bar(qtbot, window, tmp_path: Path) -> None:
    session = window.session
    session.save_settings(dataclasses.replace(session.settings, operator="Nurse Jane Okafor"))
    show_operator(window.operator_label, session)
    window.data_label.setText("Data: " + "/a/long/folder" * 10)
    shown(qtbot, window, tmp_path, (853, 480))
    label = window.operator_label
    qtbot.waitUntil(lambda: QLabel.text(label) == "Operator: Nurse Jane Okafor")
    assert label.geometry().right() <= window.statusBar().width()


def test_at_1280x720_the_comparison_images_are_in_sight_beside_a_long_verdict(qtbot, window, tmp_path: Path) -> None:
    shown(qtbot, window, tmp_path, (1280, 720), comparison=True)
    view = window.comparison
    assert not view.stacked
    view.set_verdict(
        "<b>SIGNIFICANT</b>", "<ul>" + "<li>a reason that takes a line or two of the page</li>" * 12 + "</ul>"
    )
    bar = view.page.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the page scrolls for the verdict's text...
    bar.setValue(0)
    assert in_view(qtbot, view.stack)  # ...but the images beside it are wholly in sight, at the page's top
    assert view.stack.height() >= 160 and view.images_box.geometry().top() == view.verdict.geometry().top()
