"""The decision box with no decision chosen said "Decision" in the placeholder's grey: on a box (a button to press)
greyed words read as a box switched off. It says "Choose decision…" in the words' own colour, as dark as a decision
chosen and darker than a box switched off; nothing is stored for it (real window, the box as painted)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from dermadesk.ui.review_choices import PROMPT, text_room
from tests.ui.test_cancel import two_captures
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out


def darkest_words(box) -> int:
    """The lightness of the darkest pixel in ``box``'s text field (its words, not its frame or arrow)."""
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    image = box.grab(field.adjusted(2, 2, -2, -2)).toImage()
    return min(image.pixelColor(x, y).lightness() for x in range(image.width()) for y in range(image.height()))


def test_no_decision_reads_as_a_prompt_not_as_switched_off(qtbot, window, tmp_path: Path) -> None:
    two_captures(window, tmp_path)
    laid_out(qtbot, window)
    view = window.assessment
    box = view.decision
    assert box.isEnabled() and box.currentText() == "" and box.accessibleName() == "Decision"
    assert box.fontMetrics().horizontalAdvance(PROMPT) <= text_room(box)  # said whole
    prompt = darkest_words(box)
    box.setCurrentText("discharge")
    chosen = darkest_words(box)
    box.setCurrentText("")
    view.setEnabled(False)  # no capture: the box switched off
    switched_off = darkest_words(box)
    view.setEnabled(True)
    assert abs(prompt - chosen) <= 10 and prompt < switched_off - 40, (prompt, chosen, switched_off)
    assert view.unsaved_review() is None and view.recheck_months() is None  # the prompt is no decision
    with qtbot.waitSignal(view.review_saved) as saved:
        view.save.click()
    assert saved.args[1] is None
