"""At 150 % on a 1280x720 screen (853x480 in the window's own pixels) the Save patient button stood half below the
patient form's edge, in a row of its own under the notes. It now stands under the "Notes" label, beside the notes'
two lines: every field and the button in sight without scrolling (real window, real register)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.ui.test_layout_panes import shown, wholly_shown
from tests.ui.test_small_screen import in_sight


@pytest.mark.parametrize("size", [(853, 480), (1280, 720)])
def test_save_patient_and_every_field_are_in_sight_without_scrolling(qtbot, window, tmp_path: Path, size) -> None:
    shown(qtbot, window, tmp_path, size)
    form, area = window.patient_form, window.form_area
    fields = (form.mrn, form.name, form.birth, form.sex, form.skin, form.notes)
    qtbot.waitUntil(lambda: all(wholly_shown(w) for w in (form.save, *fields)))  # laid out: a condition
    assert area.verticalScrollBar().maximum() == 0 and area.horizontalScrollBar().maximum() == 0  # nothing hidden
    assert in_sight(form.save) and form.save.text() == "Save patient"
    assert form.save.width() >= form.save.sizeHint().width()  # its words whole
    # beside the notes, left of them, within their height: no row of its own below them
    save_top, notes_top = form.save.mapTo(form, QPoint(0, 0)), form.notes.mapTo(form, QPoint(0, 0))
    assert save_top.x() + form.save.width() <= notes_top.x()
    assert notes_top.y() <= save_top.y() and save_top.y() + form.save.height() <= notes_top.y() + form.notes.height()


def tab_stops(start, count: int) -> list:
    """The next ``count`` widgets that Tab moves to from ``start`` (focusable by Tab, shown and enabled)."""
    stops, w = [], start.nextInFocusChain()
    while len(stops) < count and w is not start:
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled():
            stops.append(w)
        w = w.nextInFocusChain()
    return stops


def test_tab_from_the_notes_goes_to_save_patient(qtbot, window, tmp_path: Path) -> None:
    shown(qtbot, window, tmp_path, (853, 480))
    form = window.patient_form
    assert tab_stops(form.skin, 2) == [form.notes, form.save]  # the notes, then their Save: not Save first


def test_a_refusal_keeps_save_patient_and_its_reason_in_sight(qtbot, window, tmp_path: Path) -> None:
    """The reason under the notes fell below the pane's edge at 150 %: the form scrolls it into sight, the button
    with it; the field it names stays in sight too."""
    shown(qtbot, window, tmp_path, (853, 480))
    form = window.patient_form
    form.birth.setText("31.02.1970")
    form.save.click()
    assert form.error.text() == "birth date '31.02.1970' is not a real date"  # the reason under the notes
    qtbot.waitUntil(lambda: all(wholly_shown(w) for w in (form.error, form.save, form.birth)))
    form.birth.setText("1970-02-28")
    form.save.click()  # saved: the reason goes, and the form needs no scrolling again
    assert form.error.isHidden() and form.patient.birth_date == "1970-02-28"
    qtbot.waitUntil(lambda: window.form_area.verticalScrollBar().maximum() == 0)
