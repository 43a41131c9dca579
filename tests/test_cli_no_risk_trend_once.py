"""``compare`` of two captures the model could not assess, for the same reasons: its "no risk trend" reason is said once
for both, as the Change tab and the lesion report say it ("... the baseline or the follow-up (both not assessable:
...)"), not the whole sentence for the baseline and again for the follow-up; --json keeps the reasons as stored, one
for each capture. A real register, a real comparison, the real command."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.services.risk_record import NO_RISK_TREND
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results
from tests.test_cli import run

BOTH = f"  - {NO_RISK_TREND}baseline or the follow-up (both not assessable: no colour)"


def test_compare_says_no_risk_trend_once_for_both_captures(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lesion_with_results(reg, tmp_path, [None, None])  # both: not assessable, "no colour"
    code, out, err = run(capsys, "compare", "1", "2")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0] == "capture 1 (10 Mar 2026) → capture 2 (2 Jun 2026)"
    assert BOTH in lines and out.count("no risk trend") == 1
    shown = json.loads(run(capsys, "--json", "compare", "1", "2")[1])
    assert [r for r in shown["reasons"] if r.startswith(NO_RISK_TREND)] == [
        f"{NO_RISK_TREND}baseline (not assessable: no colour)",
        f"{NO_RISK_TREND}follow-up (not assessable: no colour)",
    ]


def test_compare_names_the_one_capture_not_assessed(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lesion_with_results(reg, tmp_path, [None, "urgent"])  # the baseline alone not assessable
    code, out, _ = run(capsys, "compare", "1", "2")
    assert code == 0 and f"  - {NO_RISK_TREND}baseline (not assessable: no colour)" in out.splitlines()
    assert "both" not in out and out.count("no risk trend") == 1
