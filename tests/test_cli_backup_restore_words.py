"""``dermadesk backup`` and ``restore`` as a clinic expects: an existing backup is replaced only with --overwrite; a
folder not there (a USB drive not mounted) is refused, never made; ".zip" is added to a name without it; a
backup from another register is named as one before it replaces this one (a copy of this register moved to another
machine is not another); a missing file is "backup file not found"; a restore says where the replaced register is
kept, and how many earlier ones lie beside it and how much room they take; both files have help. Real registers,
real backup files."""

from __future__ import annotations

import builtins
import io
import json
import sys
from pathlib import Path

import pytest

import dermadesk.storage.identity as identity
from dermadesk.bench.crafted import fill_register
from dermadesk.cli import build_parser
from dermadesk.config import REGISTER_FILE
from dermadesk.domain.errors import NotFoundError
from dermadesk.main import main
from dermadesk.services.maintenance_text import made_text
from dermadesk.domain.text import size_text
from dermadesk.storage.backup import backup, verify_archive
from dermadesk.storage.identity import identity_of_file
from dermadesk.storage.register import Register
from dermadesk.storage.restore import restore
from tests.test_cli_restore_question import _mrns, _Terminal


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """The clinic's register: 2 patients, a capture each."""
    data_dir = tmp_path / "clinic"
    fill_register(data_dir, patients=2, captures=1, seed=1)
    return data_dir


# -- backup: an existing file is not replaced unasked -----------------------------------------------------------


def test_backup_refuses_an_existing_file_without_overwrite(clinic: Path, tmp_path: Path, capsys) -> None:
    archive = tmp_path / "usb" / "dermadesk-backup.zip"
    archive.parent.mkdir()
    archive.write_bytes(b"last week's backup")
    assert main(["backup", str(archive), "--data-dir", str(clinic)]) == 1
    assert capsys.readouterr().err == (
        f"dermadesk: error: {archive} already exists; give --overwrite to replace it; nothing was written\n"
    )
    assert archive.read_bytes() == b"last week's backup"
    assert main(["backup", str(archive), "--overwrite", "--data-dir", str(clinic)]) == 0
    assert verify_archive(archive)["counts"]["patients"] == 2  # replaced by a whole, checked backup


