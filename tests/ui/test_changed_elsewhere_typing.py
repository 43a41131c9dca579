"""A change elsewhere while the user types (helper 155's fresh-eyes findings).

A message box "The register was changed elsewhere" came up mid-word and took the keyboard from the field; a stale save
of free text offered only one side or the other; and every read again aligned the Change tab's pair once more (about a
second of CPU) though nothing of that lesion had changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from dermadesk.services import register_ops as ops
from dermadesk.storage.register import Register
from dermadesk.ui.stale_save import BOTH, KEEP, MINE
from tests.ui.test_cancel import two_captures
from tests.ui.test_changed_elsewhere import patient_with_capture


@pytest.fixture
def elsewhere(data_dir: Path):
    """Another connection to the register: a command, another window or a workstation on a shared folder."""
    reg = Register(data_dir)
    yield reg
    reg.close()


def typing_in(qtbot, window, field, text: str) -> None:
    qtbot.waitExposed(window)
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, text)


def test_the_notice_is_a_strip_in_the_window_and_the_keyboard_stays_in_the_field(
    qtbot, window, dialogs, tmp_path, elsewhere
) -> None:
    pid, _, _ = patient_with_capture(window, tmp_path)
    notes = window.patient_form.notes
    typing_in(qtbot, window, notes, "A: latex all")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.add_lesion(elsewhere, "cli", pid, "head/neck")  # elsewhere, mid-word
    banner = window.watch.banner
    assert banner.isVisible() and banner.parentWidget().isAncestorOf(window.patient_form)  # above the patient form
    said = banner.text.text()
    assert "read again" in said and "not saved, kept as you typed it: notes of patient EL-1." in said
    assert QApplication.activeModalWidget() is None and dialogs.notices == dialogs.infos == dialogs.errors == []
    assert QApplication.focusWidget() is notes and notes.hasFocus()  # the keyboard is where it was
    qtbot.keyClicks(notes, "ergy")  # the word finished where it was begun
    assert notes.toPlainText() == "A: latex allergy" and banner.isVisible()
    assert "unsaved typing kept" in window.statusBar().currentMessage()  # the status bar says it too
    window.patient_form.save.click()  # the typing it names is saved: the strip goes by itself
    assert ops.patient(window.session.register, pid).notes == "A: latex allergy"
    assert not banner.isVisible() and dialogs.questions == []


def test_the_strip_goes_when_the_kept_typing_is_let_go_and_its_cross_closes_it(
    qtbot, window, dialogs, tmp_path, elsewhere
) -> None:
    pid, _, _ = patient_with_capture(window, tmp_path)
    other = ops.add_patient(window.session.register, "t", "EL-2", "Other Patient").id
    window.refresh(pid)
    typing_in(qtbot, window, window.assessment.notes, "benign pattern")
    window.patient_form.name.setText("Else Where-Smith")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.update_patient(elsewhere, "cli", other, {"notes": "moved"})
    banner = window.watch.banner
    said = banner.text.text()
    assert "kept as you typed it: name of patient EL-1; clinician's notes of Lesion 1's capture of 5 Jan 2026." in said
    window.patient_form.notes.setPlainText("moving abroad")  # another field typed in: named too
    window.watch.poll()
    assert "name and notes of patient EL-1;" in banner.text.text()
    window.patient_form.name.setText("Else Where")  # typed back as it was: the notes still kept
    window.patient_form.notes.setPlainText("seen 2025")  # and these: only the clinician's notes are kept now
    window.watch.poll()
    assert banner.isVisible() and "of patient" not in banner.text.text()
    assert "it: clinician's notes of Lesion 1's capture of 5 Jan 2026." in banner.text.text()
    dialogs.choices.append("discard")
    window.patients.select_patient(other)  # Discard: the typing is let go, and the strip with it
    qtbot.waitUntil(lambda: window.selection.patient_id == other)
    assert not banner.isVisible() and window.assessment.unsaved_review() is None
    window.refresh(pid)
    typing_in(qtbot, window, window.assessment.notes, "seen again")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.update_patient(elsewhere, "cli", other, {"notes": "moved abroad"})
    assert banner.isVisible()
    banner.close_button.click()  # × : closed, the typing kept as it was
    assert not banner.isVisible() and window.assessment.notes.toPlainText() == "seen again"
    assert window.assessment.notes.hasFocus()  # the cross takes no focus either


def test_the_strip_names_the_lesion_and_review_fields_typed_in(qtbot, window, dialogs, tmp_path, elsewhere) -> None:
    pid, _, _ = patient_with_capture(window, tmp_path)
    window.lesions.label.setText("left scapula")
    window.assessment.decision.setCurrentText("refer")
    window.assessment.notes.setPlainText("asymmetric")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.add_lesion(elsewhere, "cli", pid, "head/neck")
    said = window.watch.banner.text.text()
    assert "it: label of Lesion 1; decision and clinician's notes of Lesion 1's capture of 5 Jan 2026." in said
    assert dialogs.questions == []


def test_keep_both_saves_the_stored_notes_then_the_ones_typed_here(qtbot, window, dialogs, tmp_path, elsewhere) -> None:
    _, _, cid = patient_with_capture(window, tmp_path)
    reg, view = window.session.register, window.assessment
    view.notes.setPlainText("A: regular network, benign")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.review_capture(elsewhere, "cli", cid, None, "B: asymmetric, photograph again")
    dialogs.choices.append(BOTH)
    view.save.click()
    [(_, message)] = dialogs.questions
    assert dialogs.offered == [[KEEP, MINE, BOTH]] and f"or {BOTH} (the stored text, then yours under it)?" in message
    both = "B: asymmetric, photograph again\n\nA: regular network, benign"
    assert reg.captures.get(cid).clinician_notes == both
    assert view.notes.toPlainText() == both and view.unsaved_review() is None  # the box shows what is stored
    saved, before = reg.audit.entries("capture", cid)[:2]  # audited as any save of a review
    assert (saved.actor, saved.action) == (window.session.actor, before.action)
    assert saved.before == {"clinician_notes": "B: asymmetric, photograph again"}
    assert saved.after["clinician_notes"] == both
    assert "saved" in window.statusBar().currentMessage()


def test_keep_both_is_not_offered_for_a_decision(qtbot, window, dialogs, tmp_path, elsewhere) -> None:
    _, _, cid = patient_with_capture(window, tmp_path)
    view = window.assessment
    view.decision.setCurrentText("monitor")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.review_capture(elsewhere, "cli", cid, "refer", "")
    dialogs.choices.append(KEEP)
    view.save.click()
    assert dialogs.offered == [[KEEP, MINE]] and window.session.register.captures.get(cid).decision == "refer"


def test_a_change_elsewhere_to_another_record_keeps_the_change_tabs_comparison(
    qtbot, window, tmp_path, elsewhere
) -> None:
    reg = window.session.register
    lid = two_captures(window, tmp_path)
    other = ops.add_patient(reg, "t", "EL-3", "Someone Else").id
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    shown = window.comparison.result
    started: list[Any] = []
    window.session.runner.started.connect(started.append)
    window.comparisons.comparing.connect(lambda: started.append("comparing"))
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.update_patient(elsewhere, "cli", other, {"notes": "moved abroad"})
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.review_capture(elsewhere, "cli", reg.captures.for_lesion(lid)[0].id, "monitor", "")  # a review: no picture
    assert started == [] and window.comparison.result is shown and window.selection.lesion_id == lid
    follow = reg.captures.for_lesion(lid)[-1]
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):  # this lesion's capture corrected: again
        ops.edit_capture(elsewhere, "cli", follow.id, {"mm_per_px": 0.03})
    assert [t.name for t in started if t != "comparing"] == ["Comparing with baseline"]
    assert window.comparison.result is not shown


def test_no_to_unsaved_notes_shows_the_notes_stored_now(qtbot, window, dialogs, tmp_path, elsewhere) -> None:
    """A tester's steps: notes 'first' from a command, " typed" at their end, 'second' from a command (the strip
    says it), another lesion clicked, "Save them now?" No: the form said 'first' (the copy it was filled with before
    the typing), not 'second', until the next Save patient."""
    pid, lid, _ = patient_with_capture(window, tmp_path)
    other = ops.add_lesion(elsewhere, "cli", pid, "head/neck").id
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.update_patient(elsewhere, "cli", pid, {"notes": "first"})
    form = window.patient_form
    qtbot.waitUntil(lambda: form.notes.toPlainText() == "first" and len(window.lesions.lesions) == 2)
    typing_in(qtbot, window, form.notes, "first typed")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.update_patient(elsewhere, "cli", pid, {"notes": "second"})
    assert window.watch.banner.isVisible() and "notes of patient EL-1" in window.watch.banner.text.text()
    assert form.notes.toPlainText() == "first typed"  # the typing kept meanwhile
    dialogs.choices.append("discard")  # "Save them now?" Discard
    window.lesions.select_lesion(other)
    [(title, message)] = dialogs.questions
    assert title == "Unsaved changes" and "• notes of patient EL-1 Else Where\n" in message  # as the strip names it
    assert form.notes.toPlainText() == "second" and not form.changes()  # what is stored now
    assert ops.patient(window.session.register, pid).notes == "second" and window.selection.lesion_id == other
    assert not window.watch.banner.isVisible()  # nothing it names is unsaved now
