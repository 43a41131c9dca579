"""``db export FOLDER`` makes FOLDER only in a folder that is there: an export to a USB drive that is not connected
is refused as a backup's, a report's and a transfer package's are ("folder /media/usb does not exist (is the drive
connected?); nothing was written"), never written into folders made on the local disk in its place. The app's
File > Export register (the same service) refuses it too. A real register, the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.domain.errors import NotFoundError
from dermadesk.services.maintenance import export_register
from dermadesk.storage.register import Register
from tests.test_cli import run


@pytest.fixture
def registered(capsys, data_dir: Path) -> Path:
    assert run(capsys, "patient", "add", "--mrn", "E-1", "--name", "Ex Port")[0] == 0
    return data_dir


def test_an_export_to_a_drive_not_connected_is_refused_and_nothing_made(capsys, registered, tmp_path: Path) -> None:
    usb = tmp_path / "media" / "usb"  # the stick not mounted: its folder is not there
    said = f"folder {usb} does not exist (is the drive connected?); nothing was written"
    assert run(capsys, "db", "export", str(usb / "export")) == (1, "", f"dermadesk: error: {said}\n")
    code, out, _ = run(capsys, "db", "export", str(usb / "export"), "--json")
    assert code == 1 and json.loads(out) == {"error": said}
    assert not (tmp_path / "media").exists()  # no folder made on the local disk in the stick's place
    with Register(registered) as reg, pytest.raises(NotFoundError, match=r"is the drive connected\?"):
        export_register(reg, usb / "export")  # File > Export register
    assert not (tmp_path / "media").exists()


def test_a_new_folder_in_one_that_is_there_is_still_made(capsys, registered, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "db", "export", "exported")  # a name alone: in the current folder
    assert code == 0 and out.startswith("exported into exported: ")
    assert (tmp_path / "exported" / "patients.csv").read_text(encoding="utf-8-sig").count("Ex Port") == 1


def test_an_export_into_a_file_says_it_is_a_file_not_a_missing_drive(capsys, registered, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    assert run(capsys, "db", "export", str(notes / "export")) == (
        1,
        "",
        f"dermadesk: error: {notes} is a file, not a folder; nothing was written\n",
    )
    inside = notes / "a"
    assert run(capsys, "db", "export", str(inside / "export"))[2] == (
        f"dermadesk: error: folder {inside} cannot be made: {notes} is a file, not a folder; nothing was written\n"
    )
    assert run(capsys, "db", "export", str(notes))[2] == (  # the file itself given for the folder
        f"dermadesk: error: {notes} is a file, not a folder: give the folder to export into; nothing was written\n"
    )
    assert run(capsys, "backup", str(notes / "b.zip"))[2] == (  # as a backup's (and a report's, a package's) say
        f"dermadesk: error: {notes} is a file, not a folder; nothing was written\n"
    )
    for given in (notes, notes / "export"):  # File > Export register says the same
        with Register(registered) as reg, pytest.raises(NotFoundError, match="is a file, not a folder"):
            export_register(reg, given)
    assert notes.read_text(encoding="utf-8") == "mine" and sorted(p.name for p in tmp_path.iterdir()) == [
        "data",
        "notes.txt",
    ]
