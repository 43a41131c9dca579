"""File > Import patients: the preview with conflicts (1040x720) on a 1280x720 laptop at 150 % (853x480 in Qt's
pixels) reached past the screen, its Import and Cancel buttons out of sight. It fits now: the page scrolls, each
table scrolls inside it showing a few rows at least, the buttons stay in sight, and a long package or workstation
name wraps instead of widening the dialog. Real registers, a real package, real widgets; the preview has both
answer panels (a patient whose MRN is another patient's here, fields changed on both sides)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QDialogButtonBox

from dermadesk.domain.dates import human_datetime
from dermadesk.services.transfer import ImportOutcome, export_patients, import_package, open_package, preview
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP
from dermadesk.ui.transfer_preview import ImportPreviewDialog
from dermadesk.ui.widgets import fit_dialog
from tests.transfer_data import edit, fill

LONG_NOTES = "Seen with her daughter; itching since the summer holiday, to be seen again after the biopsy result"
LONG = "north-valley-outreach-clinic-dermatology-field-laptop-week-47-all-patients.ddtx"


def _outcome(tmp_path: Path, notes: str = "clinic note") -> ImportOutcome:
    """The field laptop's package (a long file name): P-1 with four fields changed on both sides (its notes here
    ``notes``), P-7 as it was, and P-9, whose MRN is another person's here."""
    field, clinic, package = tmp_path / "field", tmp_path / "clinic", tmp_path / LONG
    with Register(field) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
        fill(reg, "P-7", "Carla Field", lesions=1, captures=1, seed=7)
        export_patients(reg, package, None)
    with Register(clinic) as reg:
        import_package(reg, package, None, "clinic")
        fill(reg, "P-9", "Dora Clinic", lesions=1, captures=1, seed=9)
    with Register(field) as reg:
        fill(reg, "P-9", "Eve Field", lesions=1, captures=1, seed=11)
    edit(field, decision="refer", label="upper back", notes="laptop note", skin_type="III")
    edit(clinic, decision="excise", label="left scapula", notes=notes, skin_type="IV")
    with Register(field) as reg:
        export_patients(reg, package, None, overwrite=True)
    with Register(clinic) as reg, open_package(reg, package, None) as opened:
        return preview(reg, opened)


def _inside(dialog: ImportPreviewDialog, widget) -> bool:
    """``widget`` is shown whole within the dialog."""
    corner = widget.mapTo(dialog, QPoint(widget.width() - 1, widget.height() - 1))
    return (
        widget.isVisible()
        and dialog.rect().contains(widget.mapTo(dialog, QPoint(0, 0)))
        and dialog.rect().contains(corner)
    )


@pytest.mark.parametrize("screen", [QRect(0, 0, 853, 480), QRect(0, 0, 853, 400)])
def test_the_preview_fits_a_small_screen_with_its_buttons_in_sight(qtbot, tmp_path: Path, screen: QRect) -> None:
    outcome = _outcome(tmp_path)
    assert len(outcome.plan.fields) == 4 and [p.status for p in outcome.plan.patients] == [
        "present",
        "present",
        "conflict",
    ]
    dialog = ImportPreviewDialog(outcome)
    qtbot.addWidget(dialog)
    fit_dialog(dialog, screen)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height(), dialog.size()
    [box] = dialog.findChildren(QDialogButtonBox)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert _inside(dialog, dialog.import_button) and _inside(dialog, cancel)
    assert dialog.import_button.text() == "Nothing new to import"  # answer a conflict to import
    conflicts = dialog.conflict_answers.table
    for table in (dialog.table, dialog.mrn_answers.table, conflicts):  # each shows its header and some rows
        rows = min(2, table.rowCount())
        assert table.viewport().height() >= rows * table.verticalHeader().defaultSectionSize(), (
            table.viewport().height()
        )
    # four conflicts at least in sight (about one and a half showed at 150 %): the page scrolls to them instead
    four = sum(conflicts.rowHeight(row) for row in range(4))
    qtbot.waitUntil(lambda: conflicts.viewport().height() >= four and conflicts.verticalScrollBar().maximum() == 0)
    bar = dialog.body.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the page scrolls to the last buttons
    bar.setValue(bar.maximum())  # scrolled to the end: its last row of buttons whole, Import where it was
    keep_all = dialog.conflict_answers.all_buttons[KEEP]
    bottom = keep_all.mapTo(dialog.body.viewport(), QPoint(0, keep_all.height())).y()
    assert bottom <= dialog.body.viewport().height() and _inside(dialog, dialog.import_button)


def test_on_a_large_screen_the_preview_has_its_full_size_and_nothing_to_scroll(qtbot, tmp_path: Path) -> None:
    dialog = ImportPreviewDialog(_outcome(tmp_path))
    qtbot.addWidget(dialog)
    fit_dialog(dialog, QRect(0, 0, 1920, 1050))
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.size().toTuple() == (1040, 720)
    qtbot.waitUntil(lambda: dialog.body.verticalScrollBar().maximum() == 0)
    conflicts = dialog.conflict_answers.table
    assert conflicts.verticalScrollBar().maximum() == 0  # all four conflicts in sight
    assert dialog.table.height() > 4 * dialog.table.verticalHeader().defaultSectionSize()  # the tables take the room


def test_the_package_is_dated_on_this_workstations_clock(qtbot, tmp_path: Path) -> None:
    """ "made 23 Nov 2026 10:15" in local time, as every other date the app shows (it said "... 09:15 UTC")."""
    outcome = _outcome(tmp_path)
    dialog = ImportPreviewDialog(outcome)
    qtbot.addWidget(dialog)
    assert f"made {human_datetime(outcome.created)}" in dialog.title.text() and "UTC" not in dialog.title.text()


@pytest.mark.parametrize("screen", [QRect(0, 0, 853, 480), QRect(0, 0, 1920, 1050)])
def test_each_conflicts_answer_is_in_sight_its_text_cut_not_the_table_widened(qtbot, tmp_path: Path, screen) -> None:
    """At 150 % on a 1280x720 laptop the conflicts table grew to its text: the Answer column lay past the dialog's
    edge (found by scrolling right), Record and Last agreed cut. Now its columns share the table's width, the Answer
    column whole in sight, a long text cut with "…" and whole in its tooltip."""
    dialog = ImportPreviewDialog(_outcome(tmp_path, LONG_NOTES))
    qtbot.addWidget(dialog)
    fit_dialog(dialog, screen)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.conflict_answers.table
    view = table.viewport()
    for row, box in enumerate(dialog.conflict_answers.choices):
        left, right = box.mapTo(view, QPoint(0, 0)).x(), box.mapTo(view, QPoint(box.width() - 1, 0)).x()
        assert 0 <= left and right < view.width(), (row, left, right, view.width())
        assert box.width() >= box.sizeHint().width()  # its choice readable whole
    assert table.horizontalScrollBar().maximum() == 0  # nothing to scroll right to
    notes = table.item(1, 2)
    assert notes.text() == LONG_NOTES and notes.toolTip() == LONG_NOTES  # cut on screen where it does not fit
