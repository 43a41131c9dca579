"""A decision saved on a later capture answers the earlier REFER result nobody decided on: the status bar says so (a
clinician is not surprised that the earlier result's flag goes), the list's flag and the red line go, and the earlier
capture, shown again, asks nothing of its own (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from tests.services.test_standing import lesion_with_results


def test_save_review_on_a_later_capture_says_it_answers_the_earlier_result(window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lid = lesion_with_results(reg, Path(tmp_path), ["refer", "monitor"])  # 10 Mar REFER, 2 Jun MONITOR
    first, later = (c.id for c in reg.captures.for_lesion(lid))
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, later)
    prompt = window.referral_prompt
    assert prompt.isVisible() and "earlier result REFER on 10 Mar 2026 without a recorded decision" in prompt.said
    assert window.lesions.list.item(0).text().startswith("⚠ REFER")
    window.assessment.decision.setCurrentText("monitor")
    window.assessment.save.click()
    assert window.statusBar().currentMessage() == (
        "Decision 'monitor' saved (Lesion 1, capture of 2 Jun 2026); this decision also answers the earlier REFER "
        "result of 10 Mar 2026, on which no decision was recorded"
    )
    assert not prompt.isVisible() and not window.lesions.list.item(0).text().startswith("⚠")
    window.show_lesion(lid, first)  # the REFER capture itself: answered since, no red line for it
    assert window.selection.capture_id == first and not prompt.isVisible()
    window.show_lesion(lid, later)
    window.assessment.notes.setPlainText("benign pattern")
    window.assessment.save.click()  # the notes only: the decision said nothing new, nor does its answer
    assert window.statusBar().currentMessage() == "Notes saved (Lesion 1, capture of 2 Jun 2026)"
