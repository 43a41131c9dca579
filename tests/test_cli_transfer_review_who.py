"""``dermadesk transfer import``: a capture reviewed differently here and in the package is a conflict whose line
says who decided on each side and when, in the dry run and in the import's own preview, and --json gives both as
data. Real registers, a real package, the real command line."""

from __future__ import annotations

import json
from pathlib import Path

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
