"""The decision list's first row, which clears the decision, was blank: a nurse saw an empty line above "monitor"
and could not tell what it did. The list now says "No decision" there, while the closed box with nothing chosen
still says "Choose decision…" and nothing is stored for it (real window, real register, the list as drawn)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from dermadesk.ui.review_choices import NO_DECISION
from tests.ui.test_cancel import two_captures
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out


def drawn_colours(view, row: int) -> int:
    """The number of colours in ``row`` of the open list as drawn (one: an empty row)."""
    image = view.viewport().grab(view.visualRect(view.model().index(row, 0))).toImage()
    return len({image.pixel(x, y) for x in range(image.width()) for y in range(image.height())})


def test_the_first_row_says_no_decision_and_clears_it(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    two_captures(window, tmp_path)
    laid_out(qtbot, window)
    view = window.assessment
    box, capture_id = view.decision, view.capture.id
    box.setCurrentText("monitor")
    box.showPopup()
    qtbot.waitUntil(box.view().isVisible)
    rows = box.view()
    assert drawn_colours(rows, 0) > 3 and drawn_colours(rows, 2) > 3  # words in it, as in "excise" below
    assert rows.model().index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) == NO_DECISION
    qtbot.keyClick(rows, Qt.Key.Key_Home)  # the first row chosen: the decision cleared
    qtbot.keyClick(rows, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not rows.isVisible())
    assert box.currentIndex() == 0 and box.currentText() == ""  # the closed box says "Choose decision…" for it
    laid_out(qtbot, window)
    assert box.itemText(0) == "" and view.recheck_months() is None
    with qtbot.waitSignal(view.review_saved) as saved:
        view.save.click()
    assert saved.args[1] is None and reg.captures.get(capture_id).decision in (None, "")


def test_the_first_row_is_whole_beside_the_recheck_box(qtbot, window, tmp_path: Path) -> None:
    """At 150 % on 1280x720 the closed box, beside the re-check box, is as narrow as "monitor"; its open list was as
    wide as Qt makes it for the texts stored ("" first), so the first row read "No d…sion". The list is now at least
    as wide as Qt makes one for a row saying "No decision"."""
    two_captures(window, tmp_path)
    window.resize(853, 480)
    laid_out(qtbot, window)
    box = window.assessment.decision
    box.setCurrentText("monitor")
    laid_out(qtbot, window)
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    words = QSize(box.view().fontMetrics().horizontalAdvance(NO_DECISION), 0)
    wanted = box.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, words, box).width()
    assert box.width() < wanted  # the closed box narrower than the first row's words: the case that cut them
    box.showPopup()
    qtbot.waitUntil(box.view().isVisible)
    assert box.view().width() >= wanted
    box.hidePopup()
