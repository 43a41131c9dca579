"""Issue #16 at 1280x720 and 150 % (853x480 in the window's own pixels): the panes scroll, not the window; the
patient list stays in sight, the body map shows the whole figure, the referral prompt leaves the tab titles their
room and the status bar's labels are elided with their whole text in a tooltip."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel

from dermadesk.ui import short_screen

from tests.ui.helpers import settled
from tests.ui.test_layout import lesion_with
from tests.ui.test_small_screen import fits, scroll_areas


def shown_at(qtbot, window, tmp_path: Path, width: int, height: int) -> None:
    window.resize(width, height)
    lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    settled(qtbot, window)


def test_at_150_percent_the_panes_scroll_and_the_window_does_not(qtbot, window, tmp_path: Path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    assert fits(window, 853, 480) and window.height() == 480
    content = window.centralWidget()
    assert content.verticalScrollBar().maximum() == 0  # the window's content fits: nothing scrolls out of sight
    assert not scroll_areas(window.patients)[:-1]  # the patient list is in no pane that scrolls
    assert window.patients.list.visibleRegion().boundingRect().height() == window.patients.list.height()
    bm = window.lesions.body_map
    assert bm.visibleRegion().boundingRect() == bm.rect()  # the body map wholly in sight, never scrolled
    for view in ("front", "back"):  # the whole figure and its caption drawn inside it
        assert bm.view_rect(view).top() >= 0 and bm.caption_rect(view).bottom() <= bm.height()
    assert bm.view_rect("front").height() >= 90
    assert window.timeline.compact and window.tabs.height() >= 100  # the assessment keeps some height


def test_the_referral_prompt_stands_above_the_tabs_when_the_tab_bar_has_no_room(qtbot, window, tmp_path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    prompt = window.referral_prompt
    prompt.propose("SIGNIFICANT change")
    window.fit_prompt()
    assert window.tabs.cornerWidget(Qt.Corner.TopRightCorner) is not prompt and prompt.isVisible()
    assert window.tabs_box.isAncestorOf(prompt) and "SIGNIFICANT" in prompt.text.toolTip()
    bar = window.tabs.tabBar()
    assert all(bar.tabRect(i).width() >= bar.tabSizeHint(i).width() for i in range(bar.count()))  # titles whole
    window.resize(1280, 720)
    settled(qtbot, window)
    assert not window.timeline.compact

    def beside_the_titles() -> bool:  # placed again once the tabs have their new width (a condition, no delay)
        window.fit_prompt()
        return window.tabs.cornerWidget(Qt.Corner.TopRightCorner) is prompt and prompt.isVisible()

    qtbot.waitUntil(beside_the_titles)


def test_a_resize_fits_the_panes_after_the_resize_event_once(qtbot, window, monkeypatch) -> None:
    """The timeline moves between splitters outside the splitter's own resize event (moving it there re-entered
    the layout), once for a burst of resizes."""
    calls: list[bool] = []
    monkeypatch.setattr(short_screen, "fit_panes", lambda _window, short: calls.append(short))
    panes = window.panes
    for height in (300, 400, 500):
        QApplication.sendEvent(panes, QResizeEvent(QSize(600, height), panes.size()))
        assert not calls and panes.fit_timer.isActive()  # nothing moved inside the resize event
    qtbot.waitUntil(lambda: bool(calls))
    assert len(calls) == 1 and not panes.fit_timer.isActive()


def test_status_bar_labels_are_elided_with_the_whole_text_in_a_tooltip(qtbot, window, tmp_path: Path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    labels = (window.operator_label, window.data_label, window.model_label, window.device_label)
    bar = window.statusBar()
    assert bar.minimumSizeHint().width() <= 853
    for label in labels:  # the data folder's tooltip says what a click on it does as well
        assert label.toolTip().split("\n")[0] == label.text() or label is window.device_label
        assert label.geometry().right() <= bar.width()
    window.data_label.setText("Data: " + "/very/long/folder" * 20)
    qtbot.waitUntil(lambda: "…" in QLabel.text(window.data_label))  # laid out (elided in its middle)
    assert window.data_label.toolTip().startswith("Data: " + "/very/long/folder" * 20)
    bar.showMessage("a message " * 30)
    assert bar.toolTip().startswith("a message")
    label = window.operator_label  # a message that reaches the operator's field keeps a gap before "Operator:"
    assert label.contentsRect().left() - label.rect().left() >= 8


def test_at_1280x720_the_window_fits_and_the_top_panes_keep_their_height(qtbot, window, tmp_path: Path) -> None:
    shown_at(qtbot, window, tmp_path, 1280, 720)
    assert fits(window, 1280, 720) and window.centralWidget().verticalScrollBar().maximum() == 0
    assert window.panes.sizes()[0] >= 200 and window.tabs.height() >= 250


@pytest.mark.parametrize("tier", ["urgent", None])
def test_the_risk_tier_heading_stays_on_one_line_in_a_narrow_tab(qtbot, tier: str | None) -> None:
    """At 150 % "Risk tier: URGENT" broke after "tier:" (and "NOT ASSESSABLE" likewise): one line, the tab's
    text column widened for it."""
    from dermadesk.domain.records import Assessment
    from dermadesk.ui.assessment_view import AssessmentView

    view = AssessmentView()
    qtbot.addWidget(view)
    view.resize(420, 320)
    view.show()
    status = "assessed" if tier else "not assessable"
    probabilities = {"mel": 0.52, "nv": 0.48}
    a = Assessment(
        model_name="m",
        model_version="1",
        provider="cpu",
        probabilities=probabilities,
        top_class="mel",
        malignant_probability=0.71,
        melanoma_probability=0.52,
        risk_tier=tier,
        recommendation="Refer urgently.",
        status=status,
    )
    view.show_capture(None, a)
    label = view.tier
    qtbot.waitUntil(lambda: label.width() >= label.minimumWidth())
    doc = QTextDocument()  # as the label lays it out: no margin of its own
    doc.setDocumentMargin(0)
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    assert doc.size().width() <= label.contentsRect().width() + 1  # laid out: nothing wider than the label
    first = doc.begin().layout()
    heading = "Risk tier: URGENT" if tier else "NOT ASSESSABLE"
    assert doc.toPlainText().startswith(heading)
    assert first.lineAt(0).textLength() >= len(heading)  # the heading whole on the first line


def test_the_timeline_column_shows_whole_captures_only(qtbot, window, tmp_path: Path) -> None:
    """At 150 % the compact timeline, scrolled to the newest capture, cut the first one's date at its top."""
    window.resize(853, 480)
    lesion_with(window, tmp_path, ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"])
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    settled(qtbot, window)
    timeline = window.timeline
    assert timeline.compact
    viewport, bar = timeline.viewport().rect(), timeline.verticalScrollBar()

    def whole_or_out_of_sight() -> bool:
        rects = [timeline.visualItemRect(timeline.item(i)) for i in range(timeline.count())]
        return all(viewport.contains(r) or not viewport.intersects(r) for r in rects)

    assert bar.maximum() > 0 and whole_or_out_of_sight()  # scrolled to the newest, selected capture
    for value in (bar.maximum() // 2 + 7, 13, bar.maximum()):  # where a drag of the handle may leave it
        bar.setValue(value)
        assert whole_or_out_of_sight(), value


def test_at_150_percent_an_unset_operator_reads_in_whole_words(qtbot, window, tmp_path: Path) -> None:
    """'Operator: not set (audit log names the OS account …; set it in Edit > Sett…' was cut mid-word, and the
    model's field too ('Model: loads on firs…')."""
    from PySide6.QtWidgets import QLabel

    from dermadesk.ui.operator import NOT_SET_SHORT

    shown_at(qtbot, window, tmp_path, 853, 480)
    label = window.operator_label
    assert not window.session.settings.operator and "audit log" in label.toolTip()
    room = label.contentsRect().width()
    assert label.fontMetrics().horizontalAdvance(label.toolTip()) > room  # the whole text does not fit...
    assert QLabel.text(label) == NOT_SET_SHORT  # ...the short form does: whole words, the rest in the tooltip
    for other in (window.model_label, window.device_label):  # and leaves the other fields their room
        assert QLabel.text(other) == other.text()
