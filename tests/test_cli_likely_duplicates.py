"""dermadesk patient add refuses a patient likely registered already (born that day, the name the same or alike),
naming the existing MRNs, with exit code 3; --even-if-duplicate adds anyway, audited as any add."""

from __future__ import annotations

import json

import pytest

from dermadesk.cli.patient_cmds import LIKELY_DUPLICATE_EXIT
from dermadesk.main import main
from dermadesk.storage.register import Register

ADD = ["patient", "add", "--birth-date", "12.03.1961"]


def test_a_patient_likely_registered_is_refused_naming_the_existing_one(
    capsys: pytest.CaptureFixture, data_dir
) -> None:
    assert main([*ADD, "--mrn", "C-1001", "--name", "José Núñez"]) == 0
    capsys.readouterr()
    assert main([*ADD, "--mrn", "C-2001", "--name", "jose nunez"]) == LIKELY_DUPLICATE_EXIT == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(
        "dermadesk: error: not added: likely already registered as C-1001 José Núñez, born 12 Mar 1961 (same name "
        "and birth date). Add the lesions to that patient (dermadesk lesion add --patient C-1001 ...), or, if this "
        "is another person (e.g. a twin), add anyway with --even-if-duplicate"
    )
    assert main([*ADD, "--mrn", "C-2002", "--name", "Jorge Núñez"]) == 0  # a twin: not asked about
    assert main([*ADD, "--mrn", "C-2001", "--name", "jose nunez", "--even-if-duplicate"]) == 0
    assert "patient 3 added: C-2001 jose nunez" in capsys.readouterr().out
    with Register(data_dir) as reg:
        added = reg.patients.by_mrn("C-2001")
        audit = reg.audit.entries("patient", added.id)
    assert [(e.action, e.after["name"]) for e in audit] == [("create", "jose nunez")]  # audited as any add


def test_a_deleted_one_is_named_with_how_to_restore_it_and_json_lists_them(capsys: pytest.CaptureFixture) -> None:
    assert main([*ADD, "--mrn", "C-1001", "--name", "José Núñez"]) == 0
    assert main([*ADD, "--mrn", "C-1003", "--name", "José Antonio Núñez García", "--even-if-duplicate"]) == 0
    assert main(["patient", "delete", "C-1001"]) == 0
    capsys.readouterr()
    assert main([*ADD, "--mrn", "C-2001", "--name", "Nunez, Jose", "--json"]) == 3
    out, err = capsys.readouterr()
    shown = json.loads(out)
    assert [(d["patient"]["mrn"], d["why"], d["deleted"]) for d in shown["likely_duplicates"]] == [
        ("C-1001", "same name and birth date", True),
        ("C-1003", "similar name, same birth date", False),
    ]
    assert (
        "C-1001 José Núñez, born 12 Mar 1961 (same name and birth date) — deleted: restore it with: dermadesk "
        "patient delete C-1001 --restore; C-1003" in shown["error"]
    )
    assert "Add the lesions to the right one (dermadesk lesion add --patient MRN ...)" in err


def test_an_mrn_taken_is_said_first_and_no_birth_date_asks_nothing(capsys: pytest.CaptureFixture) -> None:
    assert main([*ADD, "--mrn", "C-1001", "--name", "José Núñez"]) == 0
    capsys.readouterr()
    assert main([*ADD, "--mrn", "C-1001", "--name", "José Núñez"]) == 1
    assert "a patient with MRN C-1001 already exists" in capsys.readouterr().err
    assert main(["patient", "add", "--mrn", "C-2001", "--name", "José Núñez"]) == 0  # no birth date: not looked for


def test_the_help_names_the_exit_code_and_the_option(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["patient", "add", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--even-if-duplicate" in text and "refused, exit code 3, the existing MRNs named" in text
