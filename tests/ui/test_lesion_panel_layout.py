"""Issue #16, the lesions pane at 1280x720 and at 150 % (853x480 in the window's own pixels): the "click the body
map ..." hint (in the box's title) and the lesion form in sight without scrolling (they were under the list, behind
a scroll bar that was easy to miss), the list the pane's only scroller, each row whole or whole in its tooltip."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.services import register_ops as ops

from tests.ui.test_layout_panes import SIZES, wholly_shown
from tests.ui.test_short_screen_panes import shown_at
from tests.ui.test_small_screen import scroll_areas


@pytest.mark.parametrize("size", SIZES)
def test_the_hint_and_the_lesion_form_are_in_sight_above_and_below_the_list(qtbot, window, tmp_path: Path, size):
    shown_at(qtbot, window, tmp_path, *size)
    panel = window.lesions
    central = window.centralWidget()
    assert central.verticalScrollBar().maximum() == 0
    assert panel.title().startswith("Lesions: click the body map")  # the hint, in the title's line
    for widget in (panel.site, panel.status, panel.label, panel.apply):
        assert scroll_areas(widget) == [central]  # in no scroll area of the pane's own
        assert wholly_shown(widget), widget
    assert scroll_areas(panel.list) == [central]  # a list that scrolls itself, inside no other scroller
    assert panel.list.geometry().top() < panel.apply.geometry().top()
    row, lines = panel.list.visualItemRect(panel.list.item(0)), panel.list.item(0).text().count("\n") + 1
    assert row.height() >= lines * panel.list.fontMetrics().height()  # the first row's every line whole
    assert 0 <= row.top() and row.bottom() <= panel.list.viewport().rect().bottom()  # in sight, not scrolled to


@pytest.mark.parametrize("size", SIZES)
def test_each_lesion_row_is_whole_or_has_its_whole_text_in_its_tooltip(qtbot, window, tmp_path: Path, size):
    shown_at(qtbot, window, tmp_path, *size)
    reg, lesions = window.session.register, window.lesions
    pid = window.selection.patient_id
    reg.lesions.add("t", pid, "lower extremity", "right shin", body_view="front", body_x=0.4, body_y=0.8)
    lesions.show_lesions(ops.lesions_of(reg, pid))
    room = lesions.list.viewport().width() - 8  # a row's text, within its margins
    for row in range(lesions.list.count()):
        item, les = lesions.list.item(row), lesions.lesions[row]
        assert all(part in item.toolTip() for part in (les.title, les.site, les.status, les.label))
        if size == (1280, 720):  # nothing elided at 1280x720: "lower extremity (right), monitoring" whole
            assert all(lesions.list.fontMetrics().horizontalAdvance(t) <= room for t in item.text().split("\n"))
