"""``dermadesk transfer import``: a capture reviewed differently here and in the package is a conflict whose line
says who decided on each side and when, in the dry run and in the import's own preview, and --json gives both as
data. Real registers, a real package, the real command line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Iterator

import pytest

from dermadesk.storage.register import Register
from tests.services.test_transfer_review_who import AMES_AT, HERE, LEE_AT, THERE, reviews_apart
from tests.test_cli_transfer import run


def test_dry_run_and_import_name_who_reviewed_on_each_side_and_when(capsys, tmp_path: Path) -> None:
    clinic, package = tmp_path / "clinic", tmp_path / "in.ddtx"
    with Register(clinic) as reg:
        reviews_apart(reg, tmp_path / "field", package)
    said = f"(here: {HERE}; in the package: {THERE}; last agreed: "
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--dry-run")
    [line] = [line for line in out.splitlines() if line.startswith("conflict 1: ")]
    assert code == 0 and said in line
    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--dry-run")
    [row] = json.loads(out)["field_conflicts"]
    assert code == 0 and (row["set_here"], row["set_in_package"]) == (
        {"by": "Dr Ames", "at": AMES_AT},
        {"by": "Dr Lee", "at": LEE_AT},
    )
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    assert code == 1 and any(said in line for line in out.splitlines() if line.startswith("conflict 1: "))


# Auckland (NZDT, UTC+13): the two decisions fall on 24 Nov 2026 there, though on two days in UTC
SAME_DAY_AMES, SAME_DAY_LEE = "2026-11-23T20:15:00.000+00:00", "2026-11-24T03:40:00.000+00:00"


@pytest.fixture
def in_auckland(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()


def test_two_decisions_of_one_local_day_are_told_apart_by_their_times(capsys, tmp_path: Path, in_auckland) -> None:
    """Both reviews saved on 24 Nov 2026 (this workstation's day): each side says its time too, as the app shows
    times ("by Dr Ames on 24 Nov 2026 09:15", "by Dr Lee on 24 Nov 2026 16:40"; it said "on 24 Nov 2026" twice);
    --json keeps the stored stamps."""
    clinic, package = tmp_path / "clinic", tmp_path / "in.ddtx"
    with Register(clinic) as reg:
        reviews_apart(reg, tmp_path / "field", package, SAME_DAY_AMES, SAME_DAY_LEE)
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--dry-run")
    [line] = [line for line in out.splitlines() if line.startswith("conflict 1: ")]
    assert code == 0 and (
        "(here: decision 'monitor', re-check in 6 months, clinician notes 'border regular' — by Dr Ames on "
        "24 Nov 2026 09:15; in the package: decision 'excise', clinician notes 'border irregular' — by Dr Lee on "
        "24 Nov 2026 16:40; last agreed: " in line
    )
    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--dry-run")
    [row] = json.loads(out)["field_conflicts"]
    assert code == 0 and (row["set_here"], row["set_in_package"]) == (
        {"by": "Dr Ames", "at": SAME_DAY_AMES},
        {"by": "Dr Lee", "at": SAME_DAY_LEE},
    )
    assert "by Dr Lee on 24 Nov 2026 16:40" in row["text"]
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes", "--take", "1")
    assert code == 0 and "the package's review, by Dr Lee on 24 Nov 2026 16:40, taken whole, as answered" in out
