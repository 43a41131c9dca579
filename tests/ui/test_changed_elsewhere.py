"""An open window shows what others change in the register, and a save never overwrites it without a word.

Walkthrough: four captures added with ``dermadesk capture add`` while the app was open did not appear until a restart;
two windows on one folder saved patient notes over each other ("A: latex allergy", then "B: moving abroad in
January": B's kept, A still showed its own as saved), and the same with a clinician's review."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.storage.register import Register
from dermadesk.ui.stale_save import BOTH, KEEP, MINE
from dermadesk.ui.stale_save import TITLE as ASKED
from tests.conftest import lesion_jpeg

ROOT = Path(__file__).parents[2]


def patient_with_capture(window, tmp_path: Path) -> tuple[int, int, int]:
    """(patient, lesion, capture) in the window's register, shown in it: notes "seen 2025", one capture."""
    reg = window.session.register
    pid = ops.add_patient(reg, "t", "EL-1", "Else Where", notes="seen 2025").id
    lid = ops.add_lesion(reg, "t", pid, "posterior torso").id
    image = tmp_path / "first.jpg"
    image.write_bytes(lesion_jpeg(seed=3))
    [capture] = import_files(reg, "t", lid, [image], CaptureMeta(taken_at="2026-01-05")).captures
    window.refresh(pid)
    return pid, lid, capture.id


@pytest.fixture
def elsewhere(data_dir: Path):
    """Another connection to the register: a command, another window or a workstation on a shared folder."""
    reg = Register(data_dir)
    yield reg
    reg.close()


def test_captures_added_from_the_command_line_appear_on_the_same_capture(qtbot, window, tmp_path, data_dir) -> None:
    pid, lid, first = patient_with_capture(window, tmp_path)
    assert window.selection.capture_id == first and window.timeline.count() == 1
    files = []
    for seed in (4, 5):
        files.append(tmp_path / f"later{seed}.jpg")
        files[-1].write_bytes(lesion_jpeg(seed=seed))
    command = [sys.executable, "-m", "dermadesk", "capture", "add", "--lesion", str(lid), "--no-assess"]
    command += ["--taken", "2026-04-01", "--data-dir", str(data_dir), *map(str, files)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)
    qtbot.waitUntil(lambda: window.timeline.count() == 3)  # read again by the window's watch, no restart
    assert window.selection.capture_id == first and window.timeline.current_capture_id() == first  # kept
    assert window.patients.model.row_of(pid) >= 0 and window.selection.patient_id == pid
    assert "changed elsewhere" in window.statusBar().currentMessage()


def test_typing_not_saved_is_kept_and_the_rest_read_again(qtbot, window, dialogs, tmp_path, elsewhere) -> None:
    pid, lid, cid = patient_with_capture(window, tmp_path)
    window.patient_form.notes.setPlainText("A: latex allergy")
    window.assessment.notes.setPlainText("benign pattern")
    ops.add_lesion(elsewhere, "cli", pid, "head/neck")  # a second lesion, added elsewhere
    qtbot.waitUntil(lambda: len(window.lesions.lesions) == 2)
    assert window.patient_form.notes.toPlainText() == "A: latex allergy"  # nothing typed is thrown away
    assert window.assessment.notes.toPlainText() == "benign pattern" and window.selection.capture_id == cid
    assert window.selection.lesion_id == lid and dialogs.questions == []  # nothing asked meanwhile
    banner = window.watch.banner  # said in the window, not in a message box
    said = banner.text.text()
    assert banner.isVisible() and "kept as you typed it: notes of patient EL-1; clinician's notes of Lesion 1's" in said
    assert "Else Where" not in said  # the fields typed in, not the patient's name
    assert dialogs.notices == []
    banner.close_button.click()
    ops.add_lesion(elsewhere, "cli", pid, "palms/soles")
    qtbot.waitUntil(lambda: len(window.lesions.lesions) == 3)
    assert not banner.isVisible()  # the same typing is said once, not at every change


def test_a_patient_save_over_notes_changed_elsewhere_asks(qtbot, window, dialogs, tmp_path, elsewhere) -> None:
    pid, _, _ = patient_with_capture(window, tmp_path)
    window.patient_form.notes.setPlainText("A: latex allergy")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.update_patient(elsewhere, "cli", pid, {"notes": "B: moving abroad in January"})
    dialogs.choices.append(KEEP)
    window.patient_form.save.click()
    [(title, message)] = dialogs.questions
    assert title == ASKED and "notes of patient EL-1 Else Where changed elsewhere" in message
    assert "Notes, stored now:\nB: moving abroad in January\nNotes, yours:\nA: latex allergy" in message
    assert dialogs.offered == [[KEEP, MINE, BOTH]]  # notes: free text, both may be kept
    assert dialogs.choose_defaults == [None]  # Enter answers Cancel: a reflex lets neither text go
    assert message.endswith("Cancel saves nothing and keeps your typing here.")
    assert ops.patient(window.session.register, pid).notes == "B: moving abroad in January"
    form = window.patient_form
    assert form.notes.toPlainText() == "B: moving abroad in January" and not form.changes()  # the stored one shown
    window.patient_form.notes.setPlainText("A: latex allergy")  # typed again over what is shown now: no question
    window.patient_form.save.click()
    assert len(dialogs.questions) == 1 and ops.patient(window.session.register, pid).notes == "A: latex allergy"


