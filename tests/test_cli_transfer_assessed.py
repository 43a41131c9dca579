"""``transfer import`` of a package that brought assessments for captures here: the comparisons made here with the
tier a capture had before are compared again within the import, said in a line with each comparison as ``assess``
says them (--json: ``compared_again``). Real registers, a real package, the tiny ONNX models, the real command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dermadesk.services.transfer as transfer
from dermadesk.services.transfer import export_patients
from dermadesk.services.tracking import latest_change
from dermadesk.storage.register import Register
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_since_review import DAYS
from tests.services.test_transfer_assessed_compares import (
    RISE,
    assessed_and_decided_on_the_laptop,
    assessed_on_the_laptop,
)
from tests.services.test_transfer_review_compares import REVIEWED, ids_by_day
from tests.test_cli import run

SAID = "  compared again, as the package brought assessments that give their captures other risk tiers: Lesion 1 (id 1)"


def package_back(
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
    laptop_did: Callable[..., tuple[Path, Path]] = assessed_on_the_laptop,
) -> tuple[Path, Path]:
    clinic, laptop = laptop_did(tmp_path, tiny_model_dir, low_model)
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
        f"  Lesion 1 (id {lid}): capture {here[DAYS[0]]} (5 Jan 2026) → capture {here[DAYS[2]]} (30 Mar 2026) "
        f"compared again with the baseline: {row.verdict.upper()} ({row.reasons[0]}) (comparison {row.id})"
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


def test_a_first_comparison_with_the_reviewed_capture_is_said_as_one_not_as_compared_again(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """The package also brings the decision that makes the grown capture the later one's reviewed capture: the later
    capture's comparison with it, a first one, is said once, as 'capture review' says it, not as compared again."""
    clinic, package = package_back(tmp_path, tiny_model_dir, low_model, assessed_and_decided_on_the_laptop)
    lid, here = ids_by_day(clinic)
    base, reviewed, later = (here[day] for day in DAYS[:3])
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    with Register(clinic) as reg:
        rows = reg.comparisons.for_lesion(lid)
        row = latest_change(reg, later)
    [first] = [r for r in rows if r.baseline_capture_id == reviewed]
    assert code == 0 and err == "" and row is not None
    lines = out.splitlines()
    assert lines[lines.index(SAID) + 1] == (
        f"  Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {later} (30 Mar 2026) compared again "
        f"with the baseline: {row.verdict.upper()} ({row.reasons[0]}) (comparison {row.id})"
    )
    assert (
        f"  capture {later} (30 Mar 2026) compared with the reviewed capture {reviewed} (16 Feb 2026): "
        + (f"{first.verdict.upper()} ({first.reasons[0]})")
        in lines
    )
    assert not any("compared again with the reviewed capture" in line for line in lines)


def test_json_holds_a_first_comparison_with_the_reviewed_capture_under_compared_since_review(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, package = package_back(tmp_path, tiny_model_dir, low_model, assessed_and_decided_on_the_laptop)
    _, here = ids_by_day(clinic)
    base, reviewed, later = (here[day] for day in DAYS[:3])
    code, out, err = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--yes")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert [(r["baseline_capture_id"], r["followup_capture_id"]) for r in doc["compared_again"]] == [(base, later)]
    assert [(r["baseline_capture_id"], r["followup_capture_id"]) for r in doc["compared_since_review"]] == [
        (reviewed, later)
    ]


def test_ctrl_c_while_comparing_with_the_reviewed_capture_says_the_tiers_were_compared_again(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C (a fault injected as the later capture is compared with the reviewed capture), after the comparisons the
    tiers outdated were compared again: the warning names those, kept, and what is left; the lines say what was
    compared again."""
    clinic, package = package_back(tmp_path, tiny_model_dir, low_model, assessed_and_decided_on_the_laptop)
    _, here = ids_by_day(clinic)
    base, later = here[DAYS[0]], here[DAYS[2]]
    real = transfer.compare_since_import

    def interrupted(register: Any, actor: str, plan: Any, progress: Any, cancel: Any, *rest: Any) -> Any:
        def pressed(_: float, message: str) -> None:
            if message == REVIEWED:
                raise KeyboardInterrupt

        return real(register, actor, plan, pressed, cancel, *rest)

    monkeypatch.setattr(transfer, "compare_since_import", interrupted)
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    assert code == 130 and SAID in out.splitlines()
    assert err == (
        "dermadesk: interrupted: the import is done, but the later captures were not all compared with the reviewed "
        f"capture (the flag estimates the change since it until they are). Compared before the interrupt, and kept: "
        f"Lesion 1 (id 1): capture {base} (5 Jan 2026) → capture {later} (30 Mar 2026). Still to compare: Lesion 1 "
        "(id 1); import the same package again to finish (nothing is imported twice; what is left is compared)\n"
    )
