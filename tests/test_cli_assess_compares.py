"""``dermadesk assess`` on a capture imported while no model was used (``--no-assess``): its comparison with the
baseline, made without its tier, is compared again with the tier it has now, and said in a line as ``capture edit``
says the comparisons it makes again (--json: ``compared_again``); its change line reads that comparison. Assessed
again with the same outcome, nothing is compared. A real SQLite register, the real commands, tiny ONNX models, real
synthetic images compared by the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.inference.registry import install_model
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.test_cli import run


@pytest.fixture
def unassessed_follow_up(capsys, installed_model: Path, low_model: Path, data_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    """Capture 1 (3 Feb 2026) assessed LOW, capture 2 (3 Mar 2026, grown) added with no assessment and compared."""
    install_model(low_model, data_dir)
    run(capsys, "patient", "add", "--mrn", "T-1", "--name", "Tier Rise")
    run(capsys, "lesion", "add", "--patient", "T-1", "--site", "upper extremity")
    for name, scale, day, how in (("a", 1.0, "2026-02-03", ["--model", "tiny-low"]), ("b", 1.3, "2026-03-03", [])):
        image = tmp_path / f"{name}.jpg"
        image.write_bytes(lesion_jpeg(seed=0, scale=scale))
        flags = how or ["--no-assess"]
        code, _, err = run(capsys, "capture", "add", "--lesion", "1", "--device", "cpu", "--taken", day, *flags,
                           str(image))  # fmt: skip
        assert code == 0, err
    with Register(data_dir) as reg:
        [row] = reg.comparisons.for_lesion(1)
        assert row.metrics["risk_tier"] == {"before": "low", "after": None}


def test_assess_compares_again_and_says_the_comparison(capsys, data_dir: Path, unassessed_follow_up: None) -> None:
    code, out, err = run(capsys, "assess", "--capture", "2", "--device", "cpu", "--model", "tiny-test")
    with Register(data_dir) as reg:
        first, row = reg.comparisons.for_lesion(1)
    assert code == 0 and err == ""
    assert row.metrics["risk_tier"] == {"before": "low", "after": "monitor"}  # the tier it has now
    assert any(r.startswith("the model's risk tier rose from low to monitor, not counted as significant") for r in
               row.reasons) and not any("risk tier" in r for r in first.reasons)  # fmt: skip
    lines = out.splitlines()
    assert lines[0].startswith("capture 2 (3 Mar 2026): tier MONITOR")
    assert lines[1].startswith(f"  change since the baseline, capture 1 (3 Feb 2026): SIGNIFICANT ({row.reasons[0]})")
    assert lines[2] == "assessed with tiny-test@0.0.1 on CPU -- decision support, not a diagnosis"
    assert lines[3] == (
        "Lesion 1 (id 1): capture 1 (3 Feb 2026) → capture 2 (3 Mar 2026) compared again with the baseline: "
        f"SIGNIFICANT ({row.reasons[0]}) (comparison {row.id})"
    )
    code, out, _ = run(capsys, "assess", "--capture", "2", "--device", "cpu", "--model", "tiny-test")
    assert code == 0 and "compared again" not in out  # the same tier again: nothing compared
    with Register(data_dir) as reg:
        assert len(reg.comparisons.for_lesion(1)) == 2


def test_assess_json_holds_the_comparisons_made_again(capsys, data_dir: Path, unassessed_follow_up: None) -> None:
    code, out, err = run(capsys, "--json", "assess", "--capture", "2", "--device", "cpu", "--model", "tiny-test")
    doc = json.loads(out)  # one document: the assessment and the comparisons it made again
    with Register(data_dir) as reg:
        row = reg.comparisons.for_lesion(1)[-1]
    assert code == 0 and err == "" and doc["risk_tier"] == "monitor"
    assert [(c["id"], c["baseline_capture_id"], c["followup_capture_id"]) for c in doc["compared_again"]] == [
        (row.id, 1, 2)
    ]
    code, out, _ = run(capsys, "--json", "assess", "--capture", "1", "--device", "cpu", "--model", "tiny-low")
    assert code == 0 and json.loads(out)["compared_again"] == []  # LOW again: nothing compared


def test_assess_compares_a_pair_compared_by_hand_again(
    capsys, data_dir: Path, tmp_path: Path, unassessed_follow_up: None
) -> None:
    """Capture 3 (3 Apr 2026), also added with no assessment, compared by hand with capture 2: assessing capture 2
    compares that pair again too, its line naming no baseline or reviewed capture."""
    image = tmp_path / "c.jpg"
    image.write_bytes(lesion_jpeg(seed=0, scale=1.4))
    code, _, err = run(capsys, "capture", "add", "--lesion", "1", "--taken", "2026-04-03", "--no-assess", str(image))
    assert code == 0, err
    code, _, err = run(capsys, "compare", "2", "3")
    assert code == 0, err
    code, out, err = run(capsys, "assess", "--capture", "2", "--device", "cpu", "--model", "tiny-test")
    with Register(data_dir) as reg:
        rows = [r for r in reg.comparisons.for_lesion(1) if (r.baseline_capture_id, r.followup_capture_id) == (2, 3)]
    assert code == 0 and err == "" and len(rows) == 2
    assert rows[-1].metrics["risk_tier"] == {"before": "monitor", "after": None}  # the tier capture 2 has now
    assert (
        "Lesion 1 (id 1): capture 2 (3 Mar 2026) → capture 3 (3 Apr 2026) compared again: "
        f"{rows[-1].verdict.upper()} ({rows[-1].reasons[0]}) (comparison {rows[-1].id})"
    ) in out.splitlines()
