"""The re-check box had no label: closed it said "9 mo" or "by tier" alone beside the decision, what it was in its
tooltip only. For a 'monitor' decision a "Re-check" label now stands over the box, in the review's title line beside
"Clinician review": at 150 % on 1280x720 (853x480) too, whole and in sight, over the title nowhere, and the review no
wider nor the decision, notes and Save squeezed for it (real window, real register)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QStyle, QStyleOptionGroupBox

from dermadesk.ui.recheck_caption import LABEL, LEAST_FONT
from tests.ui.test_layout_panes import wholly_shown
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out
from tests.ui.test_quality_warning_in_sight import LOW, PASS, shown_with


def in_review(widget, review) -> QRect:
    return QRect(widget.mapTo(review, widget.rect().topLeft()), widget.size())


@pytest.mark.parametrize("size", [(853, 480), (1280, 720)])
def test_the_recheck_box_has_a_label_over_it(qtbot, window, tmp_path: Path, size) -> None:
    shown_with(qtbot, window, tmp_path, size, dataclasses.replace(LOW, quality=PASS))
    view = window.assessment
    review, label, box = view.review, view.recheck_label, view.recheck
    laid_out(qtbot, window)
    before = {w: w.geometry() for w in (review, view.notes, view.save, view.bars)}
    height = view.decision.height()
    assert not label.isVisible()  # with the box only: for 'monitor'
    view.decision.setCurrentText("monitor")
    laid_out(qtbot, window)
    assert label.text() == LABEL == "Re-check" and label.buddy() is box and wholly_shown(label) and wholly_shown(box)
    assert label.fontMetrics().horizontalAdvance(LABEL) <= label.width()  # the word whole
    assert label.font().pointSizeF() >= LEAST_FONT * review.font().pointSizeF()
    option = QStyleOptionGroupBox()
    review.initStyleOption(option)
    title = review.style().subControlRect(
        QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, review
    )
    over, under = label.geometry(), in_review(box, review)
    assert over.left() > title.right() and over.bottom() < under.top()  # beside the title, over the box...
    assert over.right() == under.right() and over.top() >= title.top()  # ...right-aligned with it, in its line
    assert {w: w.geometry() for w in before} == before and view.decision.height() == height  # nothing moved for it
    labels = view.bars.compact_labels(view.bars.width())
    assert (labels["bkl"], labels["df"], labels["mel"]) == ("benign ker.", "dermatofib.", "melanoma")
    view.decision.setCurrentText("discharge")
    laid_out(qtbot, window)
    assert not label.isVisible() and not box.isVisible()
