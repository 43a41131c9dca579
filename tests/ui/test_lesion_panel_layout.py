"""Issue #16, the lesions pane at 1280x720 and at 150 % (853x480 in the window's own pixels): the "click the body
map ..." hint (in the box's title) and the lesion form in sight without scrolling (they were under the list, behind
a scroll bar that was easy to miss), the list the pane's only scroller, each row whole or whole in its tooltip."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.services import register_ops as ops

from tests.ui.helpers import settled
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


PLACED = [  # (site, label, view, x, y): at 150 % each row wraps onto two lines, "2 · lower extr. (R, front)" over …
    ("posterior torso", "left scapula", "back", 0.4, 0.3),
    ("lower extremity", "right shin", "front", 0.4, 0.8),
    ("head/neck", "left cheek", "front", 0.55, 0.08),
    ("anterior torso", "navel", "front", 0.5, 0.4),
    ("upper extremity", "right forearm", "front", 0.25, 0.45),
    ("palms/soles", "left heel", "back", 0.45, 0.97),
]


def test_where_the_tabs_can_spare_it_four_lesion_rows_are_in_sight(qtbot, window) -> None:
    """On a short window the list showed two of a patient's lesions (each row two lines high at 150 %), the rest
    behind its scroll bar: where the tabs can spare the height (a referral prompt's room above them kept for every
    lesion) it is given four rows, Save lesion under the body map, level with the Label row."""
    window.resize(853, 560)  # a short window (the timeline beside the tabs), 80 px taller than 1280x720 at 150 %
    reg = window.session.register
    pid = reg.patients.add("t", "ROW-6", "Six Lesions").id
    for site, label, view, x, y in PLACED:
        reg.lesions.add("t", pid, site, label, body_view=view, body_x=x, body_y=y)
    window.refresh(pid)
    settled(qtbot, window)
    panel, lst = window.lesions, window.lesions.list
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # the window itself does not scroll

    def whole_rows() -> list[int]:
        return [r for r in range(lst.count()) if lst.viewport().rect().contains(lst.visualItemRect(lst.item(r)))]

    qtbot.waitUntil(lambda: len(whole_rows()) >= 4)
    assert sum("\n" in lst.item(r).text() for r in whole_rows()[:4]) >= 3, [lst.item(r).text() for r in range(4)]
    for widget in (panel.site, panel.status, panel.label, panel.apply):
        assert wholly_shown(widget), widget
    assert panel.right.indexOf(panel.apply) >= 0  # under the body map, level with the Label row
    assert panel.apply.geometry().left() > panel.label.geometry().right()
    assert abs(panel.apply.geometry().bottom() - panel.label.geometry().bottom()) <= 2
    assert wholly_shown(panel.body_map)


def test_in_a_shorter_pane_save_lesion_stands_under_the_form_and_the_figure_keeps_its_height(qtbot, window, tmp_path):
    """At 150 % on 1280x720 the tabs keep the height the assessment's reasons need (a referral prompt's room above
    them): the pane is too short for four rows, and Save lesion stays under the form, the body map's figure the
    column's height."""
    shown_at(qtbot, window, tmp_path, 853, 480)
    panel = window.lesions
    assert window.referral_prompt.isVisible() and panel.height() < panel.height_for_rows()
    assert panel.edit.indexOf(panel.apply) >= 0 and wholly_shown(panel.apply)
    assert panel.apply.geometry().top() > panel.label.geometry().bottom()
    assert panel.body_map.view_rect("front").height() >= 100