def test_two_windows_on_one_folder_no_longer_overwrite_each_other(qtbot, window, dialogs, tmp_path) -> None:
    from dermadesk.ui.app import build_window
    from tests.ui.conftest import ScriptedDialogs

    pid, _, _ = patient_with_capture(window, tmp_path)
    other = ScriptedDialogs()
    b = build_window(window.session.data_dir, other)
    qtbot.addWidget(b)
    b.show()
    try:
        b.refresh(pid)
        b.patient_form.notes.setPlainText("B: moving abroad in January")  # typed in B, not saved yet
        window.patient_form.notes.setPlainText("A: latex allergy")
        window.patient_form.save.click()  # saved in A
        qtbot.waitUntil(b.watch.banner.isVisible)  # B says the register changed; its typing stays
        assert b.patient_form.notes.toPlainText() == "B: moving abroad in January"
        other.choices.append(MINE)
        b.patient_form.save.click()
        [(_, message)] = other.questions
        assert "stored now:\nA: latex allergy\nNotes, yours:\nB: moving abroad in January" in message
        assert ops.patient(b.session.register, pid).notes == "B: moving abroad in January"  # chosen, not silent
        qtbot.waitUntil(lambda: window.patient_form.notes.toPlainText() == "B: moving abroad in January")  # A shows it
        assert dialogs.questions == []
    finally:
        b.session.runner.wait(20000)
        b.session.register.close()


def test_a_review_saved_over_one_changed_elsewhere_asks(qtbot, window, dialogs, tmp_path, elsewhere) -> None:
    _, _, cid = patient_with_capture(window, tmp_path)
    view = window.assessment
    view.notes.setPlainText("A: regular network, benign")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.review_capture(elsewhere, "cli", cid, "refer", "B: asymmetric, refer")
    assert view.notes.toPlainText() == "A: regular network, benign" and view.decision.currentText() == ""
    dialogs.choices.append(MINE)
    view.save.click()
    [(title, message)] = dialogs.questions
    assert title == ASKED and "The clinician's notes of Lesion 1's capture of" in message
    assert "stored now:\nB: asymmetric, refer\nClinician's notes, yours:\nA: regular network, benign" in message
    stored = ops.capture(window.session.register, cid)  # the notes as chosen; the decision made elsewhere kept
    assert (stored.decision, stored.clinician_notes) == ("refer", "A: regular network, benign")
    assert view.decision.currentText() == "refer" and view.unsaved_review() is None


def test_view_refresh_reads_the_register_again_at_once(qtbot, window, tmp_path, elsewhere) -> None:
    pid, lid, _ = patient_with_capture(window, tmp_path)
    window.watch.timer.stop()  # no poll: only F5
    ops.update_patient(elsewhere, "cli", pid, {"notes": "seen again 2026"})
    ops.update_lesion(elsewhere, "cli", lid, {"label": "left scapula"})
    refresh = next(a for m in window.menuBar().actions() for a in m.menu().actions() if a.text() == "&Refresh")
    assert refresh.shortcut().toString() == "F5"
    refresh.trigger()
    assert window.patient_form.notes.toPlainText() == "seen again 2026"
    assert window.lesions.label.text() == "left scapula"
    assert not window.watch.watch.changed(window.session.register)  # seen: the next poll reads nothing again


def test_the_real_question_answers_cancel_to_enter_and_keeps_the_typing(
    qtbot, window, dialogs, tmp_path, elsewhere
) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from dermadesk.ui.dialogs import DialogService

    pid, _, _ = patient_with_capture(window, tmp_path)
    window.session.dialogs = DialogService(window)  # the real message box
    window.patient_form.notes.setPlainText("A: latex allergy")
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.update_patient(elsewhere, "cli", pid, {"notes": "B: moving abroad in January"})
    seen: list[tuple[list[str], str]] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not shown yet
            QTimer.singleShot(20, press_enter)
            return
        seen.append(([b.text() for b in box.buttons()], box.defaultButton().text()))
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    try:
        window.patient_form.save.click()
    finally:
        window.session.dialogs = dialogs  # scripted again: closing the window asks about the typing kept
    [(buttons, default)] = seen
    assert sorted(buttons) == sorted([KEEP, MINE, BOTH, "Cancel"]) and default == "Cancel"
    assert ops.patient(window.session.register, pid).notes == "B: moving abroad in January"  # nothing saved
    assert window.patient_form.notes.toPlainText() == "A: latex allergy"  # the typing kept
