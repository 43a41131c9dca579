"""A NOT ASSESSABLE capture's panel said no next follow-up at all (the line stood beside an assessed capture's tier
only) while ``dermadesk lesion show`` said "next follow-up: retake the image (not assessable), then assess", or the
date an earlier result that still stands gives; and its re-check box offered "Not set (retake first)" even where that
earlier result's tier sets the date. The panel now says the lesion's next follow-up in the CLI's words, under what
NOT ASSESSABLE means, at 150 % on 1280x720 too, and the box names the tier the date counts from. Real window, real
register, the real CLI, stored results."""

from __future__ import annotations

import datetime as dt
from html import unescape
from pathlib import Path

from dermadesk.cli.follow_up_said import next_line
from dermadesk.domain.dates import human_date
from dermadesk.main import main
from dermadesk.services.follow_up import lesion_next_follow_up
from dermadesk.ui.review_choices import TIER_WORDS
from tests.services.test_standing import lesion_with_results
from tests.ui.helpers import settled
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out
from tests.ui.test_reasons_column_width import lines_of


def grey_shown(qtbot, window, tmp_path: Path, tiers: list[str | None]) -> int:
    """A lesion with these results (None: NOT ASSESSABLE), its latest shown at 150 % on 1280x720; its id."""
    window.resize(853, 480)
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, tiers)
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, reg.captures.for_lesion(lid)[-1].id)
    view = window.assessment
    qtbot.waitUntil(lambda: view._image is not None and "NOT ASSESSABLE" in view.tier.text())
    settled(qtbot, window)
    laid_out(qtbot, window)
    return lid


def cli_line(capsys, window, lid: int) -> str:
    """The "next follow-up: ..." line ``lesion show`` prints."""
    assert main(["lesion", "show", str(lid)]) == 0  # the window's register (``data_dir``)
    return next(line.strip() for line in capsys.readouterr().out.splitlines() if "next follow-up" in line)


def panel_said(window) -> str:
    """The tier label's text, as read."""
    return unescape(window.assessment.tier.text().replace("<br>", " "))


def reasons_whole(window) -> None:
    """The reasons read whole, unscrolled, and the window does not scroll."""
    view = window.assessment
    detail, scroll = view.tier_detail, view.scroll
    assert lines_of(detail, "no colour") * detail.fontMetrics().lineSpacing() <= scroll.viewport().height()
    assert scroll.verticalScrollBar().value() == 0
    assert window.centralWidget().verticalScrollBar().maximum() == 0


def test_a_not_assessable_capture_says_retake_as_the_cli_does(qtbot, capsys, window, tmp_path: Path) -> None:
    lid = grey_shown(qtbot, window, tmp_path, [None])
    said = "Next follow-up: retake the image (not assessable), then assess"
    assert said in panel_said(window)
    assert cli_line(capsys, window, lid) == "next follow-up: retake the image (not assessable), then assess"
    reasons_whole(window)
    view = window.assessment
    view.decision.setCurrentText("monitor")
    assert view.recheck.itemText(0) == "Retake first (not set)"  # no tier anywhere: the retake is what to do


def test_an_earlier_result_that_stands_gives_the_date_and_the_box_its_tier(
    qtbot, capsys, window, tmp_path: Path
) -> None:
    lid = grey_shown(qtbot, window, tmp_path, ["monitor", None])  # MONITOR on 10 Mar 2026, NOT ASSESSABLE 2 Jun
    reg, view = window.session.register, window.assessment
    follow_up = lesion_next_follow_up(reg, lid)
    assert follow_up.due == dt.date(2026, 9, 2) and follow_up.whose == "tier"  # 3 months after the latest capture
    words = follow_up.words(human_date)  # "was due 2 Sep 2026 (3-month re-check); retake the image (latest ...)"
    assert cli_line(capsys, window, lid).endswith(words)  # the flag's line where overdue: the same words
    date, retake = words.split("; ")  # the retake: said beside it by the heading and the reasons
    assert retake == "retake the image (latest not assessable)"
    assert f"Next follow-up{' OVERDUE' if follow_up.overdue else ''}: {date}" in panel_said(window)
    assert retake not in panel_said(window)
    reasons_whole(window)
    view.decision.setCurrentText("monitor")  # the standing MONITOR result's 3 months set the date: not "retake first"
    assert view.recheck.itemText(0) == f"{TIER_WORDS} (3 months)" and view.recheck.months() is None
    view.save.click()  # 'monitor', the tier's interval: the date still the standing tier's, counted from today
    after = lesion_next_follow_up(reg, lid)
    assert after.whose == "tier" and after.interval == "3 months" and not after.overdue
    assert f"Next follow-up: {after.words(human_date).split('; ')[0]}" in panel_said(window)
    assert next_line(after) == cli_line(capsys, window, lid)


def test_under_a_referral_prompt_the_reasons_keep_their_room(qtbot, capsys, window, tmp_path: Path) -> None:
    """An URGENT result nobody acted on, then a NOT ASSESSABLE capture: the prompt above the tabs takes height; the
    panel says "specialist review now" as the CLI does, the reasons still whole."""
    lid = grey_shown(qtbot, window, tmp_path, ["urgent", None])
    assert window.referral_prompt.isVisible()
    said = "next follow-up: specialist review now; retake the image (latest not assessable)"
    assert cli_line(capsys, window, lid) == said
    assert "Next follow-up: specialist review now" in panel_said(window)
    reasons_whole(window)
    window.assessment.decision.setCurrentText("monitor")  # the URGENT result answered 'monitor': monitoring's 3 months
    assert window.assessment.recheck.itemText(0) == f"{TIER_WORDS} (3 months)"


def test_monitor_on_the_urgent_result_gives_the_date_as_the_prompt_is_gone(qtbot, capsys, window, tmp_path) -> None:
    """The URGENT result reviewed 'monitor', then a NOT ASSESSABLE capture: no referral prompt, and the panel and the
    CLI gave "specialist review now" all the same; both now say monitoring's date (the retake besides, in the CLI)."""
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["urgent", None])
    reg.captures.review("Dr A", reg.captures.for_lesion(lid)[0].id, "monitor", "", None)
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, reg.captures.for_lesion(lid)[-1].id)
    qtbot.waitUntil(lambda: window.assessment._image is not None and "NOT ASSESSABLE" in window.assessment.tier.text())
    settled(qtbot, window)
    follow_up = lesion_next_follow_up(reg, lid)
    date = human_date(follow_up.due.isoformat()) if follow_up.due else "no date"
    assert not window.referral_prompt.isVisible()
    dated = f"{date} (3 months: the re-check for an URGENT result answered 'monitor')"  # not the URGENT tier's own
    assert f"Next follow-up: {dated}" in panel_said(window)
    assert "specialist review" not in panel_said(window)
    said = f"next follow-up: {dated}; retake the image (latest not assessable)"
    assert cli_line(capsys, window, lid) == said
