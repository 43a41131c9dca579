"""Edit > Settings... > Data directory: saved on Save (in this workstation's file) after what the folder holds was
said, used by the next start and shown in its status bar, refused with a clear message where it cannot be used;
--data-dir and DERMADESK_DATA_DIR still win; the register open now is never moved or copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from dermadesk.bench.crafted import fill_register
from dermadesk.config import DATA_DIR_ENV, REGISTER_FILE, Settings, chosen_data_dir, choose_data_dir
from dermadesk.storage.lost_register import NEW_ANYWHERE, NEW_IN_FOLDER
from dermadesk.ui.app import folder_to_open, open_window
from dermadesk.ui.settings_dialog import SettingsDialog
from tests.ui.helpers import add_patient

TITLE = "Data directory"


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.name.startswith(REGISTER_FILE)}


def _save_with(dialogs, folder: str, clinic: str | None = None) -> list[bool]:
    """A filler that types ``folder`` (and a clinic name) and presses Save; ``accepted`` says whether it closed."""
    accepted: list[bool] = []

    def fill(d: SettingsDialog) -> bool:
        d.data_dir.setText(folder)
        if clinic is not None:
            d.clinic.setText(clinic)
        d.accept()
        accepted.append(d.result() == QDialog.DialogCode.Accepted)
        return accepted[-1]

    dialogs.fillers.append(fill)
    return accepted


def _next_start(qtbot, dialogs, explicit: str | None = None):
    start = folder_to_open(explicit, dialogs)
    assert start is not None
    window = open_window(start[0], dialogs, new=start[1])
    assert window is not None
    qtbot.addWidget(window)
    return window, start[1]


def _close(window) -> None:
    window.session.runner.wait(20000)
    window.images.pool.waitForDone(20000)
    window.session.register.close()


def test_a_new_folder_is_kept_on_save_and_the_next_start_opens_it(
    qtbot, window, dialogs, standard: Path, tmp_path: Path
) -> None:
    add_patient(window, dialogs)
    here = window.session.data_dir
    before = _files(here)
    usb = tmp_path / "usb"
    usb.mkdir()
    dialogs.confirms.append(True)
    accepted = _save_with(dialogs, str(usb / "DermaDesk"), clinic="North Clinic")
    window.open_settings()
    assert accepted == [True]
    title, question = dialogs.questions[-1]
    assert title == TITLE and f"{usb / 'DermaDesk'} does not exist yet. Make this folder now" in question
    assert f"The register open now ({here}, 1 patient) is not moved or copied" in question
    assert chosen_data_dir() == usb / "DermaDesk"
    assert [p.name for p in (usb / "DermaDesk").iterdir()] == []  # made, empty: nothing moved or copied into it
    assert Settings.load(here).clinic_name == "North Clinic"  # the other settings saved as before
    assert {p: b for p, b in _files(here).items() if p.name != "settings.json"} == {
        p: b for p, b in before.items() if p.name != "settings.json"
    }
    assert window.data_label.text() == f"Data: {here}"  # this window keeps its register
    nxt, new = _next_start(qtbot, dialogs)
    try:
        assert new == NEW_IN_FOLDER and nxt.session.data_dir == usb / "DermaDesk"
        assert nxt.data_label.text() == f"Data: {usb / 'DermaDesk'}"
        assert nxt.patients.model.rowCount() == 0 and (usb / "DermaDesk" / REGISTER_FILE).is_file()
    finally:
        _close(nxt)
    assert window.session.register.patients.count() == 1


def test_another_register_is_named_before_it_is_chosen_and_opened_next(
    qtbot, window, dialogs, standard: Path, tmp_path: Path
) -> None:
    other = tmp_path / "clinic"
    fill_register(other, patients=2, captures=1)
    dialogs.confirms.append(True)
    _save_with(dialogs, str(other))
    window.open_settings()
    question = dialogs.questions[-1][1]
    assert question.startswith(f"{other} holds a DermaDesk register: workstation ") and "2 patients" in question
    nxt, _ = _next_start(qtbot, dialogs)
    try:
        assert nxt.session.data_dir == other and nxt.patients.model.rowCount() == 2
    finally:
        _close(nxt)


def test_the_command_line_and_the_environment_still_win(
    qtbot, dialogs, standard: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "chosen").mkdir()
    choose_data_dir(tmp_path / "chosen")
    assert folder_to_open(str(tmp_path / "flag"), dialogs) == ((tmp_path / "flag").resolve(), NEW_IN_FOLDER)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert folder_to_open(None, dialogs) == ((tmp_path / "env").resolve(), NEW_IN_FOLDER)
    monkeypatch.delenv(DATA_DIR_ENV)
    assert folder_to_open(None, dialogs) == (tmp_path / "chosen", NEW_IN_FOLDER)
    choose_data_dir(None)
    assert folder_to_open(None, dialogs) == (standard, NEW_ANYWHERE)
    assert dialogs.questions == []


def test_bad_folders_are_refused_with_the_reason_and_nothing_is_kept(
    qtbot, window, dialogs, standard: Path, tmp_path: Path
) -> None:
    lost = tmp_path / "lost"
    fill_register(lost, patients=1, captures=2)
    (lost / REGISTER_FILE).unlink()
    cases = [
        (str(tmp_path / "gone" / "DermaDesk"), "nor the folder it would go in"),
        (str(lost), f"{lost} has no {REGISTER_FILE}, but its images folder holds 2 files of an earlier register"),
        ("DermaDesk", "'DermaDesk' is not a whole path"),
        (str(window.session.data_dir / "images"), "inside the data folder of the register open now"),
    ]
    for typed, said in cases:
        accepted = _save_with(dialogs, typed)
        window.open_settings()
        assert accepted == [False]  # the dialog stays open: the folder can be corrected
        title, message = dialogs.errors[-1]
        assert title == TITLE and said in message and message.endswith("The data folder was not changed."), message
    assert dialogs.questions == [] and chosen_data_dir() is None
    assert not (tmp_path / "gone").exists() and not (lost / REGISTER_FILE).exists()


def test_no_to_the_question_keeps_nothing_and_makes_nothing(qtbot, window, dialogs, standard, tmp_path) -> None:
    dialogs.confirms.append(False)
    accepted = _save_with(dialogs, str(tmp_path / "new"))
    window.open_settings()
    assert accepted == [False] and chosen_data_dir() is None and not (tmp_path / "new").exists()


def test_browse_fills_the_field_and_an_unchanged_field_keeps_nothing(qtbot, window, dialogs, standard, tmp_path):
    dialog = SettingsDialog(Settings(), window.session.data_dir, [], None, dialogs, window.session.register)
    qtbot.addWidget(dialog)
    assert dialog.data_dir.text() == str(standard)  # what the next start opens, not this window's folder
    assert (
        f"Opened from the next start (this window uses {window.session.data_dir})."
        in dialog.data_note.text().replace("\u200b", "")
    )
    assert "not moved or copied" in dialog.data_note.text() and "Restore from backup..." in dialog.data_note.text()
    dialogs.folders.append(str(tmp_path / "picked"))
    dialog.browse.click()
    assert dialog.data_dir.text() == str(tmp_path / "picked")
    assert dialogs.asked == [(TITLE, str(tmp_path))]  # opened where the shown folder's nearest existing parent is
    unchanged = SettingsDialog(Settings(), window.session.data_dir, [], None, dialogs, window.session.register)
    qtbot.addWidget(unchanged)
    unchanged.accept()
    assert unchanged.result() == QDialog.DialogCode.Accepted and chosen_data_dir() is None and not standard.exists()


def test_a_chosen_folder_that_cannot_be_opened_offers_the_standard_one_this_time(
    qtbot, dialogs, standard: Path, tmp_path: Path
) -> None:
    from dermadesk.ui.lost_folder_start import CHOOSE, OPEN_STANDARD, QUIT, TRY_AGAIN

    usb = tmp_path / "usb" / "DermaDesk"
    choose_data_dir(usb)
    assert folder_to_open(None, dialogs) is None  # Enter and Escape: Quit, the app does not start
    title, question = dialogs.questions[-1]
    assert title == "The chosen data folder cannot be opened"
    assert f"The folder chosen in Settings for the register, {usb}, is not there" in question
    assert "make the folder first" not in question  # the command line's advice: here, connect the disk
    assert dialogs.offered[-1] == [QUIT, TRY_AGAIN, OPEN_STANDARD, CHOOSE] and dialogs.choose_defaults[-1] == QUIT
    assert f"{standard} (a new, empty one where there is none yet), for this start only" in question
    assert "patients added there are not in the chosen folder's" in question and "Tried again" not in question
    dialogs.choices.extend([TRY_AGAIN, OPEN_STANDARD])  # the drive is still not there: asked again, and said so
    assert folder_to_open(None, dialogs) == (standard, NEW_ANYWHERE)
    assert len(dialogs.questions) == 3 and "still not there" in dialogs.questions[-1][1]
    assert chosen_data_dir() == usb and not usb.exists()


def test_a_chosen_folder_with_an_earlier_registers_images_but_no_register_says_why(
    qtbot, dialogs, standard: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb" / "DermaDesk"
    (usb / "images").mkdir(parents=True)
    (usb / "images" / "a.png").write_bytes(b"x")
    choose_data_dir(usb)
    assert folder_to_open(None, dialogs) is None
    question = dialogs.questions[-1][1]
    assert (
        "cannot be opened:" in question and "the register file deleted" in question and "is not there" not in question
    )


def test_try_again_opens_the_chosen_folder_once_its_drive_is_connected(
    qtbot, dialogs, standard: Path, tmp_path: Path
) -> None:
    """A clinic's register on a USB disk: the disk plugged in while the question is up, Try again opens it."""
    from dermadesk.storage.register import Register
    from dermadesk.ui.lost_folder_start import TRY_AGAIN

    usb = tmp_path / "usb" / "DermaDesk"
    drive = tmp_path / "drive" / "DermaDesk"
    Register(drive).close()  # the register, on a disk not yet connected
    choose_data_dir(usb)
    asked = dialogs.choose

    def plug_in_then_answer(*args, **kwargs):
        answer = asked(*args, **kwargs)
        if not usb.exists():
            usb.parent.mkdir(parents=True)
            drive.rename(usb)
        return answer

    dialogs.choose = plug_in_then_answer
    dialogs.choices.append(TRY_AGAIN)
    assert folder_to_open(None, dialogs) == (usb, NEW_IN_FOLDER)
    assert len(dialogs.questions) == 1 and chosen_data_dir() == usb


