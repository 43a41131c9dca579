"""``dermadesk transfer import --rename-mrn OLD=NEW``: a package patient whose MRN is another person's here is left out
(exit 1) with a free MRN suggested, or imported as a new patient under NEW (exit 0); the next import finds it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.test_cli_transfer import run
from tests.transfer_data import fill


@pytest.fixture
def clinics(tmp_path: Path) -> tuple[str, str]:
    """(the clinic's data folder, the laptop's package): P-1 is Bob Jones at the clinic, Ann Smith on the laptop."""
    with Register(tmp_path / "field") as reg:
        fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
        fill(reg, "P-7", "Carl Same", lesions=1, captures=1, seed=5)
        export_patients(reg, tmp_path / "in.ddtx", None)
    with Register(tmp_path / "clinic") as reg:
        fill(reg, "P-1", "Bob Jones", lesions=1, captures=1, seed=3, birth_date="1971-02-03")
    return str(tmp_path / "clinic"), str(tmp_path / "in.ddtx")


def test_left_out_with_the_option_to_give_then_imported_under_a_new_mrn(capsys, clinics: tuple[str, str]) -> None:
    clinic, package = clinics
    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--yes")
    ann = next(line for line in out.splitlines() if "Ann Smith" in line)
    assert code == 1 and ann.endswith(
        "CONFLICT  the name differs (here 'Bob Jones', in the package 'Ann Smith'); import it as a new patient with "
        "--rename-mrn P-1=P-1-2, or leave it out"
    )
    assert "a patient whose MRN is another patient's here is never merged into that patient: import it as a new " in out
    assert "import a patient whose MRN is another patient's here with --rename-mrn OLD=NEW" in err

    code, _, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--rename-mrn", "P-1=P-7", "--yes")
    assert (code, err) == (
        1,
        "dermadesk: error: MRN P-7 is held here by 'Carl Same': choose another MRN for patient P-1 (free: P-1-2)\n",
    )  # Carl came in with the first run
    code, out, err = run(
        capsys, "--data-dir", clinic, "transfer", "import", package, "--rename-mrn", "P-1=P-1-2", "--yes"
    )
    assert code == 0 and err == ""
    assert out.strip().endswith(
        "imported 1 patient, 2 lesions, 2 captures, 2 assessments; the package's patient P-1 is new patient P-1-2 "
        "here (MRN P-1 is another patient's here)"
    )
    assert (
        "NEW       adds the patient with 2 lesions, 2 captures, 2 assessments; imported as P-1-2, as answered: " in out
    )
    with Register(Path(clinic)) as reg:
        ann, bob = reg.patients.by_mrn("P-1-2"), reg.patients.by_mrn("P-1")
        assert (ann.name, bob.name, len(reg.lesions.for_patient(bob.id))) == ("Ann Smith", "Bob Jones", 1)
        [entry] = [e for e in reg.audit.entries("patient", ann.id) if e.action == "import"]
        assert entry.actor and entry.after["renamed"]["mrn"] == "P-1-2"

    code, out, err = run(capsys, "--data-dir", clinic, "--json", "transfer", "import", package, "--dry-run")
    result = json.loads(out)
    [ann] = [p for p in result["patients"] if p["name"] == "Ann Smith"]
    assert code == 0 and (ann["status"], ann["renamed"], ann["suggested"], result["conflicts"]) == (
        "present",
        "P-1-2",
        "",
        [],
    )
    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--yes")  # found by its uid
    assert code == 0 and err == "" and "  P-1 (P-1-2 here) Ann Smith" in out and "nothing new to import" in out
    code, _, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--rename-mrn", "P-1=P-1-3")
    assert code == 1 and "patient P-1 of the package is patient P-1-2 here already: nothing to rename" in err


def test_an_mrn_holding_an_equals_sign_is_read_against_the_package(capsys, tmp_path: Path) -> None:
    """--rename-mrn splits at the "=" before which stands one of the package's MRNs: K=7=K=7-2 renames K=7 (the
    preview's own suggestion, pasted back). Where two splits name package MRNs (it holds K and K=7) it refuses, never
    guesses, and the preview sends that patient to the app's import preview instead of suggesting the option."""
    with Register(tmp_path / "field") as reg:
        fill(reg, "K=7", "Ann Smith", lesions=1, captures=1)
        export_patients(reg, tmp_path / "one.ddtx", None)
        fill(reg, "K", "Carl Same", lesions=1, captures=1, seed=5)
        export_patients(reg, tmp_path / "both.ddtx", None)
    with Register(tmp_path / "clinic") as reg:
        fill(reg, "K=7", "Bob Jones", lesions=1, captures=1, seed=3, birth_date="1971-02-03")
    clinic, one, both = str(tmp_path / "clinic"), str(tmp_path / "one.ddtx"), str(tmp_path / "both.ddtx")
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", one, "--dry-run")
    assert code == 0 and "import it as a new patient with --rename-mrn K=7=K=7-2, or leave it out" in out

    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", both, "--dry-run")
    assert code == 0 and (
        "import it as a new patient under K=7-2 in the import preview (File > Import patients from another "
        "workstation...: --rename-mrn cannot name it in this package), or leave it out" in out
    )
    code, _, err = run(capsys, "--data-dir", clinic, "transfer", "import", both, "--rename-mrn", "K=7=K=7-2", "--yes")
    assert (code, err) == (
        1,
        "dermadesk: error: --rename-mrn K=7=K=7-2 is ambiguous: it reads K → 7=K=7-2 or K=7 → K=7-2, and the "
        "package holds each of those MRNs; give the new MRN in the import preview instead (File > Import patients "
        "from another workstation...)\n",
    )
    code, _, err = run(capsys, "--data-dir", clinic, "transfer", "import", one, "--rename-mrn", "Q=1=2", "--yes")
    assert (code, err) == (1, "dermadesk: error: the package holds no patient with MRN Q or Q=1\n")
    with Register(tmp_path / "clinic") as reg:
        assert [p.mrn for p in reg.patients.search()] == ["K=7"]  # the refusals wrote nothing

    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", one, "--rename-mrn", "K=7=K=7-2", "--yes")
    assert code == 0 and err == "" and "the package's patient K=7 is new patient K=7-2 here" in out
    with Register(tmp_path / "clinic") as reg:
        ann, bob = reg.patients.by_mrn("K=7-2"), reg.patients.by_mrn("K=7")
        assert (ann.name, bob.name) == ("Ann Smith", "Bob Jones")
