"""The comparison tab at 1280x720, as a new user found it: the whole verdict in sight, a labelled slider, no
jump into the difference view, and no "drawing the comparison" left in the status bar once the work ended."""

from __future__ import annotations

from pathlib import Path

from dermadesk.domain.errors import DermaDeskError
from dermadesk.ui.comparison_view import CHART_MIN_HEIGHT
from tests.ui.test_cancel import Gate
from tests.ui.test_layout import lesion_with


def compared(qtbot, window, tmp_path: Path, fails: bool = False) -> None:
    window.resize(1280, 720)
    lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    c = window.comparisons
    with qtbot.waitSignal(c.comparison_failed if fails else c.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)


def test_the_whole_verdict_is_in_sight_at_1280x720(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path)
    view = window.comparison
    assert "SIGNIFICANT" in view.verdict_text() and "area grew" in view.verdict_text()
    qtbot.waitUntil(lambda: view.verdict.height() >= view.verdict.heightForWidth(view.verdict.width()))
    assert view.verdict.visibleRegion().boundingRect() == view.verdict.rect()  # all of it shows, unscrolled
    assert view.chart.height() >= CHART_MIN_HEIGHT  # and the trend chart keeps its room (the page may scroll)
    view.resize(view.width() - 200, view.height())  # narrower: more lines, a taller label
    qtbot.waitUntil(lambda: view.verdict.height() >= view.verdict.heightForWidth(view.verdict.width()))


def test_the_difference_view_moves_nothing(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path)
    view = window.comparison
    widgets = (view.stack, view.mode, view.slider, view.slider_label, view.align_button, view.verdict)

    def geometry() -> list:
        return [w.geometry() for w in widgets]

    qtbot.wait(50)  # the verdict box fits its text once the layout has settled
    before = geometry()
    for mode in ("Difference", "Blend", "Swipe", "Side by side", "Difference"):
        view.mode.setCurrentText(mode)
        qtbot.wait(20)  # the layout settles
        assert geometry() == before, mode
    assert view.colour_bar.isVisible()


def test_the_slider_says_what_it_does(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path)
    view, label = window.comparison, window.comparison.slider_label
    assert label.isVisible() and label.buddy() is view.slider
    assert not view.slider.isEnabled() and view.slider.toolTip()  # side by side: says how to use it
    view.mode.setCurrentText("Blend")
    assert view.slider.isEnabled() and label.text() == "Follow-up opacity"
    assert "baseline" in view.slider.toolTip() and view.slider.accessibleName() == "Follow-up opacity"
    view.mode.setCurrentText("Swipe")
    assert label.text() == "Swipe line" and "right of it" in view.slider.toolTip()
    assert label.width() >= label.fontMetrics().horizontalAdvance("Follow-up opacity")


def test_the_status_bar_says_done_not_drawing(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path)
    assert window.statusBar().currentMessage() == "Comparing with baseline: done"


def test_a_failed_or_cancelled_comparison_leaves_no_progress_message(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch
) -> None:
    import dermadesk.services.tracking as tracking
    import dermadesk.ui.comparison_actions as actions

    original = actions.comparison_pictures

    def broken(result: object) -> object:  # the fault: drawing fails after "drawing the comparison"
        raise DermaDeskError("the pictures could not be drawn")

    monkeypatch.setattr(actions, "comparison_pictures", broken)
    compared(qtbot, window, tmp_path, fails=True)
    assert dialogs.errors and "could not be drawn" in dialogs.errors[-1][1]  # the error stays a dialog
    assert window.statusBar().currentMessage() == "Comparing with baseline: failed"
    monkeypatch.setattr(actions, "comparison_pictures", original)
    gate = Gate(monkeypatch, tracking, "decode_image")
    window.timeline.step(-1)  # compares again
    gate.cancel_while_inside(qtbot, window)
    assert window.statusBar().currentMessage() == "Comparing with baseline: cancelled"
