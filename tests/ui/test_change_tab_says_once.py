"""Walkthrough 22, the Change tab of a lesion whose baseline and follow-up are both NOT ASSESSABLE for the same
reasons: its "no risk trend" reasons said the whole not-assessable sentence for the baseline, then again for the
follow-up. Now once for both, as the report says it (real window, real register, a real comparison)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.risk_record import NO_RISK_TREND
from tests.services.test_standing import lesion_with_results


def test_no_risk_trend_is_said_once_for_both_captures(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, [None, None])  # both: not assessable, "no colour"
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    said = window.comparison.verdict_text()
    assert said.count("no risk trend") == 1
    assert f"{NO_RISK_TREND}baseline or the follow-up (both not assessable: no colour)" in said
    row = reg.comparisons.for_lesion(lid)[-1]  # stored as made: one reason for each capture
    assert sum(r.startswith(NO_RISK_TREND) for r in row.reasons) == 2
