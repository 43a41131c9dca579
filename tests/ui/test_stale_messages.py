"""Status messages that outlived what they said: "Patient C-1001 added: click the body map where a lesion is to
place it" stood on after the lesion was placed, and "Lesion 2 saved (status: referred); comparison updated" followed
Mark as referred, though a status changes no comparison (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.ui.first_run import NEXT_STEP
from tests.services.test_standing import lesion_with_results
from tests.ui.helpers import add_patient, click_body


def test_placing_a_lesion_says_the_next_step_not_the_last_one(qtbot, window, dialogs) -> None:
    add_patient(window, dialogs, "C-1001", "Maria Lindqvist")
    bar = window.statusBar()
    assert bar.currentMessage() == "Patient C-1001 added: click the body map where a lesion is to place it"
    dialogs.confirms.append(True)  # "Add a lesion on the ... here?" Yes
    click_body(qtbot, window, "back", 0.4, 0.3)
    lesion = window.session.register.lesions.get(window.selection.lesion_id)
    assert bar.currentMessage() == f"Lesion 1 added ({lesion.sided_site}): {NEXT_STEP}"
    assert "click the body map" not in bar.currentMessage()


def test_mark_as_referred_says_what_it_saved_and_no_comparison(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["refer", "urgent"])  # two captures: a comparison of the pair stands
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid)
    prompt = window.referral_prompt
    qtbot.waitUntil(prompt.isVisible)
    compared = len(reg.comparisons.for_lesion(lid))
    prompt.button.click()  # Mark lesion as referred
    assert reg.lesions.get(lid).status == "referred"
    assert window.statusBar().currentMessage() == "Lesion 1 saved (status: referred)"
    assert not window.session.runner.running  # nothing compared again, so nothing to say about it later
    assert len(reg.comparisons.for_lesion(lid)) == compared
    window.corrections.stack.undo()  # its undo neither
    assert reg.lesions.get(lid).status == "monitoring" and not window.session.runner.running
    assert window.statusBar().currentMessage() == "Undone: Mark lesion as referred"
