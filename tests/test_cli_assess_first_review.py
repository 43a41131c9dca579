"""``dermadesk assess`` of a later capture whose reviewed capture it was never compared with: assessed, its comparison
with the baseline (made with no tier) is compared again, and its first comparison with the reviewed capture is made;
that one is said as one, as ``capture review`` and ``transfer import`` say it ("capture 3 (30 Mar 2026) compared with
the reviewed capture 2 (16 Feb 2026): ..."; --json ``compared_since_review``), never as "compared again with the
reviewed capture". A real register, the real command, the tiny ONNX model, real synthetic images compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.inference.registry import install_model
from dermadesk.services.register_ops import review_capture
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS, GROWN
from tests.services.test_transfer_assessed_compares import add
from tests.test_cli import run


@pytest.fixture
def later_never_compared_with_reviewed(data_dir: Path, tiny_model_dir: Path, tmp_path: Path) -> tuple[int, int, int]:
    """Baseline (5 Jan 2026), a grown capture (16 Feb) and a later one grown more (30 Mar), imported while no model
    worked (each compared with the baseline, no tiers); then the grown one answered 'monitor' (its SIGNIFICANT change:
    it is the later one's reviewed capture), stored as a decision a package brings, nothing compared after it."""
    with Register(data_dir) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", "R-1", "Rev Iewed").id, "lower extremity").id
        base, grown, later = (add(reg, lid, tmp_path, s, d) for s, d in zip((1.0, GROWN, GROWN * GROWN), DAYS))
        review_capture(reg, "dr field", grown, "monitor", "benign pattern")
        assert not any(r.baseline_capture_id == grown for r in reg.comparisons.for_lesion(lid))
    install_model(tiny_model_dir / "tiny-test.json", data_dir)
    return base, grown, later


def test_assess_says_a_first_comparison_with_the_reviewed_capture_as_one(
    capsys, data_dir: Path, later_never_compared_with_reviewed: tuple[int, int, int]
) -> None:
    base, grown, later = later_never_compared_with_reviewed
    code, out, err = run(capsys, "assess", "--capture", str(later), "--device", "cpu", "--model", "tiny-test")
    with Register(data_dir) as reg:
        rows = reg.comparisons.for_lesion(reg.captures.get(later).lesion_id)
    [again] = [r for r in rows if (r.baseline_capture_id, r.followup_capture_id) == (base, later)][1:]
    [first] = [r for r in rows if r.baseline_capture_id == grown]
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert (
        f"Lesion 1 (id 1): capture {base} (5 Jan 2026) → capture {later} (30 Mar 2026) compared again with the "
        f"baseline: {again.verdict.upper()} ({again.reasons[0]}) (comparison {again.id})"
    ) in lines
    assert (
        f"capture {later} (30 Mar 2026) compared with the reviewed capture {grown} (16 Feb 2026): "
        f"{first.verdict.upper()} ({first.reasons[0]})"
    ) in lines
    assert not any("compared again with the reviewed capture" in line for line in lines)


def test_assess_json_holds_the_first_comparison_under_compared_since_review(
    capsys, data_dir: Path, later_never_compared_with_reviewed: tuple[int, int, int]
) -> None:
    base, grown, later = later_never_compared_with_reviewed
    code, out, err = run(capsys, "--json", "assess", "--capture", str(later), "--device", "cpu", "--model", "tiny-test")
    doc = json.loads(out)  # one document
    assert code == 0 and err == ""
    assert [(r["baseline_capture_id"], r["followup_capture_id"]) for r in doc["compared_again"]] == [(base, later)]
    assert [(r["baseline_capture_id"], r["followup_capture_id"]) for r in doc["compared_since_review"]] == [
        (grown, later)
    ]
