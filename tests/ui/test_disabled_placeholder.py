"""With no capture chosen the clinician-notes box is disabled, and its placeholder "Clinician notes" was painted
darker than the greyed words beside it, like typed notes (Qt paints the placeholder colour half transparent over the
greyed field). A disabled field's placeholder takes the palette's disabled text colour; an enabled one keeps its own
(real window)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPalette

from tests.ui.test_layout import lesion_with


def darkest(edit) -> int:
    """The lightness of the darkest pixel inside ``edit``'s text area (its placeholder, where it is empty)."""
    image = edit.viewport().grab().toImage()
    return min(image.pixelColor(x, y).lightness() for x in range(image.width()) for y in range(image.height()))


def test_a_disabled_notes_box_shows_its_placeholder_greyed(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    window.refresh(reg.patients.add("t", mrn="P-0", name="Place Holder").id)  # a patient, no capture chosen
    notes = window.assessment.notes
    qtbot.waitUntil(lambda: notes.isVisible() and min(notes.viewport().width(), notes.viewport().height()) > 20)
    assert not notes.isEnabled() and not notes.toPlainText() and notes.placeholderText() == "Clinician notes"
    palette = notes.palette()
    greyed = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.PlaceholderText) == greyed
    assert darkest(notes) >= greyed.lightness() - 8  # no darker than the greyed words ("Decision")
    lesion_with(window, tmp_path, ["2026-01-01"])  # a capture chosen: the box enabled, its placeholder as before
    qtbot.waitUntil(lambda: notes.isEnabled() and min(notes.viewport().width(), notes.viewport().height()) > 20)
    assert not notes.toPlainText() and darkest(notes) < greyed.lightness() - 20
