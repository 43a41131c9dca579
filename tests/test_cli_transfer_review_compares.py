"""``transfer import``: a decision the package brought on a capture after which this register holds later ones has
those compared with the reviewed capture within the import, a line for each as ``capture review`` says them, the rows
in --json. Real registers, a real package, the real command."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS
from tests.services.test_transfer_review_compares import decided_on_the_laptop, ids_by_day
from tests.test_cli import run


def test_the_import_says_the_comparisons_it_made(capsys, tmp_path: Path) -> None:
    clinic, laptop = decided_on_the_laptop(tmp_path)
    package = tmp_path / "back.ddtx"
    with Register(laptop) as reg:
        export_patients(reg, package, None)
    lid, here = ids_by_day(clinic)
    reviewed, later = here[DAYS[1]], here[DAYS[2]]
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    with Register(clinic) as reg:
        row = reg.comparisons.for_lesion(lid)[-1]
        assert (row.baseline_capture_id, row.followup_capture_id) == (reviewed, later)
    assert code == 0 and err == ""
    assert (
        f"\n  capture {later} (30 Mar 2026) compared with the reviewed capture {reviewed} (16 Feb 2026): "
        f"SIGNIFICANT ({row.reasons[0]})\n" in out
    )


def test_json_holds_the_comparison_rows(capsys, tmp_path: Path) -> None:
    clinic, laptop = decided_on_the_laptop(tmp_path)
    package = tmp_path / "back.ddtx"
    with Register(laptop) as reg:
        export_patients(reg, package, None)
    lid, here = ids_by_day(clinic)
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes", "--json")
    doc = json.loads(out)
    [row] = doc["compared_since_review"]
    assert code == 0 and doc["applied"] and doc["update"]["captures"] == 1
    assert (row["baseline_capture_id"], row["followup_capture_id"], row["verdict"]) == (
        here[DAYS[1]],
        here[DAYS[2]],
        "significant",
    )
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes", "--json")
    assert code == 0 and json.loads(out)["compared_since_review"] == []  # nothing new: nothing compared again
