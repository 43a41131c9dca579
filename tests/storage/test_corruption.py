"""A damaged register (4 KB of a page overwritten) is reported by db check in one line and never backed up."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.main import main
from dermadesk.config import REGISTER_FILE
from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.backup import backup


def _overwrite_page_of(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(os.urandom(4096))


@pytest.fixture
def damaged(data_dir: Path) -> Path:
    fill_register(data_dir, patients=3, captures=1)
    _overwrite_page_of(data_dir / REGISTER_FILE, "lesions")
    return data_dir


def test_db_check_reports_a_damaged_page_in_one_line(damaged: Path, capsys) -> None:
    assert main(["db", "check"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("dermadesk: error: register.sqlite3 is damaged") and "restore the latest backup" in err
    assert main(["db", "check", "--json"]) == 1
    assert "is damaged" in json.loads(capsys.readouterr().out)["error"]


def test_backup_refuses_a_register_failing_quick_check(damaged: Path, tmp_path: Path, capsys) -> None:
    with pytest.raises(IntegrityError, match="fails its integrity check.*not backed up"):
        backup(damaged, tmp_path / "b.zip")
    assert main(["backup", str(tmp_path / "b.zip")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not backed up" in err
    assert not (tmp_path / "b.zip").exists() and not (tmp_path / "b.zip.partial").exists()


def test_a_file_that_is_not_a_database_is_one_line_everywhere(data_dir: Path, capsys) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / REGISTER_FILE).write_bytes(os.urandom(8192))
    assert main(["db", "check"]) == 1
    assert "register.sqlite3 is damaged" in capsys.readouterr().err
    assert main(["patient", "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "register.sqlite3 is damaged: file is not a database; restore the latest" in err


def test_damage_line_is_one_line_whatever_sqlite_says() -> None:
    from dermadesk.storage.db import damage_line

    line = damage_line(Path("register.sqlite3"), ["*** in database main ***\n"
                                                  "Page 3: btreeInitPage() returns error code 11",
                                                  "Page 4: never used"])
    assert "\n" not in line and line.startswith("register.sqlite3 is damaged: Page 3: btreeInitPage()")
    assert "(and 1 more problems)" in line
