"""``dermadesk restore`` asks before it replaces a register (audit 51): the app's question (the backup's date and
contents against the register's now, where the current data is kept), y/N on a terminal; refused without --yes
when not run from a terminal; a transfer package given to it is named as one. Real registers and archives."""

from __future__ import annotations

import builtins
import io
import json
import sys
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.main import main
from dermadesk.storage.backup import backup


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _mrns(capsys, data_dir: Path) -> list[str]:
    capsys.readouterr()
    assert main(["patient", "list", "--json", "--data-dir", str(data_dir)]) == 0
    return sorted(p["mrn"] for p in json.loads(capsys.readouterr().out))


@pytest.fixture
def newer_than_backup(tmp_path: Path, capsys) -> tuple[Path, Path, list[str]]:
    """A register with a backup of Monday, then a patient added on Tuesday."""
    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=2, captures=1, seed=3)
    archive = tmp_path / "monday.zip"
    backup(data_dir, archive)
    assert main(["patient", "add", "--mrn", "TUE-1", "--name", "Tuesday Patient", "--data-dir", str(data_dir)]) == 0
    return data_dir, archive, _mrns(capsys, data_dir)


def test_not_from_a_terminal_refused_without_yes(newer_than_backup, monkeypatch, capsys) -> None:
    data_dir, archive, before = newer_than_backup
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # piped: not a terminal, even saying yes
    assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "not run from a terminal" in err and "--yes" in err and "nothing was changed" in err
    assert _mrns(capsys, data_dir) == before and "TUE-1" in before
    assert not [p for p in data_dir.iterdir() if p.name.startswith("previous-")]
    assert main(["restore", str(archive), "--yes", "--data-dir", str(data_dir)]) == 0
    assert "TUE-1" not in _mrns(capsys, data_dir)


def test_the_refusal_says_only_what_it_knows_before_reading_the_backup(
    newer_than_backup, tmp_path: Path, monkeypatch, capsys
) -> None:
    """Refused before the backup is read: never "everything added or changed since the backup", which is wrong
    for a backup of another register (all of this register's patients would go); the file and the register named."""
    data_dir, _, before = newer_than_backup
    other = tmp_path / "other"
    fill_register(other, patients=1, captures=1, seed=5)
    elsewhere = tmp_path / "laptop-2.zip"
    backup(other, elsewhere)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["restore", str(elsewhere), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "since the backup" not in err
    assert "restoring laptop-2.zip replaces the current register (kept aside, not deleted)" in err
    assert "run it in a terminal to see what the register and the backup hold" in err
    assert _mrns(capsys, data_dir) == before


def test_on_a_terminal_both_sides_are_shown_and_no_keeps_the_register(newer_than_backup, monkeypatch, capsys) -> None:
    data_dir, archive, before = newer_than_backup
    monkeypatch.setattr(sys, "stdin", _Terminal())
    asked: list[str] = []
    monkeypatch.setattr(builtins, "input", lambda prompt="": asked.append(prompt) or "n")
    assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert asked == ["Restore? [y/N] "]
    assert "Replace the current register with the backup of" in out and "(monday.zip)" in out
    assert "The register now holds 3 patients" in out and "The backup holds 2 patients" in out
    assert f"in a new folder in\n{data_dir}" in out and "previous-" in out  # where the current data is kept
    assert "not restored; nothing was changed" in out
    assert _mrns(capsys, data_dir) == before


def test_on_a_terminal_yes_restores_and_says_where_the_earlier_data_is(newer_than_backup, monkeypatch, capsys) -> None:
    data_dir, archive, _ = newer_than_backup
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(builtins, "input", lambda prompt="": "y")
    assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    (kept,) = [p for p in data_dir.iterdir() if p.name.startswith("previous-")]
    assert "Restored from monday.zip" in out and f"The earlier data is kept in\n{kept}" in out
    assert "TUE-1" not in _mrns(capsys, data_dir)


def test_no_question_where_there_is_no_register_to_replace(
    newer_than_backup, tmp_path: Path, monkeypatch, capsys
) -> None:
    _, archive, _ = newer_than_backup
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    empty = tmp_path / "new-workstation"
    assert main(["restore", str(archive), "--data-dir", str(empty)]) == 0
    assert len(_mrns(capsys, empty)) == 2


def test_a_transfer_package_is_named_as_one_before_any_passphrase(
    newer_than_backup, tmp_path: Path, monkeypatch, capsys
) -> None:
    data_dir, _, before = newer_than_backup
    package = tmp_path / "c.ddtx"
    assert main(["transfer", "export", str(package), "--no-encrypt", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()

    def no_passphrase(prompt: str = "") -> str:
        raise AssertionError("a passphrase was asked for")

    monkeypatch.setattr("getpass.getpass", no_passphrase)
    assert main(["restore", str(package), "--yes", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "c.ddtx: it is a transfer package, not a backup" in err and "dermadesk transfer import c.ddtx" in err
    assert "passphrase" not in err and "nothing was changed" in err
    assert _mrns(capsys, data_dir) == before
