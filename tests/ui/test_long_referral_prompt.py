"""Issue #16 at 150 % (853x480): the referral prompt's long form (a later capture not assessable under an URGENT
result) wraps in its row above the tabs instead of widening the window past the screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.ui.helpers import settled
from tests.ui.test_short_screen_panes import shown_at

LONG = "latest capture not assessable; last assessable result: URGENT on 2 May 2026"


def test_the_long_referral_prompt_wraps_and_the_window_does_not_scroll_sideways(qtbot, window, tmp_path: Path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    prompt = window.referral_prompt
    prompt.propose(LONG)
    window.fit_prompt()
    settled(qtbot, window)
    for _ in range(5):  # the layout requests that pass up, a level at a time, from the prompt to the window (no delay)
        QApplication.processEvents()
        QApplication.sendPostedEvents()
    assert window.minimumSizeHint().width() <= 853 and window.width() == 853
    assert window.centralWidget().horizontalScrollBar().maximum() == 0  # nothing out of sight to the right
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # nor below: its button beside the titles
    for part in (prompt.text, prompt.button):  # the words and the button wholly in sight
        assert part.isVisible() and part.visibleRegion().boundingRect() == part.rect()
    assert prompt.text.wordWrap() and LONG in prompt.text.toolTip()
    assert prompt.text.height() >= prompt.text.heightForWidth(prompt.text.width())  # every line of it shown
