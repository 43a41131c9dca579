"""At 150 % on 1280x720 (853x480) a referral prompt of three lines above the tabs was counted as one: the tabs got
less than their least height, "No heat map: the image is not assessable." was drawn over the bottom of the image
and the clinician-notes box shrank to one line. The prompt's lines count in the tabs' least height, the top pane
yields first, and where nothing can yield the window scrolls: nothing is drawn over anything (real window)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from tests.services.test_standing import lesion_with_results
from tests.ui.helpers import settled


def rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def laid_out(qtbot, window) -> None:
    settled(qtbot, window)
    for _ in range(5):  # the layout requests that pass up, a level at a time (no delay)
        QApplication.processEvents()
        QApplication.sendPostedEvents()
    settled(qtbot, window)


def nothing_drawn_over(window) -> None:
    view, prompt, tabs = window.assessment, window.referral_prompt, window.tabs
    assert tabs.height() >= tabs.minimumSizeHint().height()  # the tabs never squeezed below their least
    assert prompt.text.height() >= prompt.text.heightForWidth(prompt.text.width())  # every line of the words
    assert rect_in(prompt, window).bottom() < rect_in(tabs, window).top()  # the prompt above the tabs, apart
    caption = rect_in(view.no_cam, view)
    assert view.no_cam.isVisible() and rect_in(view.image, view).bottom() < caption.top()  # under the image
    assert caption.bottom() < rect_in(view.cam_toggle, view).top()
    line = view.notes.fontMetrics().lineSpacing()
    assert view.notes.height() >= view.notes.minimumHeight() >= 2 * line  # two lines of notes at least
    box = rect_in(view.review, view)
    assert box.bottom() <= view.height() and rect_in(view.save, view).bottom() <= view.height()


def test_a_three_line_prompt_above_the_tabs_leaves_them_their_height(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["urgent", "refer", None])  # the latest one not assessable
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, reg.captures.for_lesion(lid)[-1].id)
    laid_out(qtbot, window)
    prompt = window.referral_prompt
    assert prompt.isVisible() and window.tabs_box.isAncestorOf(prompt)  # above the tabs
    words, line = prompt.text, prompt.text.fontMetrics().lineSpacing()
    assert len(words.toolTip()) > 3 * len(words.text())  # its whole words would take three lines (in its tooltip)...
    assert words.heightForWidth(words.width()) < 2 * line and "URGENT" in words.text()  # ...short now, on one line
    nothing_drawn_over(window)
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # the top pane gave the room: no scrolling


def test_where_nothing_can_yield_the_window_scrolls_rather_than_draw_over(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["urgent", None])
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, reg.captures.for_lesion(lid)[-1].id)
    window.referral_prompt.propose("; ".join(["latest capture not assessable, an earlier result URGENT"] * 6))
    window.fit_prompt()
    laid_out(qtbot, window)
    nothing_drawn_over(window)
