"""Issue #16, a new user's pass at 150 % (853x480 in the window's own pixels) and at 1280x720: text that was cut
off (lesion rows, the Site combo, the Label placeholder, a class name, the task's progress, the
timeline's "NOT ASSESSABLE"), the side in the new-lesion question, the View box greyed with no comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QListWidgetItem, QStyle, QStyleOptionComboBox

from dermadesk.contract import CLASSES
from dermadesk.services import register_ops as ops
from dermadesk.ui.assessment_view import ProbabilityBars
from dermadesk.ui.comparison_view import ComparisonPictures, ComparisonView
from dermadesk.ui.lesion_list import LesionList
from dermadesk.ui.timeline import TimelineView
from tests.ui.helpers import add_patient, click_body, settled
from tests.ui.test_flag_one_form import one_line, shown_cut
from tests.ui.test_short_screen_panes import shown_at


def sided_lesions(window) -> None:
    """Three lesions of the shown patient: left and right upper extremity, and a labelled one on the back."""
    reg, pid = window.session.register, window.selection.patient_id
    for les in reg.lesions.for_patient(pid):
        reg.lesions.update("t", les.id, body_view="front", body_x=0.18, body_y=0.3, site="upper extremity")
    reg.lesions.add("t", pid, "upper extremity", "", body_view="front", body_x=0.82, body_y=0.3)
    reg.lesions.add("t", pid, "posterior torso", "left scapula", body_view="back", body_x=0.4, body_y=0.25)
    window.lesions.show_lesions(ops.lesions_of(reg, pid))


def test_three_lesion_rows_in_sight_each_by_its_compact_name_at_150_percent(qtbot, window, tmp_path: Path) -> None:
    """At 150 % the rows are the lesions' compact names, one form for all ("3 · post. torso (L) · left scapula", the
    site before its label: the short name showed "Lesion 3 · left scapula · p…"): the number first, whole, a row too
    wide wrapped onto a second line at a " · " (it was cut, and a label that would be cut left out), the full name in
    its tooltip."""
    shown_at(qtbot, window, tmp_path, 853, 480)
    sided_lesions(window)
    reg, grown = window.session.register, window.lesions.lesions[0].id
    reg.captures.review("t", reg.captures.for_lesion(grown)[-1].id, "monitor", "")  # its +44 %: "⚠ CHANGED" till then
    window.lesions.refresh_flags()  # unflagged rows here; the next test gives a flagged one
    lst = window.lesions.list
    assert lst.count() == 3
    assert [LesionList.names(lst.item(r))[2] for r in range(3)] == [
        "1 · upper extr. (R, front)",  # the map's face too: the front and the back of an arm read alike
        "2 · upper extr. (L, front)",
        "3 · post. torso (L) · left scapula",
    ]
    for row in range(3):
        item, rect = lst.item(row), lst.visualItemRect(lst.item(row))
        assert lst.viewport().rect().contains(rect), row  # the whole row in sight, none scrolled to
        shown_cut(lst, item, LesionList.names(item)[2])  # whole, on one line or two
        assert one_line(item) == LesionList.names(item)[2]  # nothing cut: the site's side and the label whole
        assert item.toolTip().startswith(f"Lesion {row + 1} · upper extremity (" if row < 2 else "Lesion 3 · left")
    assert lst.item(2).toolTip().startswith("Lesion 3 · left scapula · posterior torso (left), monitoring")


@pytest.mark.parametrize("word", ["URGENT", "REFER", "OVERDUE"])
def test_a_flagged_lesion_row_says_its_flag_in_words_before_its_name(qtbot, window, tmp_path: Path, word) -> None:
    """A bare "⚠" left testers asking what the triangle meant: the flag's words lead the lesion's name, then its
    number and site, whole at 150 % (the site on a second line where the first is full); red, its full name and the
    flag's reason in the tooltip; with room, the full name."""
    shown_at(qtbot, window, tmp_path, 853, 480)
    sided_lesions(window)
    panel, first = window.lesions, window.lesions.lesions[0].id
    panel.flag_of = lambda lid: (f"⚠ {word}", f"{word} result on 10 Mar 2026") if lid == first else ("", "")
    panel.refresh_flags()
    lst = panel.list
    item = lst.item(0)
    shown_cut(lst, item, f"⚠ {word} 1 · upper extr. (R, front)")  # the mark kept too (was lost for OVERDUE)
    assert one_line(item) == f"⚠ {word} 1 · upper extr. (R, front)", item.text()  # whole, on two lines
    assert lst.viewport().rect().contains(lst.visualItemRect(item))
    assert (
        item.toolTip()
        == f"Lesion 1 · upper extremity (right, front), monitoring\n⚠ {word}: {word} result on 10 Mar 2026"
    )
    assert item.foreground().color().name() == "#b71c1c"
    assert LesionList.names(lst.item(1))[2] == "2 · upper extr. (L, front)"  # the unflagged rows: compact too
    assert lst.item(1).text() == "2 · upper extr. (L, front)"
    window.resize(1920, 1080)  # with room, the full name
    settled(qtbot, window)
    qtbot.waitUntil(lambda: lst.item(0).text() == f"⚠ {word} Lesion 1 · upper extremity (right, front)")


