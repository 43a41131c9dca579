"""A register that SQLite refuses because it is in use, its disk is full or its folder read-only is said to be
so, never "damaged; restore the latest backup" (which would throw away everything since that backup): damage is
named only where a check of the file finds it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import dermadesk.storage.db as db
from dermadesk.main import main
from dermadesk.storage.db import explain_db_error
from dermadesk.storage.register import Register

IO_ERROR = sqlite3.OperationalError("disk I/O error")


@pytest.fixture
def sound(tmp_path: Path) -> Path:
    with Register(tmp_path / "data") as reg:
        reg.patients.add("t", "AC-1", "Access Person")
    return tmp_path / "data" / "register.sqlite3"


def test_in_use(sound: Path) -> None:
    line = explain_db_error(sqlite3.OperationalError("database is locked"), sound)
    assert line.startswith("the register is in use by another DermaDesk") and "Nothing is damaged" in line


def test_disk_full(sound: Path, monkeypatch) -> None:
    monkeypatch.setattr(db.shutil, "disk_usage", lambda _folder: type("U", (), {"free": 4096})())
    line = explain_db_error(IO_ERROR, sound)
    # 4096 bytes, in decimal units as size_text says every size
    assert line.startswith(f"the disk holding {sound.parent} is full (4 kB free; disk I/O error)")
    assert "not damaged" in line and "restore" not in line


def test_read_only_folder(sound: Path, monkeypatch) -> None:
    monkeypatch.setattr(db.os, "access", lambda _path, _mode: False)  # as a write-protected stick answers
    line = explain_db_error(sqlite3.OperationalError("attempt to write a readonly database"), sound)
    assert line == (f"the data folder {sound.parent} is read-only (attempt to write a readonly database): "
                    "make it writable and try again")  # fmt: skip


def test_a_sound_file_is_never_called_damaged(sound: Path) -> None:
    line = explain_db_error(IO_ERROR, sound)
    assert "checks sound" in line and "damaged" not in line and "restore" not in line


def test_a_damaged_file_is_still_called_damaged(tmp_path: Path) -> None:
    bad = tmp_path / "register.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    assert "is damaged" in explain_db_error(sqlite3.DatabaseError("file is not a database"), bad)


def test_the_command_line_says_in_use_while_another_process_writes(capsys, sound: Path, monkeypatch) -> None:
    monkeypatch.setenv("DERMADESK_DATA_DIR", str(sound.parent))
    holder = sqlite3.connect(sound, isolation_level=None)  # another DermaDesk mid-write
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(["patient", "add", "--mrn", "AC-2", "--name", "Second Person"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert code == 1 and "the register is in use by another DermaDesk" in err and "restore" not in err
    with Register(sound.parent) as reg:
        assert [p.mrn for p in reg.patients.search("")] == ["AC-1"]
