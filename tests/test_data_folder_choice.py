"""The data folder chosen in Settings (kept in this workstation's file, never in a data folder): the next start
without --data-dir or DERMADESK_DATA_DIR uses it, the command line too; --data-dir, the environment and portable
mode still win; the operator's name kept beside it does not wipe it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import platformdirs
import pytest

from dermadesk import config
from dermadesk.bench.crafted import fill_register
from dermadesk.config import (
    DATA_DIR_ENV,
    FROM_ENV,
    FROM_FLAG,
    FROM_PORTABLE,
    FROM_SETTINGS,
    FROM_STANDARD,
    WORKSTATION_FILE,
    choose_data_dir,
    chosen_data_dir,
    data_dir_source,
    remember_operator,
    resolve_data_dir,
    workstation_dir,
    workstation_operator,
)
from tests.test_cli import run


@pytest.fixture
def standard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A start as a user's: no DERMADESK_DATA_DIR, the per-user folder in tmp (never the real one)."""
    folder = tmp_path / "standard"
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *_a, **_k: str(folder))
    assert config.portable_dir() is None
    return folder


def test_the_choice_is_kept_in_the_workstation_file_and_picks_the_next_start(standard: Path, tmp_path: Path) -> None:
    assert resolve_data_dir() == standard and data_dir_source() == FROM_STANDARD
    clinic = tmp_path / "clinic"
    choose_data_dir(clinic)
    kept = json.loads((workstation_dir() / WORKSTATION_FILE).read_text())
    assert kept["data_dir"] == str(clinic)
    assert not (clinic / "settings.json").exists() and not (standard / "settings.json").exists()
    assert resolve_data_dir() == clinic and data_dir_source() == FROM_SETTINGS
    choose_data_dir(standard)  # the standard folder chosen again: the choice forgotten
    assert chosen_data_dir() is None and resolve_data_dir() == standard
    choose_data_dir(clinic)
    choose_data_dir(None)
    assert "data_dir" not in json.loads((workstation_dir() / WORKSTATION_FILE).read_text())


def test_the_command_line_environment_and_portable_mode_win_over_the_choice(
    standard: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_data_dir(tmp_path / "clinic")
    assert resolve_data_dir(tmp_path / "flag") == (tmp_path / "flag").resolve()
    assert data_dir_source(str(tmp_path / "flag")) == FROM_FLAG
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert resolve_data_dir() == (tmp_path / "env").resolve() and data_dir_source() == FROM_ENV
    assert resolve_data_dir(tmp_path / "flag") == (tmp_path / "flag").resolve()
    monkeypatch.delenv(DATA_DIR_ENV)
    exe = tmp_path / "app" / "DermaDesk"
    exe.parent.mkdir()
    (exe.parent / config.PORTABLE_MARKER).write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert resolve_data_dir() == exe.parent / "DermaDeskData" and data_dir_source() == FROM_PORTABLE


def test_keeping_the_operator_keeps_the_chosen_folder(standard: Path, tmp_path: Path) -> None:
    choose_data_dir(tmp_path / "clinic")
    remember_operator("Nurse Lee", shared=True)
    assert chosen_data_dir() == tmp_path / "clinic" and workstation_operator() == "Nurse Lee"
    choose_data_dir(tmp_path / "other")
    assert workstation_operator() == "Nurse Lee" and config.workstation_shared() is True


@pytest.mark.parametrize("kept", ["relative/folder", "", 7, ["/x"]])
def test_a_hand_edited_choice_that_is_no_whole_path_is_not_used(standard: Path, kept: object) -> None:
    workstation_dir().mkdir(parents=True, exist_ok=True)
    (workstation_dir() / WORKSTATION_FILE).write_text(json.dumps({"operator": "A", "data_dir": kept}))
    assert chosen_data_dir() is None and resolve_data_dir() == standard


def test_the_command_line_uses_the_chosen_folder_unless_told_otherwise(
    capsys, standard: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic, other = tmp_path / "clinic", tmp_path / "other"
    fill_register(clinic, patients=2, captures=1)
    fill_register(other, patients=1, captures=1)
    choose_data_dir(clinic)
    code, out, _ = run(capsys, "patient", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 2
    code, out, _ = run(capsys, "--data-dir", str(other), "patient", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    monkeypatch.setenv(DATA_DIR_ENV, str(other))
    code, out, _ = run(capsys, "patient", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    assert not standard.exists()  # the standard folder never made on the way


def test_a_chosen_folder_not_there_is_said_as_chosen_and_nothing_is_made(
    capsys, standard: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb" / "DermaDesk"
    choose_data_dir(usb)
    for argv in (["patient", "list"], ["patient", "add", "--mrn", "N-1", "--name", "New Person"]):
        code, out, err = run(capsys, *argv)
        assert code == 1 and out == ""
        assert f"no register at {usb}" in err and "chosen in the app's Settings" in err, err
        assert "--data-dir DIR or DERMADESK_DATA_DIR gives another" in err
    assert not usb.exists() and not usb.parent.exists() and not standard.exists()
