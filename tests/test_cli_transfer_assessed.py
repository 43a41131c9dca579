"""``transfer import`` of a package that brought assessments for captures here: the comparisons made here with the
tier a capture had before are compared again within the import, said in a line with each comparison as ``assess``
says them (--json: ``compared_again``). Real registers, a real package, the tiny ONNX models, the real command."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.services.transfer import export_patients
from dermadesk.services.tracking import latest_change
from dermadesk.storage.register import Register
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_since_review import DAYS
from tests.services.test_transfer_assessed_compares import RISE, assessed_on_the_laptop
from tests.services.test_transfer_review_compares import ids_by_day
from tests.test_cli import run

SAID = "  compared again, as the package brought assessments that give their captures other risk tiers: lesion 1"


def package_back(tmp_path: Path, tiny_model_dir: Path, low_model: Path) -> tuple[Path, Path]:  # noqa: F811
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    package = tmp_path / "back.ddtx"
    with Register(laptop) as reg:
        export_patients(reg, package, None)
    return clinic, package


def test_the_import_says_the_comparisons_it_made_again(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, package = package_back(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    with Register(clinic) as reg:
        row = latest_change(reg, here[DAYS[2]])
    assert code == 0 and err == "" and row is not None
    assert row.metrics["risk_tier"] == {"before": "low", "after": "monitor"}
    lines = out.splitlines()
    assert SAID in lines
    assert lines[lines.index(SAID) + 1] == (
        f"  lesion {lid}: capture {here[DAYS[0]]} (5 Jan 2026) → capture {here[DAYS[2]]} (30 Mar 2026) compared again "
        f"with the baseline: {row.verdict.upper()} ({row.reasons[0]}) (comparison {row.id})"
    )
    assert any(r.startswith(RISE) for r in row.reasons)


def test_json_holds_the_comparisons_made_again(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, package = package_back(tmp_path, tiny_model_dir, low_model)
    lid, here = ids_by_day(clinic)
    code, out, err = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--yes")
    doc = json.loads(out)  # one document
    [row] = doc["compared_again"]
    assert code == 0 and err == "" and doc["applied"]
    assert (row["baseline_capture_id"], row["followup_capture_id"]) == (here[DAYS[0]], here[DAYS[2]])
    assert row["metrics"]["risk_tier"] == {"before": "low", "after": "monitor"}
    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--yes")
    assert code == 0 and json.loads(out)["compared_again"] == []  # nothing new: nothing compared again
