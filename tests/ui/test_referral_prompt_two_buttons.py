"""At 150 % on 1280x720 (853x480): the referral prompt with both its buttons ("Go to that capture" where another
capture is on screen) above the tabs made the window scroll by 11 px (its words in three lines, a row of buttons
under them). Its buttons now stand beside the tab titles and its words take one line (short, figures and dates left
out), what the buttons say (what answers it) in the tooltips: nothing scrolls, the words and both buttons in sight."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.ui.helpers import settled
from tests.ui.test_short_screen_panes import shown_at

WHY = "SIGNIFICANT change; significant change on 3 Mar 2026 (area grew by 44%)"
ANSWER = (
    "answer it with a decision (monitor, discharge) on the 3 Mar 2026 capture, or mark the lesion referred or excised"
)


def proposed(qtbot, window) -> None:
    window.referral_prompt.propose(WHY, ANSWER, go_to=window.selection.capture_id)
    window.fit_prompt()
    settled(qtbot, window)
    for _ in range(5):  # the layout requests that pass up, a level at a time, from the prompt to the window (no delay)
        QApplication.processEvents()
        QApplication.sendPostedEvents()


def in_sight(widget) -> bool:
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_the_prompt_with_both_buttons_leaves_the_window_unscrolled(qtbot, window, tmp_path: Path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    proposed(qtbot, window)
    prompt = window.referral_prompt
    content = window.centralWidget()
    assert window.size().toTuple() == (853, 480)
    assert content.verticalScrollBar().maximum() == 0 and content.horizontalScrollBar().maximum() == 0
    assert all(in_sight(part) for part in (prompt.text, prompt.go, prompt.button))  # words and both buttons whole
    assert prompt.text.height() >= prompt.text.heightForWidth(prompt.text.width())  # every line of the words
    assert prompt.text.text() == "SIGNIFICANT change; status still 'monitoring'" and prompt.text.wordWrap()  # one line
    assert prompt.text.toolTip() == f"{WHY}; status still 'monitoring' — {ANSWER}"  # the whole words
    assert ANSWER in prompt.go.toolTip() and "Mark lesion as referred" in prompt.button.toolTip()
    bar = window.tabs.tabBar()
    assert all(bar.tabRect(i).width() >= bar.tabSizeHint(i).width() for i in range(bar.count()))  # titles whole
    assert in_sight(window.assessment.review)  # the tabs keep their height: the Clinician review wholly in sight


def test_on_a_tall_window_the_prompt_says_all_its_words_and_whole_button_titles(qtbot, window, tmp_path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    proposed(qtbot, window)
    window.resize(1280, 720)
    settled(qtbot, window)
    proposed(qtbot, window)
    prompt = window.referral_prompt
    assert prompt.text.text() == f"{WHY}; status still 'monitoring' — {ANSWER}"
    assert (prompt.go.text(), prompt.button.text()) == ("Go to that capture", "Mark lesion as referred")
    assert all(in_sight(part) for part in (prompt.text, prompt.go, prompt.button))
    assert window.centralWidget().verticalScrollBar().maximum() == 0
    prompt.propose(None)  # nothing to propose: neither the words nor the buttons stay
    window.fit_prompt()
    assert not any(part.isVisible() for part in (prompt, prompt.text, prompt.go, prompt.button))
