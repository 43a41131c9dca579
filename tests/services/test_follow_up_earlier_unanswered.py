"""The next follow-up takes the tier the referral prompt and the flag take (``Standing.tier``, ``needs_action``): an
URGENT (or REFER) result nobody answered, then a later LOW capture, raised "⚠ URGENT" while ``lesion show`` said
"next follow-up: 2 Jun 2027 (12 months)" from the LOW result. It now says what the unanswered result asks
("specialist review now") in ``lesion show``, ``patient show``, --json, the reports and the lesion list's overdue
check alike; once a decision answers it (on it or on a later capture) the result that stands gives the interval as
before. Real SQLite register, the real commands, stored results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date
from dermadesk.domain.follow_up import FollowUp, months_after
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.attention import lesion_flag
from dermadesk.services.follow_up import lesion_next_follow_up, overdue_follow_up
from dermadesk.services.reports import lesion_report_data, patient_summary_data
from dermadesk.services.standing import needs_action
from dermadesk.storage.register import Register
from tests.services.test_follow_up_decision_stands import cli_said, ids, reviewed
from tests.services.test_standing import lesion_with_results, pdf_text

REVIEW = FollowUp("specialist review now")
LOW_DUE = dt.date(2027, 6, 2)  # the LOW capture of 2 Jun 2026 + its tier's 12 months
NONE_SAID = {"due": None, "interval": None, "whose": None, "overdue": False, "action": "specialist review now"}


def test_an_unanswered_urgent_result_under_a_later_low_one_asks_for_review_on_every_surface(
    capsys, register: Register, tmp_path: Path
) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "low"])  # 10 Mar URGENT, 2 Jun LOW, no decision
    assert needs_action(register, lid) is not None and lesion_flag(register, lid)[0] == "⚠ URGENT"
    assert lesion_next_follow_up(register, lid) == REVIEW  # was 2 Jun 2027 (12 months)
    assert overdue_follow_up(register, lid, dt.date(2028, 1, 1)) is None  # no LOW date to pass: "was due 2 Jun 2027"
    summary = patient_summary_data(register, Settings(), "S-1")
    assert summary.lesions[0].next_follow_up == REVIEW
    printed = pdf_text(build_patient_summary(summary)) + pdf_text(
        build_lesion_report(lesion_report_data(register, Settings(), lid))
    )
    assert "specialist review now" in printed and human_date(LOW_DUE.isoformat()) not in printed
    register.close()
    line, js, patient = cli_said(capsys, lid)
    assert line == patient == "next follow-up: specialist review now"
    assert js == {**NONE_SAID, "also": None}


def test_an_unanswered_refer_result_under_a_later_monitor_one_asks_for_review(register: Register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["refer", "monitor"])
    assert lesion_flag(register, lid)[0] == "⚠ REFER"
    assert lesion_next_follow_up(register, lid) == REVIEW  # not MONITOR's 3 months


def test_monitor_on_the_urgent_result_leaves_the_later_low_results_interval(
    capsys, register: Register, tmp_path: Path
) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "low"])
    urgent, low = ids(register, lid)
    reviewed(register, urgent, "monitor")
    assert needs_action(register, lid) is None and lesion_flag(register, lid) == ("", "")
    assert lesion_next_follow_up(register, lid) == FollowUp(due=LOW_DUE, interval="12 months", whose="tier")
    day = reviewed(register, low, "monitor", 6)  # the clinician's own interval on the LOW capture
    six = FollowUp(due=months_after(day, 6), interval="6 months", whose="clinician")
    assert lesion_next_follow_up(register, lid) == six
    register.close()
    line, js, patient = cli_said(capsys, lid)
    assert line == patient == f"next follow-up: {human_date(six.due.isoformat())} (6 months, clinician's decision)"
    assert (js["interval"], js["whose"], js["action"]) == ("6 months", "clinician", None)


def test_a_decision_on_the_later_low_capture_answers_the_urgent_one(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "low"])
    day = reviewed(register, ids(register, lid)[1], "monitor")  # seen since: answers the earlier URGENT too
    assert lesion_flag(register, lid) == ("", "")
    assert lesion_next_follow_up(register, lid) == FollowUp(
        due=months_after(day, 12), interval="12 months", whose="tier"
    )  # the LOW tier's interval, from the day it was answered


def test_refer_on_the_urgent_result_is_what_to_arrange_and_discharge_ends_it(register: Register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "low"])
    urgent, low = ids(register, lid)
    reviewed(register, urgent, "refer")
    assert lesion_flag(register, lid)[0] == "⚠ URGENT"
    assert lesion_next_follow_up(register, lid) == FollowUp("refer: arrange now")
    register.lesions.update("t", lid, status="referred")
    assert lesion_next_follow_up(register, lid) == FollowUp("with the specialist (lesion referred)")


def test_a_not_assessable_capture_after_the_low_one_keeps_the_review_and_asks_the_retake(
    register: Register, tmp_path: Path
) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "low", None])
    assert lesion_flag(register, lid)[0] == "⚠ URGENT"
    follow_up = lesion_next_follow_up(register, lid)
    assert follow_up.words(human_date) == "specialist review now; retake the image (latest not assessable)"


def test_an_earlier_monitor_result_leaves_the_later_low_ones_interval(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["monitor", "low"])  # no act-now result: nothing stands over LOW
    assert lesion_flag(register, lid) == ("", "")
    assert lesion_next_follow_up(register, lid) == FollowUp(due=LOW_DUE, interval="12 months", whose="tier")