def test_backup_to_a_folder_asks_for_a_file_name(clinic: Path, tmp_path: Path, capsys) -> None:
    assert main(["backup", str(tmp_path), "--overwrite", "--data-dir", str(clinic)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path} is a folder: give the backup's file name, e.g. {tmp_path / 'dermadesk-backup.zip'}" in err
    assert not list(tmp_path.glob("*.zip"))


def test_backup_into_a_folder_not_there_is_refused_never_made(clinic: Path, tmp_path: Path, capsys) -> None:
    usb = tmp_path / "media" / "usb"  # the stick not mounted: its folder is not there
    said = f"folder {usb} does not exist (is the drive connected?); nothing was written"
    assert main(["backup", str(usb / "b.zip"), "--data-dir", str(clinic)]) == 1
    assert capsys.readouterr().err == f"dermadesk: error: {said}\n"
    assert main(["backup", str(usb / "b.zip"), "--json", "--data-dir", str(clinic)]) == 1
    assert json.loads(capsys.readouterr().out) == {"error": said}
    assert not (tmp_path / "media").exists()  # nothing written to the local disk in the stick's place
    with pytest.raises(NotFoundError, match="is the drive connected"):  # the app's back up refuses it too
        backup(clinic, usb / "b.zip")


def test_a_backup_named_without_zip_is_written_as_zip_and_said(clinic: Path, tmp_path: Path, capsys) -> None:
    given = tmp_path / "bk1"
    capsys.readouterr()
    assert main(["backup", str(given), "--data-dir", str(clinic)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"backup written to {tmp_path / 'bk1.zip'} (.zip added to the name given): ")
    assert not given.exists() and verify_archive(tmp_path / "bk1.zip")["counts"]["patients"] == 2
    assert main(["backup", str(given), "--data-dir", str(clinic)]) == 1  # bk1.zip is there now: not replaced unasked
    assert f"{tmp_path / 'bk1.zip'} already exists; give --overwrite" in capsys.readouterr().err
    assert main(["backup", str(tmp_path / "friday.ZIP"), "--data-dir", str(clinic)]) == 0  # any case: kept
    assert "added to the name" not in capsys.readouterr().out and (tmp_path / "friday.ZIP").is_file()


def test_a_backup_says_its_size_as_restore_and_transfer_do(clinic: Path, tmp_path: Path, capsys) -> None:
    """The backup wrote "0.1 MB" (or "0.0 MB") itself where a restore and a transfer say "120 kB": one
    ``size_text`` for the command line's line and the app's message."""
    from dermadesk.services.maintenance import backed_up_text

    capsys.readouterr()
    assert main(["backup", str(tmp_path / "small.zip"), "--data-dir", str(clinic)]) == 0
    out = capsys.readouterr().out
    size = (tmp_path / "small.zip").stat().st_size
    assert size < 1e6 and out.rstrip().endswith(f"heat maps), {size_text(size)}") and " MB" not in out
    info = backup(clinic, tmp_path / "app.zip")
    assert f"; {size_text(int(info['bytes']))}." in backed_up_text(info) and " MB" not in backed_up_text(info)


# -- restore: a backup of another register is said to be one ----------------------------------------------------


def test_a_backup_of_another_register_is_named_in_the_question(clinic: Path, tmp_path: Path, monkeypatch, capsys):
    other = tmp_path / "laptop"
    fill_register(other, patients=1, captures=1, seed=2)
    archive = tmp_path / "laptop.zip"
    backup(other, archive)
    theirs, ours = identity_of_file(other / REGISTER_FILE), identity_of_file(clinic / REGISTER_FILE)
    assert theirs is not None and ours is not None
    before = _mrns(capsys, clinic)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(builtins, "input", lambda prompt="": "n")
    assert main(["restore", str(archive), "--data-dir", str(clinic)]) == 0
    out = capsys.readouterr().out
    made = made_text(verify_archive(archive)["created"])
    assert out.startswith(
        f"This backup is from another register (workstation {theirs.hostname} ({theirs.uid[:8]}), 1 patient, made "
        f"on {made}); restoring replaces this register's 2 patients (workstation {ours.hostname} ({ours.uid[:8]})). "
        "To add the other register's patients to this one instead, move them with a transfer package ('dermadesk "
        "transfer export' there, 'dermadesk transfer import' here).\n\nReplace the current register with the backup"
    )
    assert (
        "\n\nAll of this register's 2 patients and their images are replaced by the backup's 1 patient.\n\n"
        "The current register is not deleted"
    ) in out
    assert "Everything added or changed since the backup" not in out  # nothing of this register is in it
    assert "not restored; nothing was changed" in out and _mrns(capsys, clinic) == before


def test_with_yes_it_is_said_before_the_register_is_replaced(clinic: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "laptop"
    fill_register(other, patients=1, captures=1, seed=2)
    archive = tmp_path / "laptop.zip"
    backup(other, archive)
    capsys.readouterr()
    assert main(["restore", str(archive), "--yes", "--data-dir", str(clinic)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("dermadesk: note: this backup is from another register (workstation ")
    assert "restoring replaces this register's 2 patients" in captured.err
    assert captured.out.startswith("Restored from laptop.zip")
    assert _mrns(capsys, clinic) == ["F-2-0"]


def test_a_backup_of_this_register_says_nothing_of_another(clinic: Path, tmp_path: Path, monkeypatch, capsys):
    archive = tmp_path / "monday.zip"
    backup(clinic, archive)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(builtins, "input", lambda prompt="": "y")
    assert main(["restore", str(archive), "--data-dir", str(clinic)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Replace the current register with the backup of") and "another register" not in out
    assert "\n\nEverything added or changed since the backup was made is replaced.\n\n" in out
    assert "All of this register's" not in out


def test_a_copy_of_this_register_moved_to_another_machine_is_not_another(
    clinic: Path, tmp_path: Path, monkeypatch, capsys
):
    monday = tmp_path / "monday.zip"
    backup(clinic, monday)
    laptop = tmp_path / "laptop"
    restore(monday, laptop)  # the clinic's register set up on a laptop ...
    with monkeypatch.context() as on_the_laptop:
        on_the_laptop.setattr(identity, "machine_id", lambda: "f" * 32)
        assert main(["patient", "add", "--mrn", "FIELD-1", "--name", "Seen In Field", "--data-dir", str(laptop)]) == 0
        moved = identity_of_file(laptop / REGISTER_FILE)
        assert moved is not None and moved.uid != identity_of_file(clinic / REGISTER_FILE).uid  # a new identity there
        tuesday = tmp_path / "tuesday.zip"
        backup(laptop, tuesday)
    capsys.readouterr()
    assert main(["restore", str(tuesday), "--yes", "--data-dir", str(clinic)]) == 0  # ... and brought back
    assert "another register" not in capsys.readouterr().err
    assert "FIELD-1" in _mrns(capsys, clinic)


def test_over_a_register_that_never_held_a_patient_nothing_is_said(clinic: Path, tmp_path: Path, capsys) -> None:
    archive = tmp_path / "clinic.zip"
    backup(clinic, archive)
    new = tmp_path / "new-workstation"
    Register(new).close()  # the app opened once: an empty register of its own
    assert main(["restore", str(archive), "--yes", "--data-dir", str(new)]) == 0
    assert "another register" not in capsys.readouterr().err
    assert len(_mrns(capsys, new)) == 2


# -- restore: a missing file, and the registers set aside ------------------------------------------------------


def test_a_missing_backup_file_is_named(clinic: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    gone = tmp_path / "usb" / "dermadesk-backup.zip"
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: said before --yes is asked for
    assert main(["restore", str(gone), "--data-dir", str(clinic)]) == 1
    assert capsys.readouterr().err == f"dermadesk: error: backup file not found: {gone}\n"
    assert main(["restore", str(gone), "--yes", "--json", "--data-dir", str(clinic)]) == 1
    assert json.loads(capsys.readouterr().out) == {"error": f"backup file not found: {gone}"}
    assert not [p for p in clinic.iterdir() if p.name.startswith(("previous-", ".restore-"))]


def test_a_photograph_given_as_the_backup_is_said_in_plain_words(clinic: Path, tmp_path: Path, capsys) -> None:
    photo = tmp_path / "S7.jpg"  # picked by mistake: its name kept as typed, the reason without Python's names
    photo.write_bytes(b"\xff\xd8\xff\xe0 not a backup")
    empty = tmp_path / "new"
    for data_dir in (clinic, empty):  # staged before the switch, and restored into a folder with no register
        assert main(["restore", str(photo), "--yes", "--data-dir", str(data_dir)]) == 1
        err = capsys.readouterr().err
        assert (
            err == "dermadesk: error: S7.jpg: not a readable DermaDesk backup (not a zip file); nothing was changed\n"
        )
    assert "F-1-0" in _mrns(capsys, clinic) and not (empty / REGISTER_FILE).exists()


def test_a_backup_cut_short_is_said_as_damaged_not_as_a_wrong_file(clinic: Path, tmp_path: Path, capsys) -> None:
    whole = tmp_path / "whole.zip"
    backup(clinic, whole)
    cut = tmp_path / "cut.zip"  # copied only in part: starts as a zip, its list of contents (at the end) missing
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert main(["restore", str(cut), "--yes", "--data-dir", str(tmp_path / "new")]) == 1
    assert capsys.readouterr().err == (
        "dermadesk: error: cut.zip: not a readable DermaDesk backup (the file is damaged or cut short: it may have "
        "been copied only in part; use another copy); nothing was changed\n"
    )
    with pytest.raises(Exception, match="damaged or cut short"):
        verify_archive(cut)


def test_a_zip_of_something_else_says_which_zip_to_choose(clinic: Path, tmp_path: Path, capsys) -> None:
    import zipfile

    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("IMG_0001.jpg", b"\xff\xd8\xff")
    assert main(["restore", str(other), "--yes", "--data-dir", str(clinic)]) == 1
    err = capsys.readouterr().err
    assert "photos.zip: a zip file, but not a DermaDesk backup (no MANIFEST.json): choose a .zip made by " in err
    assert "F-1-0" in _mrns(capsys, clinic)


def test_each_restore_says_where_the_register_is_kept_and_counts_the_earlier_ones(
    clinic: Path, tmp_path: Path, capsys
) -> None:
    archive = tmp_path / "monday.zip"
    backup(clinic, archive)
    capsys.readouterr()
    assert main(["restore", str(archive), "--yes", "--data-dir", str(clinic)]) == 0
    out = capsys.readouterr().out
    (first,) = sorted(clinic.glob("previous-*"))
    assert f"The earlier data is kept in\n{first} ({size_text(_size(first))})." in out
    assert "DermaDesk never deletes this folder: once you are sure you no longer need it, delete it" in out
    assert "set aside by earlier restores" not in out
    assert main(["restore", str(archive), "--yes", "--data-dir", str(clinic)]) == 0
    out = capsys.readouterr().out
    second = sorted(clinic.glob("previous-*"))[-1]
    assert f"The earlier data is kept in\n{second} (" in out
    assert f"1 register set aside by earlier restores is also kept beside it ({first.name}): " in out
    assert f"{size_text(_size(first))} in all." in out and "DermaDesk never deletes these folders" in out
    for _ in range(3):
        assert main(["restore", str(archive), "--yes", "--data-dir", str(clinic)]) == 0
    out = capsys.readouterr().out.split("Restored from")[-1]
    kept = sorted(clinic.glob("previous-*"))
    assert len(kept) == 5 and all(p.is_dir() for p in kept)  # none deleted
    earlier = kept[:-1]
    names = ", ".join(p.name for p in earlier[:3])
    assert f"4 registers set aside by earlier restores are also kept beside it ({names} and 1 more): " in out
    assert f"{size_text(sum(_size(p) for p in earlier))} in all." in out


def test_the_json_result_lists_the_registers_kept(clinic: Path, tmp_path: Path, capsys) -> None:
    archive = tmp_path / "monday.zip"
    backup(clinic, archive)
    for _ in range(2):
        capsys.readouterr()
        assert main(["restore", str(archive), "--yes", "--json", "--data-dir", str(clinic)]) == 0
    info = json.loads(capsys.readouterr().out)
    first, second = sorted(clinic.glob("previous-*"))
    assert info["previous_data"] == str(second) and info["previous_bytes"] == _size(second)
    assert info["earlier_kept"] == [{"path": str(first), "bytes": _size(first)}]
    assert info["other_register"] is None


# -- help ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_the_file_argument_has_help(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([command, "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    expected = {
        "backup": "FILE the backup file to write, e.g. monday.zip ('.zip' is added to a name without it; an existing "
        "file is replaced only with --overwrite)",
        "restore": "FILE the backup file to restore (written by 'dermadesk backup' or the app's File > Back up...)",
    }
    assert expected[command] in text
    usage = text.split(" positional arguments:")[0]  # the usage line names the file as the help does
    assert usage.endswith(" FILE") and " file" not in usage
