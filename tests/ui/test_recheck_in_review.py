"""The review box's "Re-check in": the clinician's own interval for a 'monitor' decision, on for 'monitor' only,
blank "As the tier suggests"; saved with the decision by Save review, said in the status bar, shown again for the
capture, asked about as unsaved typing, and asked about where it changed elsewhere too. Real window, real register."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services import register_ops as ops

from dermadesk.ui.review_choices import OTHER, PROMPT, TIER_WORDS, TIP, text_room, tier_interval
from dermadesk.ui.stale_save import MINE
from dermadesk.ui.stale_save import TITLE as ASKED
from tests.ui.test_cancel import two_captures
from tests.ui.test_changed_elsewhere import elsewhere, patient_with_capture  # noqa: F401  (elsewhere: a fixture)
from tests.ui.test_probabilities_in_sight import refer_shown
from tests.ui.test_recheck_other_chosen import choose_other_by_keys
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out


def said(window) -> str:
    return window.statusBar().currentMessage()


def test_the_interval_goes_with_monitor_only_and_is_saved_with_it(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    view = window.assessment
    capture_id = view.capture.id
    assert not view.recheck.isEnabled() and view.recheck.currentText().startswith(TIER_WORDS)
    view.decision.setCurrentText("monitor")
    assert view.recheck.isEnabled()
    view.recheck.set_months(12)
    assert view.unsaved_review() is not None
    view.save.click()
    assert said(window) == "Decision 'monitor', re-check in 12 months saved (Lesion 1, capture of 1 Mar 2026)"
    assert reg.captures.get(capture_id).recheck_months == 12 and view.unsaved_review() is None
    view.recheck.set_months(6)  # the interval alone: typing too, saved alone
    assert view.unsaved_review() is not None
    view.save.click()
    assert said(window) == "Re-check in 6 months saved (Lesion 1, capture of 1 Mar 2026)"
    window.timeline.setCurrentRow(0)  # another capture: its own (none); back: the one saved
    assert view.recheck.months() is None and not view.recheck.isEnabled()
    window.timeline.setCurrentRow(1)
    assert view.recheck.months() == 6 and view.recheck.currentText() == "6 months"
    view.decision.setCurrentText("refer")  # away from monitor: off, and the interval goes with the decision
    assert not view.recheck.isEnabled() and view.recheck_months() is None
    dialogs.confirms.append(False)  # "Mark Lesion 1 as 'referred' too?" No
    view.save.click()
    assert (reg.captures.get(capture_id).decision, reg.captures.get(capture_id).recheck_months) == ("refer", None)
    assert said(window) == "Decision 'refer' saved, re-check interval removed (Lesion 1, capture of 1 Mar 2026)"
    assert reg.lesions.get(lesion_id).status == "monitoring"


def test_a_command_lines_interval_is_shown_and_the_blank_names_the_tiers(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    two_captures(window, tmp_path)
    capture_id = window.assessment.capture.id
    ops.review_capture(reg, "cli", capture_id, "monitor", "", 18)  # not one of those offered
    window.timeline.setCurrentRow(0)
    window.timeline.setCurrentRow(1)
    view = window.assessment
    assert view.recheck.currentText() == "18 months" and view.recheck.isEnabled() and view.unsaved_review() is None
    texts = [view.recheck.itemText(i) for i in range(view.recheck.count())]
    assert texts[1:] == ["1 month", "3 months", "6 months", "12 months", "18 months", "24 months", OTHER]
    assert tier_interval("urgent") == tier_interval("monitor") == "3 months" and tier_interval("low") == "12 months"
    assert tier_interval(None) == "" and tier_interval("not assessable") == ""
    view.recheck.set_tier("low")
    assert view.recheck.itemText(0) == "As the tier suggests (12 months)"


def test_a_command_lines_18_months_is_kept_by_a_save_in_the_app(qtbot, window, dialogs, tmp_path: Path) -> None:
    """A capture reviewed with 'capture review --recheck 18' keeps its 18 months through the app: shown as they are,
    offered again by "Other…" (nothing given there: still 18), and saved again as 18 with the notes typed."""
    reg = window.session.register
    two_captures(window, tmp_path)
    capture_id = window.assessment.capture.id
    ops.review_capture(reg, "cli", capture_id, "monitor", "", 18)
    window.timeline.setCurrentRow(0)
    window.timeline.setCurrentRow(1)
    view, asked = window.assessment, []
    assert (view.recheck.currentText(), view.recheck.months()) == ("18 months", 18)
    dialogs.fillers.append(lambda d: asked.append(d.months.text()) or False)  # "Other…", then Cancel
    choose_other_by_keys(qtbot, view.recheck)  # the last choice, from the list by the keyboard
    assert asked == ["18 months"] and view.recheck.currentText() == "18 months" and view.unsaved_review() is None
    view.notes.setPlainText("stable, no new colours")
    view.save.click()
    stored = reg.captures.get(capture_id)
    assert (stored.decision, stored.clinician_notes, stored.recheck_months) == ("monitor", "stable, no new colours", 18)
    assert said(window) == "Notes saved (Lesion 1, capture of 1 Mar 2026)"  # nothing said of the 18: unchanged
    assert view.recheck.currentText() == "18 months" and view.unsaved_review() is None


def test_other_takes_any_months_the_command_line_takes(qtbot, window, dialogs, tmp_path: Path) -> None:
    """ "Other…" asks for a number of months (1 to 60, as 'capture review --recheck'): 9 typed is saved as 9, shown
    in its place in the list; asked again and cancelled, the 9 months stay; another capture drops them from its list."""
    reg = window.session.register
    two_captures(window, tmp_path)
    view, box, asked = window.assessment, window.assessment.recheck, []
    capture_id = view.capture.id
    view.decision.setCurrentText("monitor")

    def nine(dialog) -> bool:
        asked.append((dialog.months.text(), dialog.months.minimum(), dialog.months.maximum()))
        qtbot.keyClicks(dialog.months, "9")  # typed over the number offered (selected)
        return True

    dialogs.fillers.append(nine)
    box.setCurrentIndex(box.count() - 2)  # 24 months; then "Other…" from the list
    choose_other_by_keys(qtbot, box)
    assert asked == [("24 months", 1, 60)]
    laid_out(qtbot, window)
    assert (box.currentText(), box.months(), view.recheck_months()) == ("9 months", 9, 9)
    assert box.shown() in ("9 months", "9 mo")  # as wide as the box lets it be
    texts = [box.itemText(i) for i in range(1, box.count())]
    assert texts == ["1 month", "3 months", "6 months", "9 months", "12 months", "24 months", OTHER]
    view.save.click()
    assert reg.captures.get(capture_id).recheck_months == 9
    assert said(window) == "Decision 'monitor', re-check in 9 months saved (Lesion 1, capture of 1 Mar 2026)"
    dialogs.fillers.append(lambda d: asked.append(d.months.text()) or False)
    choose_other_by_keys(qtbot, box)
    assert asked[1:] == ["9 months"] and box.months() == 9 and view.unsaved_review() is None
    window.timeline.setCurrentRow(0)
    assert box.months() is None and "9 months" not in [box.itemText(i) for i in range(box.count())]


def test_an_interval_not_saved_is_asked_about_before_another_capture(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    first, second = [c.id for c in reg.captures.for_lesion(lesion_id)]
    ops.review_capture(reg, "t", second, "monitor", "stable")
    window.timeline.setCurrentRow(0)
    window.timeline.setCurrentRow(1)
    window.assessment.recheck.set_months(24)  # nothing else typed
    dialogs.choices.append("save")  # "Save them now?" Save
    window.timeline.setCurrentRow(0)
    [(title, _)] = dialogs.questions
    assert title == "Unsaved changes" and window.assessment.capture.id == first
    stored = reg.captures.get(second)
    assert (stored.decision, stored.clinician_notes, stored.recheck_months) == ("monitor", "stable", 24)


def test_an_interval_changed_elsewhere_meanwhile_is_asked_about(qtbot, window, dialogs, tmp_path, elsewhere) -> None:  # noqa: F811
    _, lid, cid = patient_with_capture(window, tmp_path)
    ops.review_capture(window.session.register, "t", cid, "monitor", "stable")
    window.show_lesion(lid)
    view = window.assessment
    assert view.decision.currentText() == "monitor"
    view.recheck.set_months(12)
    with qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.review_capture(elsewhere, "cli", cid, "monitor", "stable", 3)
    assert view.recheck.months() == 12  # the typing kept while the rest is read again
    dialogs.choices.append(MINE)
    view.save.click()
    [(title, message)] = dialogs.questions
    assert title == ASKED and "The re-check interval of Lesion 1's capture of" in message
    assert "Re-check interval, stored now:\n3 months\nRe-check interval, yours:\n12 months" in message
    assert ops.capture(window.session.register, cid).recheck_months == 12 and view.unsaved_review() is None


def test_the_closed_box_says_whole_words_where_it_has_room_never_a_bare_tier(qtbot, window, tmp_path: Path) -> None:
    """Helper 161: the closed box said "tier" or "12 mo" however wide it was; "tier" alone told a nurse nothing."""
    view = refer_shown(qtbot, window, tmp_path, (1280, 720))  # REFER: the tier's interval is MONITOR's, 3 months
    box, metrics = view.recheck, view.recheck.fontMetrics()
    assert not box.isVisible()  # beside 'monitor' only
    view.decision.setCurrentText("monitor")
    laid_out(qtbot, window)
    assert box.isVisible() and box.shown() == "by tier (3 months)" and box.toolTip() == TIP  # at 100 %, 1280x720
    whole = "As the tier suggests (3 months)"
    assert box.shown(metrics.horizontalAdvance(whole)) == whole
    for room in range(0, metrics.horizontalAdvance(whole) + 1, 3):  # fewer words where narrow, never "tier" alone
        assert box.shown(room) != "tier" and metrics.horizontalAdvance(box.shown(room)) <= room
    assert box.shown(metrics.horizontalAdvance("by tier")) == "by tier"
    box.set_months(12)
    assert box.shown() == "12 months" and box.shown(metrics.horizontalAdvance("12 months") - 1) == "12 mo"
    view.decision.setCurrentText("discharge")
    assert box.shown() == "" and not box.isVisible()


def test_at_150_percent_the_interval_costs_the_review_no_width(qtbot, window, tmp_path: Path) -> None:
    """At 150 % on 1280x720 the interval beside the decision made the review 16 px wider and the bars beside it
    read 'bkl', 'df', 'mel': the review is as wide whatever the decision, and each box says its choice whole."""
    view = refer_shown(qtbot, window, tmp_path, (853, 480))
    widths = set()
    for decision, months in (("", None), ("discharge", None), ("monitor", None), ("monitor", 12)):
        view.decision.setCurrentText(decision)
        view.recheck.set_months(months)
        laid_out(qtbot, window)
        widths.add((view.review.width(), view.bars.width()))
        shown = view.decision.currentText() or PROMPT
        assert view.decision.fontMetrics().horizontalAdvance(shown) <= text_room(view.decision), decision
    assert len(widths) == 1
    assert view.recheck.shown() == "12 mo" and text_room(view.recheck) >= 0
    view.recheck.set_months(None)
    assert view.recheck.shown() == "by tier"
    labels = view.bars.compact_labels(view.bars.width())
    assert (labels["bkl"], labels["df"], labels["mel"]) == ("benign ker.", "dermatofib.", "melanoma")


def test_a_not_assessable_capture_says_no_tiers_interval(qtbot, window, tmp_path: Path) -> None:
    """A NOT ASSESSABLE capture has no tier: its blank choice said "As the tier suggests" / "by tier", where no tier
    gives an interval (the follow-up asks for a retake until the clinician sets one)."""
    from tests.services.test_standing import assess

    lesion_id = two_captures(window, tmp_path)
    reg, view = window.session.register, window.assessment
    for capture in reg.captures.for_lesion(lesion_id):
        assess(reg, capture.id, None)
    window.show_lesion(lesion_id)
    qtbot.waitUntil(lambda: "NOT ASSESSABLE" in view.tier.text())
    box, metrics = view.recheck, view.recheck.fontMetrics()
    view.decision.setCurrentText("monitor")
    assert box.itemText(0) == "Retake first (not set)" and TIER_WORDS not in box.itemText(0)
    assert box.shown(metrics.horizontalAdvance("Retake first (not set)")) == "Retake first (not set)"
    assert box.shown(metrics.horizontalAdvance("Retake first")) == "Retake first"
    assert box.shown(metrics.horizontalAdvance("by tier")) == "retake"  # its least width: never cut
    box.set_months(9)
    assert box.shown(metrics.horizontalAdvance("9 months")) == "9 months"
    box.set_tier("low")  # an assessed capture again: the tier's
    assert box.itemText(0) == "As the tier suggests (12 months)"
