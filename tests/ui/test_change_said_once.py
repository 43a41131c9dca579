"""The Change since baseline tab of a follow-up grown a little, 190 days after its baseline: the reason gives the
area and diameter once, and the area line names the verdict's change apart from the drawn outlines' (another
measure, to one decimal), in the lesion report's words (real window, real register and comparison)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.explain import area_line
from tests.reports.test_change_said_once import AREA_LINE, REASON, grown_a_little


def test_the_change_tab_says_the_verdicts_area_change_apart_from_the_outlines(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = grown_a_little(reg, tmp_path)
    window.refresh(reg.lesions.get(lesion_id).patient_id)
    window.show_lesion(lesion_id)
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    shown = window.comparison.verdict.text()
    assert shown.count("area +3%, diameter +2%") == 1 and f"<li>{REASON}</li>" in shown
    said = AREA_LINE.search(shown.replace("&#x27;", "'"))
    assert said, shown
    stored = reg.comparisons.for_lesion(lesion_id)[-1].metrics
    assert said.group(0) == area_line(stored) and "(+2%)" not in shown  # the report's words, built once
