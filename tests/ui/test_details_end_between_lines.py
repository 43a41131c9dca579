"""At 150 % on 1280x720 (853x480) the assessment panel's details ended across a line: under a NOT ASSESSABLE capture's
reasons the upper half of "Class probabilities are not shown..." (the demo), or of "Change since 5 Jan 2026: CANNOT
TELL" (walkthrough 22), neither readable nor plainly more to scroll to. The details now end between two lines: each
line of their text whole in sight or out of it, below the scroll bar's reach; the reasons still whole (real window,
real register, a stored comparison)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from dermadesk.ui.whole_lines import line_bottoms
from tests.services.test_significant_change import store
from tests.ui.test_not_assessable_image_size import urgent_then_not_assessable
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out
from tests.ui.test_reasons_column_width import REASON


def lines_cut(scroll) -> list[str]:
    """The lines of the details' text the viewport's bottom cuts across (at the top of the scroll), by their label's
    text; none where each line is whole in sight or out of it."""
    panel, bottom = scroll.widget(), scroll.viewport().height()
    cut = []
    for label in panel.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if not label.isVisibleTo(panel):
            continue
        top = label.geometry().top() + label.contentsRect().top()
        for end in (label.geometry().top() + b for b in line_bottoms(label)):
            if top < bottom - 1 and end > bottom + 1:  # a pixel either way: rounding
                cut.append(label.text()[:60])
            top = end
    return cut


def test_the_details_end_between_lines_at_any_height(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    urgent_then_not_assessable(window, tmp_path, [REASON])
    reg, view = window.session.register, window.assessment
    lesion = reg.lesions.get(window.selection.lesion_id)
    latest = reg.captures.for_lesion(lesion.id)[-1].id
    store(reg, lesion.id, latest, "cannot tell", "the images differ too much to compare")  # the change line
    window.show_lesion(lesion.id, latest)
    qtbot.waitUntil(lambda: view._image is not None and view.below and view.change.isVisible())
    laid_out(qtbot, window)
    scroll, detail = view.scroll, view.tier_detail
    assert scroll.verticalScrollBar().maximum() > 0  # more than fits: what follows the reasons scrolls
    assert lines_cut(scroll) == []
    reasons = len([b for b in line_bottoms(detail) if b <= scroll.viewport().height()])
    assert reasons >= 3  # the reason's three lines whole in sight
    hidden = 0
    for height in range(480, 600, 6):  # the details given a few pixels more each time
        window.resize(853, height)
        laid_out(qtbot, window)
        assert lines_cut(scroll) == [], height
        hidden += scroll.viewportMargins().bottom() > 0  # a line's part kept out of sight
        full = scroll.height() - 2 * scroll.frameWidth()
        assert 0 <= full - scroll.viewport().height() < 2 * detail.fontMetrics().lineSpacing()  # a line (and its gap)
        assert scroll.verticalScrollBar().height() >= full - 2  # the scroll bar keeps its length
    assert hidden >= 3
    below = [w for w in scroll.widget().findChildren(QWidget) if not isinstance(w, QLabel) and w.isVisible()]
    assert all(w.height() > 0 for w in below)  # the bars and the rest still laid out below, to scroll to
