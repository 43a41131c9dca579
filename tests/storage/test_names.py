"""Names and MRNs: Unicode NFC, control and text-direction characters refused, MRNs unique ignoring case."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.domain.errors import DuplicateError, ValidationError
from dermadesk.storage.check import check_register
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import migrate
from dermadesk.storage.register import Register


def test_names_are_stored_in_nfc(register: Register) -> None:
    p = register.patients.add("t", "N-1", "Jose\u0301 N\u0303un\u0303ez")  # decomposed accents
    assert p.name == "José Ñuñez" and len(p.name) == 10
    assert [x.mrn for x in register.patients.search("josé")] == ["N-1"]


@pytest.mark.parametrize("value, shown", [
    ("Evil\u202eTxt.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Nul\x00Byte", "U+0000"),
    ("Bell\x07Person", "U+0007"),
    ("Iso\u2067late", "U+2067 RIGHT-TO-LEFT ISOLATE"),
])
def test_control_and_bidi_characters_refused_with_a_message(register: Register, value: str, shown: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(f"patient name contains a control or text-direction "
                                                        f"character ({shown}")):
        register.patients.add("t", "C-1", value)
    with pytest.raises(ValidationError, match="MRN"):
        register.patients.add("t", value, "Fine Name")
    lesion_patient = register.patients.add("t", "C-2", "Label Owner")
    with pytest.raises(ValidationError, match="lesion label contains"):
        register.lesions.add("t", lesion_patient.id, "head/neck", label=value)
    assert register.patients.count() == 1


def test_cli_refuses_a_bidi_name_in_one_line(capsys) -> None:
    assert main(["patient", "add", "--mrn", "B-1", "--name", "Ann\u202eeH"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "U+202E RIGHT-TO-LEFT OVERRIDE" in err


def test_mrn_unique_ignoring_case(register: Register) -> None:
    p = register.patients.add("t", "abc-1", "First")
    with pytest.raises(DuplicateError, match="MRN ABC-1 already exists as abc-1"):
        register.patients.add("t", "ABC-1", "Second")
    other = register.patients.add("t", "XYZ-2", "Other")
    with pytest.raises(DuplicateError):
        register.patients.update("t", other.id, mrn="Abc-1")
    assert register.patients.by_mrn("ABC-1").id == p.id
    with pytest.raises(sqlite3.IntegrityError, match="ignoring case"):  # the schema backs it up
        register.database.conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) "
                                       "VALUES ('ABC-1', 'raw', 'x', 'x')")


def test_register_with_case_duplicates_still_opens_and_db_check_lists_them(tmp_path: Path, capsys) -> None:
    path = tmp_path / "register.sqlite3"
    old = Database(path)
    migrate(old.db, upto=6)
    for mrn in ("dup-7", "DUP-7", "solo"):
        old.conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) VALUES (?, 'P', 'x', 'x')", (mrn,))
    old.close()
    open_db(path).close()  # migration 7 does not fail on them
    with Register(tmp_path) as reg:
        report = check_register(reg)
        assert report.ok and report.duplicate_mrns == ["dup-7 = DUP-7 (patients 1, 2)"]
    assert main(["db", "check", "--data-dir", str(tmp_path)]) == 0
    assert "MRNs equal ignoring case" in capsys.readouterr().out
