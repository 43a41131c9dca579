"""A new user's 1280x720 laptop (and the same at 150 %): the window's minimum size never exceeds the screen, the
status bar stays in sight and every panel is reachable by scrolling, with the comparison tab shown too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QScrollArea

from dermadesk.ui.trend_chart import NARROW

from tests.ui.helpers import settled
from tests.ui.test_layout import lesion_with


def comparison_shown(qtbot, window, tmp_path: Path) -> None:
    lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    window.tabs.setCurrentWidget(window.comparison)
    qtbot.waitUntil(lambda: window.comparison.result is not None, timeout=60000)
    settled(qtbot, window)


def fits(window, width: int, height: int) -> bool:
    hint, least = window.minimumSizeHint(), window.minimumSize()
    return max(hint.width(), least.width()) <= width and max(hint.height(), least.height()) <= height


def scroll_areas(widget) -> list[QScrollArea]:
    """The scroll areas around ``widget``, innermost first (the window's central area last)."""
    areas, w = [], widget.parentWidget()
    while w is not None:
        if isinstance(w, QScrollArea):
            areas.append(w)
        w = w.parentWidget()
    return areas


def in_sight(widget) -> bool:
    """``widget`` wholly inside each scroll area around it (the window's central area included)."""
    areas = scroll_areas(widget)
    assert areas, "the window's content scrolls"
    for area in areas:
        top_left = widget.mapTo(area.viewport(), QPoint(0, 0))
        if not area.viewport().rect().contains(QRect(top_left, widget.size())):
            return False
    return True


def test_the_comparison_tab_keeps_the_window_within_a_1280x720_screen(qtbot, window, tmp_path: Path) -> None:
    window.resize(1280, 720)
    comparison_shown(qtbot, window, tmp_path)
    assert fits(window, 1280, 720) and not window.comparison.stacked  # the verdict and chart beside the images
    assert window.height() == 720 and window.statusBar().geometry().bottom() < 720
    assert in_sight(window.comparison.align_button) and in_sight(window.comparison.reset_button)
    window.resize(1400, 1000)  # a taller window once (another screen): the minimum does not follow it
    settled(qtbot, window)
    window.resize(1280, 720)
    settled(qtbot, window)
    assert fits(window, 1280, 720) and window.height() == 720


def test_at_150_percent_everything_is_reachable_by_scrolling(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)  # 1280x720 at 150 %, in the window's own (logical) pixels
    comparison_shown(qtbot, window, tmp_path)
    assert fits(window, 853, 480)
    assert window.size().height() == 480 and window.statusBar().geometry().bottom() < 480
    view = window.comparison  # too narrow for the verdict and the chart beside the images: one above the other
    assert view.stacked and view.chart.width() >= NARROW
    for widget in (window.comparison.align_button, window.comparison.reset_button, window.patient_form.save):
        for area in scroll_areas(widget):
            area.ensureWidgetVisible(widget)
        qtbot.waitUntil(lambda widget=widget: in_sight(widget))  # scrolled there (a condition, not a delay)
