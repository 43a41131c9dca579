"""The readable export (File > Export register, 'db export') never replaces a user's file (audit 51): a folder
holding files gets a new dermadesk-export-<date> folder in it; CSV files carry a byte-order mark (Excel on Windows
reads Σοφία and Иван) and neutralise formula-like text (OWASP); the JSON export keeps every value as stored; a
full disk leaves no half export and names the file. Real registers, real files."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import json
import os
from pathlib import Path

import pytest

from dermadesk.domain.errors import DermaDeskError
from dermadesk.services.maintenance import export_register

FORMULAS = ('=HYPERLINK("http://x","click")', "+1 555 0100", "-2+3", "@SUM(A1)")


def _patients(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_folder_holding_files_gets_a_new_export_folder_and_nothing_is_replaced(register, tmp_path: Path) -> None:
    register.patients.add("t", "S-1", "Σοφία Иван")
    chosen = tmp_path / "Documents"
    chosen.mkdir()
    (chosen / "patients.csv").write_text("the practice manager's own list\n")
    first = export_register(register, chosen)
    today = dt.date.today().isoformat()
    assert {p.parent for p in first} == {chosen / f"dermadesk-export-{today}"}
    assert (chosen / "patients.csv").read_text() == "the practice manager's own list\n"
    (second,) = export_register(register, chosen, "json")  # beside, never mixed with the CSV export
    assert second == chosen / f"dermadesk-export-{today}-2" / "register.json"
    assert sorted(p.name for p in first[0].parent.iterdir()) == sorted(p.name for p in first)
    new = tmp_path / "typed new name"  # a new (or empty) folder is written into itself
    assert {p.parent for p in export_register(register, new)} == {new}


def test_csv_has_a_byte_order_mark_and_no_formula_runs_json_exact(register, tmp_path: Path) -> None:
    for i, name in enumerate(FORMULAS):
        register.patients.add("t", f"=M{i}" if i == 0 else f"M-{i}", name)
    register.patients.add("t", "G-1", "Σοφία Παπαδοπούλου")
    register.patients.add("t", "C-1", "Иван Петров")
    export_register(register, tmp_path / "csv")
    raw = (tmp_path / "csv" / "patients.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Σοφία Παπαδοπούλου".encode() in raw and "Иван".encode() in raw
    rows = {r["mrn"]: r["name"] for r in _patients(tmp_path / "csv" / "patients.csv")}
    assert rows["'=M0"] == "'" + FORMULAS[0]  # the MRN too: every text cell
    assert [rows[f"M-{i}"] for i in range(1, len(FORMULAS))] == ["'" + f for f in FORMULAS[1:]]
    assert rows["G-1"] == "Σοφία Παπαδοπούλου"
    with open(tmp_path / "csv" / "patients.csv", encoding="utf-8-sig") as fh:
        assert fh.readline().startswith("id,mrn,")  # the mark is not part of the first column's name
    assert "formula" in (tmp_path / "csv" / "README.txt").read_text(encoding="utf-8")
    (path,) = export_register(register, tmp_path / "json", "json")
    names = {p["mrn"]: p["name"] for p in json.loads(path.read_text(encoding="utf-8"))["patients"]}
    assert names["=M0"] == FORMULAS[0] and names["M-3"] == "@SUM(A1)"  # as stored
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_cell_starting_with_a_tab_or_carriage_return_is_neutralised_numbers_kept() -> None:
    from dermadesk.services.maintenance import _cell

    assert [_cell(v) for v in ("\tx", "\rx", "-", "a=b", -0.5, 3, None)] == ["'\tx", "'\rx", "'-", "a=b", -0.5, 3, None]
    assert _cell({"a": 1}) == '{"a": 1}'


def test_a_full_disk_leaves_no_half_export_and_names_the_file(register, tmp_path: Path, monkeypatch) -> None:
    register.patients.add("t", "F-1", "Full Disk")
    chosen = tmp_path / "exports"
    chosen.mkdir()
    (chosen / "mine.txt").write_text("keep")
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:  # the disk fills as the second file is written (its fsync is the third)
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(DermaDeskError) as caught:
        export_register(register, chosen)
    message = str(caught.value)
    assert "lesions.csv was not written: the disk is full" in message and "nothing was changed" in message
    assert str(chosen) in message and ".partial" not in message
    assert sorted(p.name for p in chosen.iterdir()) == ["mine.txt"]  # no half export, no empty folder left


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_the_folders_an_export_makes_are_owner_only_as_its_files(register, tmp_path: Path) -> None:
    register.patients.add("t", "S-2", "Private Person")
    old_umask = os.umask(0o022)  # a usual umask: a folder would be 0755 without care
    try:
        new = export_register(register, tmp_path / "week")  # a new folder, made for the export
        inner = export_register(register, tmp_path / "week")  # a dermadesk-export-<date> folder in it
    finally:
        os.umask(old_umask)
    for files in (new, inner):
        assert oct(files[0].parent.stat().st_mode & 0o777) == "0o700"
        assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}
    assert inner[0].parent.parent == new[0].parent
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o755)
    os.chmod(mine, 0o755)
    export_register(register, mine)  # the user's own folder, already there: its permissions are left as they are
    assert oct(mine.stat().st_mode & 0o777) == "0o755"
