"""The command line never leaves a new, empty register where it should not: a folder that lost its register file
(images still there), a mistyped or unmounted --data-dir, or any command that only reads. ``db check`` says when
the image files look like another register's, and ``--clean`` leaves them."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.config import REGISTER_FILE
from dermadesk.storage.backup import backup
from dermadesk.storage.check import STALE_AFTER
from tests.test_cli import run


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def copied_without_register(tmp_path: Path) -> Path:
    """A register's folder copied badly: images/ and settings.json, no register.sqlite3."""
    fill_register(tmp_path / "data", patients=2, captures=2)
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "data", copy, ignore=shutil.ignore_patterns(REGISTER_FILE + "*", ".*"))
    (copy / "settings.json").write_text("{}")
    return copy


@pytest.mark.parametrize(
    "argv",
    [
        ["patient", "list"],
        ["patient", "add", "--mrn", "N-1", "--name", "New Person"],
        ["db", "check"],
        ["db", "check", "--clean"],
    ],
)
def test_a_folder_that_lost_its_register_is_refused_naming_it(
    capsys, copied_without_register: Path, argv: list[str]
) -> None:
    before = _files(copied_without_register)
    code, out, err = run(capsys, "--data-dir", str(copied_without_register), *argv)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert f"{copied_without_register} has no {REGISTER_FILE}" in err and "4 files" in err
    assert "no new register was created" in err
    assert _files(copied_without_register) == before  # nothing made, nothing deleted


def test_restore_is_what_brings_such_a_folder_back(capsys, copied_without_register: Path, tmp_path: Path) -> None:
    backup(tmp_path / "data", tmp_path / "b.zip")
    code, out, _ = run(capsys, "--data-dir", str(copied_without_register), "restore", str(tmp_path / "b.zip"))
    assert code == 0 and "restored from b.zip" in out.lower()
    code, out, _ = run(capsys, "--data-dir", str(copied_without_register), "patient", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["patient", "list"],
        ["patient", "show", "P-1"],
        ["lesion", "add", "--patient", "P-1", "--site", "head/neck"],
        ["db", "check"],
        ["compare", "1", "2"],
        ["assess", "--capture", "1"],
    ],
)
def test_a_mistyped_data_dir_is_refused_by_commands_that_read(capsys, tmp_path: Path, argv: list[str]) -> None:
    missing = tmp_path / "does" / "not" / "exist"
    code, out, err = run(capsys, "--data-dir", str(missing), *argv, "--json")
    message = json.loads(out)["error"]
    assert code == 1 and message.startswith(f"no register at {missing} (")
    assert "is the drive connected" in message and message.endswith("nothing was created")
    assert err == f"dermadesk: error: {message}\n" and not (tmp_path / "does").exists()


@pytest.mark.parametrize("make", ["export", "backup", "transfer", "report"])
def test_commands_that_write_a_file_elsewhere_still_only_read_the_register(capsys, tmp_path: Path, make: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()  # there, but no register in it: a read is refused, and nothing is made in it
    argv = {
        "export": ["db", "export", str(tmp_path / "out")],
        "backup": ["backup", str(tmp_path / "b.zip")],
        "transfer": ["transfer", "export", str(tmp_path / "p.ddtx"), "--no-encrypt"],
        "report": ["report", "--patient", "P-1", "--out", str(tmp_path / "r.pdf")],
    }[make]
    code, _, err = run(capsys, "--data-dir", str(empty), *argv)
    assert code == 1 and "no register" in err and list(empty.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_adding_makes_a_register_only_where_the_folder_or_its_parent_is_there(capsys, tmp_path: Path) -> None:
    unmounted = tmp_path / "usb" / "DermaDesk"
    code, _, err = run(capsys, "--data-dir", str(unmounted), "patient", "add", "--mrn", "U-1", "--name", "Una Usb")
    assert code == 1 and f"the folder {tmp_path / 'usb'} it would go in does not exist" in err
    assert "nothing was created" in err and not (tmp_path / "usb").exists()
    new = tmp_path / "clinic"
    code, out, err = run(capsys, "--data-dir", str(new), "patient", "add", "--mrn", "C-1", "--name", "Cleo New")
    assert code == 0 and "C-1" in out and err == f"dermadesk: note: a new, empty register was created at {new}\n"
    code, _, err = run(capsys, "--data-dir", str(new), "patient", "add", "--mrn", "C-2", "--name", "Carl Next")
    assert code == 0 and err == ""  # said once: the register is there now
    code, _, err = run(capsys, "--data-dir", str(new), "patient", "add", "--mrn", "C-3", "--name", "Bad\u202eName")
    assert code == 1 and "new, empty register" not in err


def test_a_refused_patient_makes_no_register(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "n"), "patient", "add", "--mrn", "", "--name", "No Mrn")
    assert code == 1 and "MRN" in err and not (tmp_path / "n").exists()


def test_restore_into_a_folder_whose_drive_is_not_there_is_refused(capsys, tmp_path: Path) -> None:
    fill_register(tmp_path / "data", patients=1, captures=1)
    backup(tmp_path / "data", tmp_path / "b.zip")
    target = tmp_path / "usb" / "DermaDesk"
    code, _, err = run(capsys, "--data-dir", str(target), "restore", str(tmp_path / "b.zip"))
    assert code == 1 and "nothing was created" in err and not (tmp_path / "usb").exists()
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "fresh"), "restore", str(tmp_path / "b.zip"))
    assert code == 0 and (tmp_path / "fresh" / REGISTER_FILE).is_file()  # a new workstation set up from a backup


def test_db_check_never_calls_a_register_made_anew_over_earlier_images_ok(
    capsys, copied_without_register: Path
) -> None:
    images = copied_without_register / "images"
    shutil.move(str(images), str(images.parent.parent / "aside"))
    assert (
        run(
            capsys, "--data-dir", str(copied_without_register), "patient", "add", "--mrn", "X-1", "--name", "Xena Anew"
        )[0]
        == 0
    )  # as an earlier version made a new register here
    shutil.move(str(images.parent.parent / "aside"), str(images))
    old = time.time() - STALE_AFTER - 60
    for path in images.rglob("*"):
        os.utime(path, (old, old))  # over an hour old: --clean would have deleted them
    kept = _files(images)
    code, out, _ = run(capsys, "--data-dir", str(copied_without_register), "db", "check")
    assert code == 1 and "register OK" not in out and out.rstrip().endswith("register has PROBLEMS")
    assert "4 of the 4 image files here belong to no capture of this register" in out
    assert "(remove with --clean)" not in out and "--clean will not remove them" in out
    code, out, err = run(capsys, "--data-dir", str(copied_without_register), "db", "check", "--clean")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "not cleaned: 4 of the 4" in err and err.rstrip().endswith("nothing was deleted") and "--force" in err
    assert _files(images) == kept
    code, out, _ = run(capsys, "--data-dir", str(copied_without_register), "db", "check", "--clean", "--force")
    assert code == 0 and "removed 4" in out and "register OK" in out and _files(images) == set()
