"""``patient edit MRN`` corrects what ``patient add`` set (MRN, name, birth date, sex, skin type, notes) as the app's
patient form saves it (``register_ops.update_patient``, audited), saying what changed; lesion and capture had
``edit``, the patient had none (walkthrough 25, finding 11). A real SQLite register, the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.cli.patient_cmds import LIKELY_DUPLICATE_EXIT
from dermadesk.storage.register import Register
from tests.test_cli import run


@pytest.fixture
def patient(capsys, data_dir: Path) -> None:
    code, _, _ = run(capsys, "patient", "add", "--mrn", "E-1", "--name", "Edna Edit", "--birth-date", "1968-04-12")
    assert code == 0


def stored(data_dir: Path, patient_id: int = 1) -> tuple[object, ...]:
    with Register(data_dir) as reg:
        p = reg.patients.get(patient_id)
        return p.mrn, p.name, p.birth_date, p.sex, p.skin_type, p.notes


def test_each_field_given_is_saved_audited_and_said(capsys, patient, data_dir: Path) -> None:
    code, out, err = run(
        capsys,
        *("patient", "edit", "E-1", "--sex", "FEMALE", "--skin-type", "ii", "--birth-date", "1968-04-14"),
        *("--notes", "allergic to plasters", "--operator", "Dr A"),
    )
    assert (code, err) == (0, "")
    assert out == (
        "patient E-1 Edna Edit: birth date 12 Apr 1968 → 14 Apr 1968, sex (none) → female, skin type (none) → II, "
        "notes saved\n"
    )
    assert stored(data_dir) == ("E-1", "Edna Edit", "1968-04-14", "female", "II", "allergic to plasters")
    with Register(data_dir) as reg:
        entry = reg.audit.entries("patient", 1)[0]
    assert (entry.action, entry.actor) == ("update", "Dr A")
    assert entry.before == {"birth_date": "1968-04-12", "sex": None, "skin_type": None, "notes": ""}
    assert entry.after == {
        "birth_date": "1968-04-14",
        "sex": "female",
        "skin_type": "II",
        "notes": "allergic to plasters",
    }


def test_a_new_mrn_and_name_and_clearing_a_field(capsys, patient, data_dir: Path) -> None:
    code, out, _ = run(capsys, "patient", "edit", "E-1", "--mrn", "E-2", "--name", "Edna  Edits", "--birth-date", "")
    assert (
        code == 0
        and out
        == "patient E-2 Edna Edits: MRN E-1 → E-2, name Edna Edit → Edna Edits, birth date 12 Apr 1968 → (none)\n"
    )
    assert stored(data_dir)[:3] == ("E-2", "Edna Edits", None)
    code, _, err = run(capsys, "patient", "show", "E-1")
    assert code == 1 and "no patient with MRN E-1" in err
    detail = json.loads(run(capsys, "patient", "edit", "E-2", "--sex", "male", "--json")[1])
    assert (detail["before"]["sex"], detail["after"]["sex"], detail["after"]["mrn"]) == (None, "male", "E-2")


def test_the_same_values_change_nothing(capsys, patient, data_dir: Path) -> None:
    with Register(data_dir) as reg:
        rows = len(reg.audit.entries("patient", 1))
    code, out, _ = run(capsys, "patient", "edit", "E-1", "--name", " Edna   Edit ", "--birth-date", "1968-04-12")
    assert code == 0 and out == "patient E-1 Edna Edit: nothing changed\n"
    with Register(data_dir) as reg:
        assert len(reg.audit.entries("patient", 1)) == rows


@pytest.mark.parametrize(
    "argv, said",
    [
        ([], "nothing to change: give --mrn, --name, --birth-date, --sex, --skin-type or --notes"),
        (["--sex", "robot"], "unknown sex 'robot'; use one of: female, male, other, unknown"),
        (["--skin-type", "VII"], "unknown Fitzpatrick skin type 'VII'"),
        (["--mrn", "O-1"], "MRN O-1 already exists"),
        (["--birth-date", "2999-01-01"], "future"),
    ],
)
def test_a_bad_value_is_refused_in_one_line_and_nothing_saved(capsys, patient, data_dir: Path, argv, said) -> None:
    run(capsys, "patient", "add", "--mrn", "O-1", "--name", "Other One")
    code, out, err = run(capsys, "patient", "edit", "E-1", *argv)
    assert (code, out) == (1, "") and err.startswith("dermadesk: error: ") and said in err and err.count("\n") == 1
    assert stored(data_dir) == ("E-1", "Edna Edit", "1968-04-12", None, None, "")


def test_looking_like_another_patient_is_refused_unless_asked(capsys, patient, data_dir: Path) -> None:
    """As the app asks before saving such a name or birth date, and as ``patient add`` refuses a likely duplicate."""
    run(capsys, "patient", "add", "--mrn", "T-1", "--name", "Edna Edit", "--birth-date", "1970-01-01")
    code, out, err = run(capsys, "patient", "edit", "T-1", "--birth-date", "1968-04-12")
    assert (code, out) == (LIKELY_DUPLICATE_EXIT, "")
    assert "not saved" in err and "E-1 Edna Edit, born 12 Apr 1968" in err and "--even-if-duplicate" in err
    assert stored(data_dir, 2)[2] == "1970-01-01"
    code, out, _ = run(capsys, "patient", "edit", "T-1", "--birth-date", "1968-04-12", "--even-if-duplicate")
    assert code == 0 and out == "patient T-1 Edna Edit: birth date 1 Jan 1970 → 12 Apr 1968\n"
    assert stored(data_dir, 2)[2] == "1968-04-12"
