"""Saving the patient jumped to another lesion: with Lesion 2 chosen, Save patient showed Lesion 1 and its latest
capture. A save that shows the lists again (patient details, the lesion form, a decision and the status it offers,
Mark as referred) keeps the lesion and the capture on screen (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import lesion_jpeg

from dermadesk.services.captures import CaptureMeta, import_files


def two_lesions(window, tmp_path: Path) -> tuple[int, int]:
    """A patient with two lesions, the second with three captures; shown on the second lesion's first capture.
    Returns (that lesion, that capture)."""
    reg = window.session.register
    pid = reg.patients.add("t", "KEEP-1", "Keep Selection", birth_date="1961-03-12").id
    reg.lesions.add("t", pid, "posterior torso")
    second = reg.lesions.add("t", pid, "upper extremity").id
    for i, date in enumerate(("2026-08-25", "2026-10-01", "2026-11-23")):
        f = tmp_path / f"keep-{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=30 + i))
        import_files(reg, "t", second, [f], CaptureMeta(taken_at=date))
    first_capture = reg.captures.for_lesion(second)[0].id
    window.refresh(pid)
    window.lesions.select_lesion(second)
    window.timeline.setCurrentRow(0)
    assert (window.selection.lesion_id, window.selection.capture_id) == (second, first_capture)
    return second, first_capture


def still_on(window, lesion_id: int, capture_id: int) -> bool:
    """The selection, the lesion list, the lesion form and the capture list all on that lesion and capture."""
    panel = window.lesions
    return (
        (window.selection.lesion_id, window.selection.capture_id) == (lesion_id, capture_id)
        and panel.current_lesion() is not None
        and panel.current_lesion().id == lesion_id
        and panel.shown is not None
        and panel.shown.id == lesion_id
        and window.timeline.current_capture_id() == capture_id
        and window.assessment.capture is not None
        and window.assessment.capture.id == capture_id
    )


def test_save_patient_keeps_the_lesion_and_capture_on_screen(qtbot, window, tmp_path: Path) -> None:
    lesion, capture = two_lesions(window, tmp_path)
    window.patient_form.notes.setPlainText("Allergic to plasters")
    window.patient_form.save.click()
    assert window.statusBar().currentMessage() == "Patient KEEP-1 saved (notes)"
    assert still_on(window, lesion, capture)
    window.patient_form.name.setText("Keep Selection-Berg")  # a new name: the patient list shows it
    window.patient_form.save.click()
    assert still_on(window, lesion, capture)
    row = window.patients.list.currentIndex()
    assert "Keep Selection-Berg" in row.data()


def test_saving_the_lesion_form_keeps_the_capture(qtbot, window, tmp_path: Path) -> None:
    lesion, capture = two_lesions(window, tmp_path)
    window.lesions.label.setText("right forearm")
    window.lesions.apply.click()
    assert window.lesions.shown.label == "right forearm"
    assert still_on(window, lesion, capture)  # not the lesion's latest capture


def test_a_decision_and_the_status_it_offers_keep_the_lesion_and_capture(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    lesion, capture = two_lesions(window, tmp_path)
    dialogs.confirms.append(True)  # "Mark Lesion 2 as 'referred' too?": yes (what Mark as referred does)
    window.assessment.decision.setCurrentText("refer")
    window.assessment.notes.setPlainText("Grew since August")
    window.assessment.save.click()
    assert any("referred" in q for _, q in dialogs.questions)
    assert window.session.register.lesions.get(lesion).status == "referred"
    assert still_on(window, lesion, capture)
    window.corrections.edit_lesion({"status": "monitoring"}, "Mark lesion as monitoring")  # the prompt's button
    assert still_on(window, lesion, capture)
