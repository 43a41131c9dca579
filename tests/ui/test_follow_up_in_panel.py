"""The assessment panel says when the patient is due back, as the patient summary does: the tier's advice read, in
bold, "Routine care, re-check in about 12 months" while the clinician's 'monitor' decision asked for 1 month (shown
only as an unlabelled "1 mo" box), and a nurse booking from the screen could book 12 months. The lesion's next
follow-up now stands under the tier: first and in bold where the clinician's interval sets it (the advice after it,
named the model's, not bold), after the advice otherwise, in red where overdue, or what to do instead for a referred
lesion; again after each save, decision or lesion status. Real window, real register, stored assessments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from dermadesk.domain.dates import human_date
from dermadesk.domain.follow_up import months_after
from dermadesk.services import register_ops as ops
from dermadesk.services.shown_follow_up import capture_follow_up
from tests.ui.helpers import settled
from tests.ui.test_layout import lesion_with
from tests.ui.test_layout_panes import wholly_shown
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out
from tests.ui.test_quality_warning_in_sight import LOW, PASS, stored
from tests.ui.test_small_screen import in_sight

ADVICE = "Routine care, re-check in about 12 months"
BOLD_ADVICE = f"<b>{ADVICE}</b>"


def low_shown(qtbot, window, tmp_path: Path, days: list[str], size: tuple[int, int] = (853, 480)) -> list[int]:
    """A lesion whose captures (taken on ``days``) are assessed LOW, the latest shown at ``size`` (853x480: 150 % on
    1280x720)."""
    window.resize(*size)
    lid = lesion_with(window, tmp_path, days)
    ids = [c.id for c in window.session.register.captures.for_lesion(lid)]
    for cid in ids:
        stored(window, cid, dataclasses.replace(LOW, quality=PASS))
    window.show_lesion(lid, ids[-1])
    qtbot.waitUntil(lambda: window.assessment.capture is not None and window.assessment.capture.id == ids[-1])
    qtbot.waitUntil(lambda: "Risk tier: LOW" in window.assessment.tier.text())
    settled(qtbot, window)
    return ids


def tier_line(window) -> str:
    """The tier's label under its heading, as HTML ("&#x27;" for an apostrophe)."""
    return window.assessment.tier.text().split("<br>", 1)[1].replace("&#x27;", "'")


def saved(window, decision: str, months: int | None) -> None:
    view = window.assessment
    view.decision.setCurrentText(decision)
    view.recheck.set_months(months)
    view.save.click()


def in_months(months: int) -> str:
    return human_date(months_after(dt.date.today(), months).isoformat())  # counted from the day it is saved


def test_the_clinicians_interval_is_the_follow_up_under_the_tier_and_the_advice_not_the_instruction(
    qtbot, window, tmp_path: Path
) -> None:
    low_shown(qtbot, window, tmp_path, ["2026-03-01"])
    view = window.assessment
    saved(window, "monitor", 1)
    line = tier_line(window)
    assert line.startswith(f"<b>Next follow-up: {in_months(1)} (1 month, clinician's decision)</b>; "), line
    assert "model's advice: routine care, re-check in about 12 months; malignant 3%" in line
    assert BOLD_ADVICE not in line  # not in bold: not what to book
    detail = view.tier_detail.text().replace("&#x27;", "'")
    assert "(the clinician's decision sets the follow-up, above): Routine care" in detail
    laid_out(qtbot, window)  # at 150 % on 1280x720 the line whole, the review keeping its room
    qtbot.waitUntil(lambda: wholly_shown(view.tier))  # laid out: a condition, no delay
    assert in_sight(view.tier) and wholly_shown(view.save) and wholly_shown(view.decision)
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # the window does not scroll


def test_without_an_interval_the_tiers_date_follows_the_advice(qtbot, window, tmp_path: Path) -> None:
    ids = low_shown(qtbot, window, tmp_path, ["2026-03-01"], (1280, 720))
    assert tier_line(window).startswith(f"{BOLD_ADVICE}; Next follow-up: 1 Mar 2027 (12 months); malignant 3%")
    follow_up = capture_follow_up(window.session.register, ids[0], dt.date(2026, 11, 24))
    assert (follow_up.words, follow_up.overdue, follow_up.clinicians) == ("1 Mar 2027 (12 months)", False, False)


def test_an_overdue_follow_up_is_said_in_red(qtbot, window, tmp_path: Path) -> None:
    low_shown(qtbot, window, tmp_path, ["2021-03-01"])
    line = tier_line(window)
    late = "was due 1 Mar 2022 (12-month re-check)"  # not "(12 months)": read as 12 months overdue
    assert f"{BOLD_ADVICE}; <b style='color:#c62828'>Next follow-up OVERDUE: {late}</b>" in line