def test_another_folder_chosen_at_the_start_is_kept(qtbot, dialogs, standard: Path, tmp_path: Path) -> None:
    from dermadesk.ui.lost_folder_start import CHOOSE, QUIT

    usb, other = tmp_path / "usb" / "DermaDesk", tmp_path / "clinic"
    choose_data_dir(usb)
    other.mkdir()
    dialogs.choices.extend([CHOOSE, QUIT])
    dialogs.folders.append(None)  # the folder dialog cancelled: asked again, then Quit
    assert folder_to_open(None, dialogs) is None
    dialogs.choices.append(CHOOSE)
    dialogs.folders.append(str(other))
    dialogs.confirms.append(True)  # "... holds no register: DermaDesk makes a new, empty register there. Open ...?"
    assert folder_to_open(None, dialogs) == (other, NEW_IN_FOLDER)
    assert chosen_data_dir() == other and not usb.exists()


def test_a_portable_installation_shows_its_folder_read_only(qtbot, window, dialogs, tmp_path, monkeypatch) -> None:
    import sys

    from dermadesk.config import PORTABLE_MARKER

    monkeypatch.delenv(DATA_DIR_ENV)
    exe = tmp_path / "app" / "DermaDesk"
    exe.parent.mkdir()
    (exe.parent / PORTABLE_MARKER).write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    dialog = SettingsDialog(Settings(), window.session.data_dir, [], None, dialogs, window.session.register)
    qtbot.addWidget(dialog)
    assert dialog.data_dir.isReadOnly() and not dialog.browse.isEnabled()
    assert dialog.data_dir.text() == str(exe.parent / "DermaDeskData")
    assert dialog.data_note.text().startswith("Portable installation: the data always stays in the DermaDeskData")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and chosen_data_dir() is None
