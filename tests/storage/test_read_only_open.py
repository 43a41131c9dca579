"""A register opened read-only (its folder cannot be written: ``storage.read_only``) is read through SQLite's own
read-only mode, and a change is refused before any transaction begins, naming the folder and what to do. The folder
made read-only for real, with the commands that read it and those refused: tests/test_cli_read_only_folder.py."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from dermadesk.config import REGISTER_FILE
from dermadesk.storage.db import Database
from dermadesk.storage.read_only import ReadOnlyFolder
from dermadesk.storage.register import Register

WHY = "it is on a read-only disk or share"


def test_a_register_read_only_reads_and_refuses_a_change_before_it_begins(tmp_path: Path) -> None:
    with Register(tmp_path / "data") as reg:
        reg.patients.add("t", "RO-1", "Read Only")
    path = tmp_path / "data" / REGISTER_FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    database = Database(path, read_only=WHY)
    try:
        with Register(tmp_path / "data", database=database) as reg:
            assert reg.read_only == WHY and [p.mrn for p in reg.patients.search("")] == ["RO-1"]
            with pytest.raises(ReadOnlyFolder) as refused:
                reg.patients.add("t", "RO-2", "Not Added")
            assert str(refused.value) == (
                f"the data folder {path.parent} is read-only ({WHY}): nothing was changed. To make changes, copy the "
                "whole folder somewhere writable and point DERMADESK_DATA_DIR (or --data-dir, or Edit > Settings > "
                "Data directory in the app) at the copy, or ask IT to give this account write access to the folder"
            )
            assert not database.conn.in_transaction  # refused before BEGIN: nothing to roll back
            with pytest.raises(sqlite3.OperationalError, match="readonly"):  # SQLite itself opened it read-only
                database.conn.execute("DELETE FROM patients")
    finally:
        database.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    with Register(tmp_path / "data") as reg:
        assert [p.mrn for p in reg.patients.search("")] == ["RO-1"]
