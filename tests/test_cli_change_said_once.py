"""``compare`` and ``lesion show`` of a follow-up grown a little, 190 days after its baseline: the reason said "area
+3%, diameter +2%", then the figures line "area +2.5%, diameter +1.5%, ΔE 0.0" under it, two figures for one change,
where the app's Change tab and the lesion report say each once. Now the command line leaves out the sizes a reason
gives, as they do (``domain.text.figures_unsaid``), and keeps its one decimal where the figures line still gives them
(a SIGNIFICANT change's reasons name the rule, not the figures). A real register, the real commands, synthetic
images."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import lesion_jpeg
from tests.reports.test_change_said_once import REASON
from tests.test_cli import run


def two_captures(capsys: pytest.CaptureFixture, tmp_path: Path, scale: float, days: tuple[str, str]) -> None:
    """A lesion whose follow-up is ``scale`` times as wide as its baseline, taken on ``days``."""
    run(capsys, "patient", "add", "--mrn", "S-1", "--name", "Said Once")
    run(capsys, "lesion", "add", "--patient", "S-1", "--site", "anterior torso")
    for name, size, day in zip(("base", "follow"), (1.0, scale), days):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(lesion_jpeg(seed=40, scale=size))
        code, out, _ = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(path))
        assert code == 0, out


def test_compare_and_lesion_show_say_each_change_figure_once(capsys, data_dir: Path, tmp_path: Path) -> None:
    two_captures(capsys, tmp_path, 1.012, ("2026-05-12", "2026-11-18"))  # the report's test's lesion
    code, out, _ = run(capsys, "compare", "1", "2")
    assert code == 0 and f"verdict: NOT SIGNIFICANT\n  - {REASON}\nΔE 0.0; aligned on " in out, out
    assert out.count("area ") == 1 and "+2.5%" not in out  # never "+3%" then "+2.5%"
    code, out, _ = run(capsys, "lesion", "show", "1")
    (change,) = [line.strip() for line in out.splitlines() if "change since the baseline, capture 1" in line]
    assert code == 0 and change.endswith(f"NOT SIGNIFICANT ({REASON}); ΔE 0.0"), change
    assert change.count("area ") == 1, change


def test_a_significant_change_keeps_its_figures_to_one_decimal(capsys, data_dir: Path, tmp_path: Path) -> None:
    """Its reasons name the rule ("area grew by 32%"): the figures line stays whole, one decimal, in both."""
    two_captures(capsys, tmp_path, 1.15, ("2026-01-10", "2026-03-10"))
    code, out, _ = run(capsys, "compare", "1", "2")
    assert code == 0 and "verdict: SIGNIFICANT" in out and "  - area grew by " in out, out
    assert re.search(r"\narea \+\d+\.\d%, diameter \+\d+\.\d%, ΔE \d+\.\d; aligned on ", out), out
    code, out, _ = run(capsys, "lesion", "show", "1")
    assert re.search(r"SIGNIFICANT \(area grew by \d+%\); area \+\d+\.\d%, diameter \+\d+\.\d%, ΔE \d+\.\d", out), out
