"""An URGENT result nobody answered, then a LOW capture: the referral prompt and the list said URGENT while the LOW
capture's panel read "Routine care, re-check in about 12 months; Next follow-up: 2 Jun 2027 (12 months)". The panel
now says the follow-up the prompt asks, first and in bold ("Next follow-up: specialist review now"), the model's
advice for this image after it, as ``lesion show`` says it; once the clinician's 'monitor' on the LOW capture answers
the URGENT result too, the LOW tier's date again. Real window, real register, the real CLI, stored results."""

from __future__ import annotations

from pathlib import Path

from dermadesk.domain.dates import human_date
from dermadesk.services.follow_up import lesion_next_follow_up
from tests.services.test_standing import lesion_with_results
from tests.ui.helpers import settled
from tests.ui.test_follow_up_in_panel import saved, tier_line
from tests.ui.test_follow_up_not_assessable import cli_line


def test_the_low_captures_panel_says_the_review_the_urgent_result_asks(qtbot, capsys, window, tmp_path: Path) -> None:
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["urgent", "low"])  # 10 Mar URGENT, 2 Jun LOW, no decision
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, reg.captures.for_lesion(lid)[-1].id)
    qtbot.waitUntil(lambda: "Risk tier: LOW" in window.assessment.tier.text())
    settled(qtbot, window)
    assert window.referral_prompt.isVisible()
    line = tier_line(window)
    assert line.startswith("<b>Next follow-up: specialist review now</b>; "), line
    assert "model's advice: routine care, re-check in about 12 months; malignant" in line
    assert "2 Jun 2027" not in line
    assert cli_line(capsys, window, lid) == "next follow-up: specialist review now"
    saved(window, "monitor", None)  # seen since: the decision on the LOW capture answers the URGENT result too
    qtbot.waitUntil(lambda: not window.referral_prompt.isVisible())
    after = lesion_next_follow_up(reg, lid)
    assert after.interval == "12 months" and after.due is not None
    date = human_date(after.due.isoformat())
    assert f"<b>Routine care, re-check in about 12 months</b>; Next follow-up: {date} (12 months)" in tier_line(window)
    assert cli_line(capsys, window, lid) == f"next follow-up: {date} (12 months)"
