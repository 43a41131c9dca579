"""File > Back up... writes where the user meant or not at all: a folder that is not there (a USB drive pulled out
after it was chosen) is said and never made on the local disk; a name typed without ".zip" is written with it
(File > Restore from backup... lists .zip files), asking first where that name is an existing file. Real register,
real window, real backup files."""

from __future__ import annotations

from pathlib import Path

from dermadesk.storage.backup import verify_archive
from tests.ui.test_maintenance import filled, finish, typed  # noqa: F401 - typed is a fixture


def test_a_folder_not_there_is_said_and_never_made(qtbot, window, dialogs, typed, tmp_path: Path) -> None:  # noqa: F811
    filled(window, tmp_path)
    usb = tmp_path / "media" / "usb"
    dialogs.saves.append(str(usb / "monday.zip"))
    typed.append("")  # no passphrase
    window.maintenance.back_up()
    finish(qtbot, window)
    assert dialogs.errors == [
        ("Backup failed", f"Folder {usb} does not exist (is the drive connected?); nothing was written")
    ]
    assert not (tmp_path / "media").exists() and not dialogs.infos


def test_a_name_without_zip_is_written_with_it(qtbot, window, dialogs, typed, tmp_path: Path) -> None:  # noqa: F811
    filled(window, tmp_path)
    dialogs.saves.append(str(tmp_path / "bk1"))
    typed.append("")
    window.maintenance.back_up()
    finish(qtbot, window)
    title, text = dialogs.infos[-1]
    assert title == "Backup written" and text.startswith(f"Backup written to\n{tmp_path / 'bk1.zip'}\n")
    assert not (tmp_path / "bk1").exists() and verify_archive(tmp_path / "bk1.zip")["counts"]["patients"] == 1
    assert not dialogs.questions  # nothing there by that name: nothing to ask


def test_an_existing_file_of_the_name_with_zip_is_asked_about(qtbot, window, dialogs, typed, tmp_path: Path) -> None:  # noqa: F811
    filled(window, tmp_path)
    kept = tmp_path / "bk1.zip"
    kept.write_bytes(b"last week's backup")
    dialogs.saves.append(str(tmp_path / "bk1"))  # the save dialog asked about "bk1", not "bk1.zip"
    dialogs.confirms.append(False)
    assert window.maintenance.back_up() is None
    assert dialogs.questions == [
        ("Back up", f"bk1.zip already exists in\n{tmp_path}\n\nReplace it with the new backup?")
    ]
    assert dialogs.confirm_defaults == [False] and kept.read_bytes() == b"last week's backup"
    dialogs.saves.append(str(tmp_path / "bk1"))
    dialogs.confirms.append(True)
    typed.append("")
    window.maintenance.back_up()
    finish(qtbot, window)
    assert dialogs.infos[-1][0] == "Backup written" and verify_archive(kept)["counts"]["patients"] == 1