def test_the_site_combo_and_the_label_placeholder_are_whole_at_150_percent(qtbot, window, tmp_path: Path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    panel = window.lesions
    panel.site.setCurrentText("upper extremity")
    opt = QStyleOptionComboBox()
    panel.site.initStyleOption(opt)
    field = panel.site.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, panel.site
    )
    assert panel.site.fontMetrics().horizontalAdvance("upper extremity") <= field.width()  # not "upper extremit"
    label = panel.label
    assert label.fontMetrics().horizontalAdvance(label.placeholderText()) + 8 <= label.width()
    assert "scapula" in label.placeholderText() and "scapula" in label.toolTip()


def test_the_new_lesion_question_names_the_patients_side(qtbot, window, dialogs) -> None:
    add_patient(window, dialogs)
    asked: list[str] = []
    dialogs.confirm = lambda title, message, default_yes=False: asked.append(message) or False
    click_body(qtbot, window, "front", 0.18, 0.3)  # the viewer's left in the front view: the patient's right arm
    click_body(qtbot, window, "back", 0.18, 0.3)  # the back view: the patient's left
    assert asked == [
        "Add a lesion on the right upper extremity (front view) here?",
        "Add a lesion on the left upper extremity (back view) here?",
    ]


def test_a_class_name_wider_than_the_probability_list_wraps_onto_a_second_line(qtbot) -> None:
    bars = ProbabilityBars()  # 150 %: "Benign keratosis-like lesion (bk" was cut at the list's edge
    qtbot.addWidget(bars)
    longest = max(bars.fontMetrics().horizontalAdvance(bars._label(c)) for c in CLASSES)
    bars.resize(longest - 30, 200)
    bars.show()
    bkl = next(i for i, c in enumerate(CLASSES) if c.code == "bkl")
    assert bars._units(bars.width())[bkl] == 3  # the name's two lines and its bar
    rows = sum(bars._units(bars.width()))
    qtbot.waitUntil(lambda: bars.minimumHeight() >= rows * bars._row_height())
    assert rows > 2 * len(CLASSES) and not bars.grab().isNull()


def test_a_tasks_message_fits_in_its_progress_bar(qtbot, window) -> None:
    window.resize(853, 480)
    bar, message = window.progress, "Preparing the demo register… demo capture 7 of 10"
    bar.show()
    window.task_progress(0.73, message)  # 150 %: "…demo captur" ran over the bar, on two lines
    qtbot.waitUntil(lambda: bar.width() > 0)
    shown = bar.format()
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.width() - 12 and "\n" not in shown
    assert shown.endswith("capture 7 of 10") and bar.toolTip() == message


def test_a_not_assessable_captions_cell_has_room_to_spare_in_the_row_and_the_column(qtbot) -> None:
    timeline = TimelineView()  # "NOT ASSESS…" under a capture that is not selected (the cell fitted it to a pixel)
    qtbot.addWidget(timeline)
    for compact in (False, True):
        timeline.set_compact(compact)
        timeline.clear()
        for number, caption in enumerate(("20 Aug 2026\nrefer", "10 Mar 2026\nNOT ASSESSABLE")):
            item = QListWidgetItem(timeline._placeholder, caption)
            item.setData(Qt.ItemDataRole.UserRole, number)
            timeline.addItem(item)
        timeline.show()
        cell = timeline.visualItemRect(timeline.item(1))
        assert cell.width() >= timeline.fontMetrics().horizontalAdvance("NOT ASSESSABLE") + 16, compact


def test_the_view_box_is_disabled_while_no_comparison_is_shown(qtbot) -> None:
    view = ComparisonView()  # after a restore or a lesion's deletion it stayed enabled over empty images
    qtbot.addWidget(view)
    controls = (view.view_label, view.mode, view.slider, view.slider_label)
    assert not any(w.isEnabled() for w in controls)  # nothing compared yet
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    view.pictures = ComparisonPictures(image, image, image, aligned=True)
    view.mode.setCurrentText("Blend")
    view.render()
    assert all(w.isEnabled() for w in controls)  # an aligned pair: its views to choose
    view.show_result(None, None, ("", ""))  # nothing selected
    assert not any(w.isEnabled() for w in controls)


def test_the_empty_probability_list_shows_dashes_not_zero_percent(qtbot, window) -> None:
    """Before a capture is chosen the bars read "0.0%" for every class, which a tester took for results."""
    bars = window.assessment.bars
    assert window.assessment.capture is None and bars.value_text("mel") == "–"
    assert "No assessment shown" in bars.toolTip()
    bars.set_probabilities({"mel": 0.25, "nv": 0.75})
    assert (
        bars.value_text("mel") == "25.0%" and bars.value_text("bcc") == "0.0%" and "Melanoma: 25.0%" in bars.toolTip()
    )
