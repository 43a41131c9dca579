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
