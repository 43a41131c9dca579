"""The command line says dates as the rest of it does, "12 Mar 1961", not as stored: ``patient show``'s and ``patient
list``'s birth dates, the transfer preview's "made" (on this workstation's clock) and the dates in its "will update"
and conflict lines (a capture's date corrected there: "taken at 1 Jun 2025 → 5 Jan 2026"); --json keeps the stored
values. A real SQLite register, real packages, the real commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dermadesk.domain.dates import human_datetime
from dermadesk.storage.transfer_values import shown
from tests.test_cli import run
from tests.test_cli_correction_compares import baseline_redated_on_the_laptop


def test_patient_show_says_the_birth_date_as_people_read_it(capsys) -> None:
    run(
        capsys, "patient", "add", "--mrn", "D-1", "--name", "Dora Date", "--birth-date", "1961-03-12", "--sex", "female"
    )
    code, out, _ = run(capsys, "patient", "show", "D-1")
    assert code == 0 and out.splitlines()[0] == "D-1 Dora Date born 12 Mar 1961 female"
    code, out, _ = run(capsys, "--json", "patient", "show", "D-1")
    assert code == 0 and json.loads(out)["patient"]["birth_date"] == "1961-03-12"  # --json: as stored


def test_patient_list_says_birth_dates_as_patient_show_does(capsys) -> None:
    run(
        capsys, "patient", "add", "--mrn", "L-1", "--name", "Lena List", "--birth-date", "1968-04-12", "--sex", "female"
    )
    run(capsys, "patient", "add", "--mrn", "L-2", "--name", "Otto One", "--birth-date", "2001-01-05")
    run(capsys, "patient", "add", "--mrn", "L-3", "--name", "Nan None")
    code, out, _ = run(capsys, "patient", "list")
    assert code == 0 and out.splitlines() == [
        "L-1            Lena List                      12 Apr 1968 female",
        "L-3            Nan None",  # no birth date recorded: nothing after the name
        "L-2            Otto One                       5 Jan 2001",  # a one-figure day
    ]  # by name
    assert "born 12 Apr 1968" in run(capsys, "patient", "show", "L-1")[1]  # the same words for the same date
    code, out, _ = run(capsys, "--json", "patient", "list")
    assert code == 0 and [p["birth_date"] for p in json.loads(out)] == ["1968-04-12", None, "2001-01-05"]  # as stored


def test_the_transfer_preview_says_its_dates_as_people_read_them(capsys, tmp_path: Path) -> None:
    clinic, package = baseline_redated_on_the_laptop(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--dry-run")
    first, *_ = out.splitlines()
    made = re.search(r", made (.*)$", first)
    assert code == 0 and made is not None and not re.match(r"\d{4}-", made.group(1))
    [update] = [line for line in out.splitlines() if line.startswith("will update: ")]
    assert "taken at 1 Jun 2025 → 5 Jan 2026 (changed in the package" in update
    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--dry-run")
    doc = json.loads(out)  # --json: the stored values (UTC stamp)
    assert code == 0 and human_datetime(doc["created"]) == made.group(1) and doc["created"].endswith("+00:00")


def test_a_fields_value_is_said_as_people_read_it() -> None:
    assert shown("2026-01-05", "taken_at") == "5 Jan 2026"
    assert shown("2026-01-05T10:32:00", "taken_at") == "5 Jan 2026 10:32"
    assert shown("1961-03-12", "birth_date") == "12 Mar 1961"
    assert shown("12/03/1961", "birth_date") == "'12/03/1961'"  # not a date it can read: as it is, quoted
    assert shown("monitor", "decision") == "'monitor'" and shown("", "taken_at") == "(empty)"
