"""Small texts a new user met (issue 16): the About window's command lines wrap (it had a horizontal scroll bar
at 150 %), counts read "1 image imported" / "3 images imported" / "No image imported" (not "0 image(s)"), and
the status bar's task text is cut only when it does not fit."""

from __future__ import annotations

from dermadesk.ui.forms import AboutDialog

LONG_COMMAND = "python -m training train " + " ".join(f"--option-{i} WORK/some/path/{i}.json" for i in range(30))


def test_the_about_window_wraps_the_model_cards_command_lines(qtbot) -> None:
    card = f"# Model card\n\nReproduce:\n\n```\n{LONG_COMMAND}\n```\n\nThe end."
    about = AboutDialog("Model **m 1**", card)
    qtbot.addWidget(about)
    about.resize(520, 400)
    about.show()
    browser = about.findChild(type(about.layout().itemAt(0).widget()))
    qtbot.waitUntil(browser.isVisible)
    assert browser.document().idealWidth() <= browser.viewport().width()  # ~1,900 px of one line before
    assert browser.horizontalScrollBar().maximum() == 0 and LONG_COMMAND in browser.toPlainText()
