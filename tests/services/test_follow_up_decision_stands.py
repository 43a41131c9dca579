"""The next follow-up takes the clinician's decision on the result that stands, as the referral prompt and the flag do
(``standing_result.needs_action``): an URGENT result reviewed 'monitor', then a NOT ASSESSABLE capture with no
decision, raised no prompt and no flag, while ``lesion show`` said "next follow-up: specialist review now; retake the
image (latest not assessable)". It now says monitoring's date (or the clinician's own interval) and the retake, in
``lesion show``, ``patient show``, --json, the app's panel and the patient summary alike. A decision on the NOT
ASSESSABLE capture itself still governs. Real SQLite register, the real commands, stored results."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.follow_up import FollowUp, months_after
from dermadesk.services.attention import lesion_flag
from dermadesk.services.follow_up import LATEST_RETAKE, RETAKE, lesion_next_follow_up
from dermadesk.services.register_ops import review_capture
from dermadesk.services.reports import patient_summary_data
from dermadesk.services.shown_follow_up import capture_follow_up
from dermadesk.services.standing import needs_action
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results
from tests.test_cli import run


def ids(reg: Register, lid: int) -> list[int]:
    return [c.id for c in reg.captures.for_lesion(lid)]


def reviewed(reg: Register, capture_id: int, decision: str, months: int | None = None) -> dt.date:
    """Dr A's decision saved on the capture; the workstation's day it was saved (the interval counts from it)."""
    review_capture(reg, "Dr A", capture_id, decision, "", months)
    return dt.date.fromisoformat(local_day(reg.audit.entries("capture", capture_id)[0].at) or "")


def cli_said(capsys, lid: int) -> tuple[str, dict, str]:
    """``lesion show``'s "next follow-up" line, --json's next_follow_up, ``patient show``'s line."""
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    assert code == 0
    line = next(s.strip() for s in out.splitlines() if "next follow-up" in s)
    code, js, _ = run(capsys, "lesion", "show", str(lid), "--json")
    assert code == 0
    code, patient, _ = run(capsys, "patient", "show", "S-1")
    assert code == 0
    in_patient = next(s.strip() for s in patient.splitlines() if "next follow-up" in s)
    return line, json.loads(js)["next_follow_up"], in_patient


def test_monitor_on_the_urgent_result_governs_under_a_later_not_assessable_capture(
    capsys, register: Register, tmp_path: Path
) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", None])  # 10 Mar URGENT, 2 Jun NOT ASSESSABLE
    urgent, grey = ids(register, lid)
    day = reviewed(register, urgent, "monitor")
    due = months_after(day, 3)  # monitoring's interval, from the day the URGENT result was answered
    assert needs_action(register, lid) is None and lesion_flag(register, lid) == ("", "")  # no prompt, no flag
    follow_up = lesion_next_follow_up(register, lid)
    assert follow_up == FollowUp(due=due, interval="3 months", also=LATEST_RETAKE, whose="tier", answered="urgent")
    dated = f"{human_date(due.isoformat())} (3 months: the re-check for an URGENT result answered 'monitor')"
    words = f"{dated}; retake the image (latest not assessable)"
    assert follow_up.words(human_date) == words
    assert capture_follow_up(register, grey).words == dated  # panel: no retake
    assert capture_follow_up(register, urgent).words == words  # the earlier capture shown: the retake said too
    assert patient_summary_data(register, Settings(), "S-1").lesions[0].next_follow_up == follow_up
    register.close()
    line, js, patient = cli_said(capsys, lid)
    assert line == patient == f"next follow-up: {words}"  # was "specialist review now; retake the image ..."
    assert js == {
        "due": due.isoformat(),
        "interval": "3 months",
        "whose": "tier",
        "overdue": False,
        "action": None,
        "also": LATEST_RETAKE,
    }


def test_the_clinicians_own_interval_on_the_urgent_result_gives_the_date(
    capsys, register: Register, tmp_path: Path
) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", None])
    day = reviewed(register, ids(register, lid)[0], "monitor", 12)
    due = human_date(months_after(day, 12).isoformat())
    register.close()
    line, js, _ = cli_said(capsys, lid)
    assert line == f"next follow-up: {due} (12 months, clinician's decision); {LATEST_RETAKE}"
    assert (js["interval"], js["whose"], js["action"]) == ("12 months", "clinician", None)


def test_refer_on_the_urgent_result_is_what_to_arrange_as_the_flag_says(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", None])
    reviewed(register, ids(register, lid)[0], "refer")
    flag, why = lesion_flag(register, lid)
    assert flag == "⚠ URGENT" and "decision refer on the 10 Mar 2026 capture: arrange it" in why
    assert lesion_next_follow_up(register, lid) == FollowUp("refer: arrange now", also=LATEST_RETAKE)


def test_a_decision_on_the_not_assessable_capture_itself_overrides(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", None])
    urgent, grey = ids(register, lid)
    reviewed(register, urgent, "monitor", 12)
    reviewed(register, grey, "refer")  # seen again: referred after all
    assert needs_action(register, lid) is not None and lesion_flag(register, lid)[0] == "⚠ URGENT"
    follow_up = lesion_next_follow_up(register, lid)
    assert follow_up.words(human_date) == f"refer: arrange now; {LATEST_RETAKE}"
    day = reviewed(register, grey, "monitor", 6)  # its own interval, not the earlier 12 months
    assert lesion_next_follow_up(register, lid) == FollowUp(
        due=months_after(day, 6), interval="6 months", also=LATEST_RETAKE, whose="clinician"
    )
    assert lesion_flag(register, lid) == ("", "")


def test_the_decision_on_the_latest_assessable_capture_and_none(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["low", "urgent"])  # the URGENT result the latest, assessable
    latest = ids(register, lid)[1]
    assert lesion_flag(register, lid)[0] == "⚠ URGENT"
    assert lesion_next_follow_up(register, lid) == FollowUp("specialist review now")
    day = reviewed(register, latest, "monitor")
    assert lesion_flag(register, lid) == ("", "")
    due = months_after(day, 3)
    assert lesion_next_follow_up(register, lid) == FollowUp(
        due=due, interval="3 months", whose="tier", answered="urgent"
    )


def test_a_not_assessable_capture_with_nothing_earlier_says_only_the_retake(
    capsys, register: Register, tmp_path: Path
) -> None:
    lid = lesion_with_results(register, tmp_path, [None])
    assert lesion_next_follow_up(register, lid) == FollowUp(RETAKE)
    assert lesion_flag(register, lid) == ("", "")
    register.close()
    line, js, patient = cli_said(capsys, lid)
    assert line == patient == f"next follow-up: {RETAKE}"
    assert js["action"] == RETAKE and js["due"] is None
