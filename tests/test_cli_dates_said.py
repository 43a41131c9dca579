"""The command line says dates as the rest of it does, "12 Mar 1961", not as stored: ``patient show``'s birth date,
the transfer preview's "made" (on this workstation's clock) and the dates in its "will update" and conflict lines
(a capture's date corrected there: "taken at 1 Jun 2025 -> 5 Jan 2026"); --json keeps the stored values. A real
SQLite register, real packages, the real commands."""

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
    assert code == 0 and out.splitlines()[0] == "D-1 Dora Date born 12 Mar 1961 female skin type ?"
    code, out, _ = run(capsys, "--json", "patient", "show", "D-1")
    assert code == 0 and json.loads(out)["patient"]["birth_date"] == "1961-03-12"  # --json: as stored


def test_the_transfer_preview_says_its_dates_as_people_read_them(capsys, tmp_path: Path) -> None:
    clinic, package = baseline_redated_on_the_laptop(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--dry-run")
    first, *_ = out.splitlines()
    made = re.search(r", made (.*)$", first)
    assert code == 0 and made is not None and not re.match(r"\d{4}-", made.group(1))
    [update] = [line for line in out.splitlines() if line.startswith("will update: ")]
    assert "taken at 1 Jun 2025 -> 5 Jan 2026 (changed in the package" in update
    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--dry-run")
    doc = json.loads(out)  # --json: the stored values (UTC stamp)
    assert code == 0 and human_datetime(doc["created"]) == made.group(1) and doc["created"].endswith("+00:00")


def test_a_fields_value_is_said_as_people_read_it() -> None:
    assert shown("2026-01-05", "taken_at") == "5 Jan 2026"
    assert shown("2026-01-05T10:32:00", "taken_at") == "5 Jan 2026 10:32"
    assert shown("1961-03-12", "birth_date") == "12 Mar 1961"
    assert shown("12/03/1961", "birth_date") == "'12/03/1961'"  # not a date it can read: as it is, quoted
    assert shown("monitor", "decision") == "'monitor'" and shown("", "taken_at") == "(empty)"
