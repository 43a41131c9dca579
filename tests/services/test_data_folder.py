"""What choosing another data folder says before it is kept: a register there named and counted, a folder to be
made asked about, and refused where the next start would refuse it; the register open now never moved."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import platformdirs
import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.config import REGISTER_FILE, Settings
from dermadesk.domain.errors import ValidationError
from dermadesk.services.data_folder import NOT_CHANGED, judge_folder, typed_folder
from dermadesk.storage.register import Register


@pytest.fixture
def open_now(data_dir: Path):
    fill_register(data_dir, patients=3, captures=1)
    with Register(data_dir) as reg:
        yield reg


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.name.endswith(("-shm", "-wal"))}


def test_typed_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *_a, **_k: str(tmp_path / "standard"))
    assert typed_folder(f'  "{tmp_path / "a b"}" ') == tmp_path / "a b"  # Windows' "Copy as path" quotes
    assert typed_folder("") == tmp_path / "standard"
    assert typed_folder("~") == Path.home()
    with pytest.raises(ValidationError, match="'DermaDesk' is not a whole path"):
        typed_folder("DermaDesk")


def test_another_register_is_named_and_counted_and_nothing_moves(open_now: Register, tmp_path: Path) -> None:
    other = tmp_path / "other"
    fill_register(other, patients=2, captures=1, seed=1)
    Settings(clinic_name="North Clinic").save(other)
    with Register(other) as reg:
        reg.patients.soft_delete("u", reg.patients.search()[0].id)
    before, there = _files(open_now.data_dir), _files(other)
    verdict = judge_folder(other, open_now.data_dir, open_now)
    assert not verdict.refusal and not verdict.make
    q = verdict.question
    assert q.startswith(f"{other} holds a DermaDesk register: workstation ") and "clinic 'North Clinic'" in q, q
    assert "1 patient (plus 1 deleted)" in q and "last changed " in q and "by u" in q
    assert "not merged" in q and f"The register open now ({open_now.data_dir}, 3 patients) is not moved" in q
    assert "a copy of the register open now" not in q
    assert _files(open_now.data_dir) == before and _files(other) == there  # read, not opened as the register
    assert not (other / REGISTER_FILE).with_name("register.sqlite3-wal").exists()


def test_a_copy_of_the_open_register_is_said_to_be_one(open_now: Register, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    open_now.database.conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copytree(open_now.data_dir, copy, ignore=shutil.ignore_patterns("*-wal", "*-shm", ".*"))
    assert "It is a copy of the register open now" in judge_folder(copy, open_now.data_dir, open_now).question


def test_a_new_folder_is_asked_about_and_made_only_by_the_caller(open_now: Register, tmp_path: Path) -> None:
    new = tmp_path / "usb" / "DermaDesk"
    (tmp_path / "usb").mkdir()
    verdict = judge_folder(new, open_now.data_dir, open_now)
    assert verdict.make and "does not exist yet. Make this folder now" in verdict.question
    assert "File > Back up..." in verdict.question and "File > Restore from backup..." in verdict.question
    assert not new.exists()
    verdict = judge_folder(tmp_path / "gone" / "DermaDesk", open_now.data_dir, open_now)
    assert "is the drive connected" in verdict.refusal and verdict.refusal.endswith(NOT_CHANGED)


def test_an_empty_folder_and_one_with_other_files(open_now: Register, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    verdict = judge_folder(empty, open_now.data_dir, open_now)
    assert "holds no register: the next start makes a new, empty register there" in verdict.question
    assert "other file" not in verdict.question
    (empty / "notes.txt").write_text("x")
    assert "It holds 1 other file or folder" in judge_folder(empty, open_now.data_dir, open_now).question


def test_refused_folders(open_now: Register, tmp_path: Path) -> None:
    lost = tmp_path / "lost"
    fill_register(lost, patients=1, captures=2)
    (lost / REGISTER_FILE).unlink()
    verdict = judge_folder(lost, open_now.data_dir, open_now)
    assert f"{lost} has no {REGISTER_FILE}, but its images folder holds" in verdict.refusal
    assert verdict.refusal.endswith(NOT_CHANGED) and not verdict.question
    inside = open_now.data_dir / "sub"
    assert "inside the data folder of the register open now" in judge_folder(inside, open_now.data_dir).refusal
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert "is a file, not a folder" in judge_folder(a_file, open_now.data_dir).refusal
    newer = tmp_path / "newer"
    fill_register(newer, patients=1, captures=1)
    with sqlite3.connect(newer / REGISTER_FILE) as conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('m999_from_the_future', '2030-01-01')")
    conn.close()
    assert "written by a newer DermaDesk" in judge_folder(newer, open_now.data_dir).refusal
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / REGISTER_FILE).write_bytes(b"not a database" * 100)
    assert "cannot be read as a register" in judge_folder(damaged, open_now.data_dir).refusal