def test_a_referred_lesion_is_with_the_specialist(qtbot, window, tmp_path: Path) -> None:
    low_shown(qtbot, window, tmp_path, ["2026-03-01"])
    window.lesions.status.setCurrentText("referred")  # the lesion form's Save: the panel says it at once
    window.lesions.apply.click()
    assert "Next follow-up: with the specialist (lesion referred); malignant 3%" in tier_line(window)
    assert BOLD_ADVICE in tier_line(window)


def test_the_line_follows_each_decision_and_the_capture_shown(qtbot, window, tmp_path: Path) -> None:
    first, last = low_shown(qtbot, window, tmp_path, ["2026-01-01", "2026-03-01"], (1280, 720))
    reg = window.session.register
    saved(window, "monitor", 1)
    assert f"Next follow-up: {in_months(1)} (1 month, clinician's decision)" in tier_line(window)
    saved(window, "monitor", 6)  # the interval changed alone
    assert tier_line(window).startswith(f"<b>Next follow-up: {in_months(6)} (6 months, clinician's decision)</b>")
    window.timeline.setCurrentRow(0)  # the first capture: the lesion's follow-up still (its latest decision)
    qtbot.waitUntil(lambda: window.assessment.capture is not None and window.assessment.capture.id == first)
    assert f"Next follow-up: {in_months(6)} (6 months, clinician's decision)" in tier_line(window)
    ops.review_capture(reg, "cli", last, "discharge", "")  # elsewhere, then the register read again
    window.refresh()
    qtbot.waitUntil(lambda: "discharge" in tier_line(window))
    line = tier_line(window)
    assert line.startswith(f"{BOLD_ADVICE}; Next follow-up: none (decision: discharge; lesion status still monitoring)")
    assert "clinician's decision)" not in line


def test_a_change_answered_leaves_the_date_under_the_tier_and_the_decision_below(qtbot, window, tmp_path: Path) -> None:
    """Three captures, each grown (SIGNIFICANT), the latest's 'monitor' answering them, the middle one shown at 150 %:
    the change's advice naming that decision beside the date took five lines and its last was cut off."""
    first, middle, last = low_shown(qtbot, window, tmp_path, ["2026-01-01", "2026-03-01", "2026-05-01"])
    saved(window, "monitor", None)
    window.show_lesion(window.selection.lesion_id, middle)
    view = window.assessment
    qtbot.waitUntil(lambda: view.capture is not None and view.capture.id == middle)
    line = tier_line(window)
    assert line.startswith("<b>Next follow-up: ") and "(12 months)</b>; malignant 3% (melanoma 2%)" in line, line
    assert "Clinician's decision: monitor (on the 1 May 2026 capture)" in view.tier_detail.text().replace("&#x27;", "'")
    laid_out(qtbot, window)
    qtbot.waitUntil(lambda: wholly_shown(view.tier))
    assert view.tier.height() >= view.tier.heightForWidth(view.tier.width())  # no line of it cut off
    assert wholly_shown(view.save) and window.centralWidget().verticalScrollBar().maximum() == 0


def test_a_refer_result_answered_monitor_by_tier_says_where_its_interval_comes_from(
    qtbot, window, tmp_path: Path
) -> None:
    """A REFER result answered 'monitor', the re-check left "As the tier suggests": the line read "Consider referral
    for specialist review; Next follow-up: ... (3 months)", the 3 months from nowhere the advice names."""
    window.resize(1280, 720)
    lid = lesion_with(window, tmp_path, ["2026-03-01"])
    (cid,) = [c.id for c in window.session.register.captures.for_lesion(lid)]
    refer = dataclasses.replace(
        LOW,
        quality=PASS,
        risk_tier="refer",
        malignant_probability=0.24,
        recommendation="Consider referral for specialist review.",
    )
    stored(window, cid, refer)
    window.show_lesion(lid, cid)
    qtbot.waitUntil(lambda: "Risk tier: REFER" in window.assessment.tier.text())
    settled(qtbot, window)
    saved(window, "monitor", None)
    qtbot.waitUntil(lambda: "Next follow-up:" in tier_line(window))
    follow_up = f"Next follow-up: {in_months(3)} (3 months: the re-check for a REFER result answered 'monitor')"
    assert f"Consider referral for specialist review</b>; {follow_up}; malignant 24%" in tier_line(window)
