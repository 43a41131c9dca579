"""Findings of a new user's first session: what is enabled with nothing selected, units, dates, restore, numbers."""

from __future__ import annotations

from tests.ui.helpers import add_patient


def test_save_lesion_is_disabled_until_a_patient_and_lesion_are_chosen(qtbot, window, dialogs) -> None:
    save = window.lesions.apply
    assert not save.isEnabled() and "Select a patient" in save.toolTip()  # a restart: nothing selected yet
    add_patient(window, dialogs)
    assert not save.isEnabled()  # a patient without lesions: still nothing to save
    bm = window.lesions.body_map
    dialogs.confirms.append(True)
    window.place_lesion("back", 0.5, 0.3, "posterior torso")
    assert window.lesions.current_lesion() is not None and bm.lesions
    assert save.isEnabled() and "Saves" in save.toolTip()
