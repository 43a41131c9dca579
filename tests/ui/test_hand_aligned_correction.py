"""A hand-aligned pair (the automatic alignment refused) whose follow-up date is corrected in the app (Edit > Edit
capture…, then Edit > Undo): the comparison is made again with the hand alignment of record and stored, and the
Assessment tab's change line, the referral prompt, the trend chart and the saved report agree with it; after the
undo they agree with the hand-aligned row of the old date again (a new user's report, issue #16)."""

from __future__ import annotations

from pathlib import Path


from dermadesk.domain.dates import human_date
from dermadesk.services import tracking
from tests.services.test_hand_aligned_corrections import BASE, CORRECTED, FOLLOW, hand_aligned_lesion
from tests.ui.helpers import saved_report_text


def shown(qtbot, window, dialogs, lid: int, target: Path) -> tuple[str, bool, bool, str]:
    """(the change line, the referral prompt shown, the trend chart measured, the saved report's change)."""
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)
    line = window.assessment.change.text()
    prompt = window.referral_prompt.isVisibleTo(window) and "SIGNIFICANT change" in window.referral_prompt.text.text()
    measured = "nothing measured" not in window.comparison.chart.chart().title()
    text = saved_report_text(qtbot, window, dialogs, target)
    start = text.find(f"Change since {human_date(BASE)}")  # as the report dates it
    return line, prompt, measured, text[start : start + 60] if start >= 0 else ""


def test_date_correction_of_a_hand_aligned_pair_reaches_every_view(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lid, base_id, follow_id = hand_aligned_lesion(reg, tmp_path)
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid)
    window.show_capture(follow_id)
    window.show_trend()  # as a comparison shown does; after a correction, the recompare redraws it
    hand = tracking.latest_change(reg, follow_id)
    assert hand is not None and hand.interval_days == 186 and hand.verdict == "not significant"
    line, prompt, measured, report = shown(qtbot, window, dialogs, lid, tmp_path / "before.pdf")
    assert "NOT SIGNIFICANT" in line and not prompt and measured and "(186 days): NOT SIGNIFICANT" in report

    def redate(d) -> bool:
        d.taken.set_iso(CORRECTED)
        return True

    dialogs.fillers.append(redate)
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.actions["edit_capture"].trigger()
    assert reg.captures.get(follow_id).taken_at[:10] == CORRECTED and not dialogs.errors
    fresh = tracking.latest_change(reg, follow_id)
    assert fresh is not None and fresh.id > hand.id and fresh.interval_days == 64
    assert fresh.metrics["registration"]["method"] == "manual" and fresh.verdict == "significant"
    line, prompt, measured, report = shown(qtbot, window, dialogs, lid, tmp_path / "corrected.pdf")
    assert "SIGNIFICANT" in line and "NOT SIGNIFICANT" not in line and prompt and measured
    assert "(64 days): SIGNIFICANT" in report

    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.stack.undo()
    assert reg.captures.get(follow_id).taken_at[:10] == FOLLOW and not dialogs.errors
    assert tracking.latest_change(reg, follow_id).id == hand.id
    line, prompt, measured, report = shown(qtbot, window, dialogs, lid, tmp_path / "undone.pdf")
    assert "NOT SIGNIFICANT" in line and not prompt and measured and "(186 days): NOT SIGNIFICANT" in report
