"""``capture add`` of a follow-up says its change since the lesion's baseline in one line, as the app's assessment
panel does (verdict and its first reason, from the comparison the import stored) with the main figures; the first
capture says none. A real SQLite register, the real command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dermadesk.services.tracking import change_line
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run


def image(tmp_path: Path, name: str, seed: int, scale: float) -> str:
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(lesion_jpeg(seed=seed, scale=scale))
    return str(path)


@pytest.fixture
def lesion(capsys, data_dir: Path) -> None:
    run(capsys, "patient", "add", "--mrn", "F-1", "--name", "Fol Low")
    run(capsys, "lesion", "add", "--patient", "F-1", "--site", "posterior torso")


def test_a_grown_follow_up_says_significant_change_with_its_figures(
    capsys, lesion, data_dir: Path, tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        "capture",
        "add",
        "--lesion",
        "1",
        "--no-assess",
        "--taken",
        "2026-01-05",
        image(tmp_path, "base", 40, 1.0),
    )
    assert code == 0 and "change since" not in out  # the baseline: nothing to compare with
    code, out, _ = run(
        capsys,
        "capture",
        "add",
        "--lesion",
        "1",
        "--no-assess",
        "--taken",
        "2026-03-02",
        image(tmp_path, "grown", 40, 1.3),
    )
    added, said = out.splitlines()[:2]
    assert code == 0 and added.startswith("capture 2 (2 Mar 2026) added (grown.jpg")
    with Register(data_dir) as reg:  # what the app's panel shows for capture 2
        line = change_line(reg, 2)
        (row,) = reg.comparisons.for_lesion(1)
    assert line is not None and line.verdict == "significant" and line.first_reason.startswith("area grew by")
    m = row.metrics
    assert said == (
        f"  change since the baseline, capture 1 (5 Jan 2026): SIGNIFICANT ({line.first_reason}); "
        f"area {m['area_change_percent']:+.1f}%, diameter {m['diameter_change_percent']:+.1f}%, "
        f"ΔE {m['delta_e']:.1f}"
    )
    assert "suggestion: the lesion's status is still 'monitoring': mark it referred?" in out
    code, out, _ = run(capsys, "compare", "1", "2")  # the same result as compare gives: nothing new stored
    assert code == 0 and "verdict: SIGNIFICANT" in out and f"same result as comparison {row.id}" in out


def test_an_unchanged_follow_up_says_no_significant_change(capsys, lesion, tmp_path: Path) -> None:
    run(
        capsys,
        "capture",
        "add",
        "--lesion",
        "1",
        "--no-assess",
        "--taken",
        "2026-01-05",
        image(tmp_path, "base", 2, 1.0),
    )
    code, out, _ = run(
        capsys,
        "capture",
        "add",
        "--lesion",
        "1",
        "--no-assess",
        "--taken",
        "2026-04-05",
        image(tmp_path, "same", 2, 0.998),
        "--json",
    )
    (record,) = [json.loads(line) for line in out.splitlines()]
    change = record["change"]  # --json: the stored comparison on the follow-up's record
    assert code == 0 and change["followup_capture_id"] == record["capture"]["id"] == 2
    assert change["baseline_capture_id"] == 1 and change["verdict"] == "not significant"
    code, out, _ = run(
        capsys,
        "capture",
        "add",
        "--lesion",
        "1",
        "--no-assess",
        "--taken",
        "2026-05-05",
        image(tmp_path, "again", 2, 0.999),
    )
    said = out.splitlines()[1]
    assert code == 0 and said.startswith(
        "  change since the baseline, capture 1 (5 Jan 2026): NOT SIGNIFICANT "
        "(no significant change under short-term rules (the visits are 120 days "
        "apart): area "
    )
    # its area and diameter said once, in the reason (as the app and the report say them), then the colour only
    assert re.search(r"apart\): area -0\.\d%, diameter -0\.\d%\); ΔE \d+\.\d$", said), said
    assert said.count("area ") == 1 and "suggestion" not in out


def test_an_earlier_image_imported_later_names_the_latest_capture(capsys, lesion, tmp_path: Path) -> None:
    """A back-dated image becomes the baseline: the change said is the lesion's latest capture's, named."""
    run(
        capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", "2026-02-01", image(tmp_path, "b", 40, 1.0)
    )
    code, out, _ = run(
        capsys,
        "capture",
        "add",
        "--lesion",
        "1",
        "--no-assess",
        "--taken",
        "2026-01-01",
        image(tmp_path, "a", 40, 1.0 / 1.3),
    )
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("capture 2 (1 Jan 2026) added (a.jpg")
    assert lines[1].startswith(
        "capture 1 (1 Feb 2026), the lesion's latest: change since the baseline, capture 2 (1 Jan 2026): "
        "SIGNIFICANT (area grew by"
    )
