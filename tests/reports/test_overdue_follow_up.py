"""The patient summary flags a follow-up whose date has passed ("OVERDUE: was due 10 Jun 2026 ..."), in red, read back
from the PDF; a date still ahead reads as before. The service keeps the due date a date (``FollowUp``): the PDF, the
app's lesion list and the command line each write it as dates are written ("was due 10 Jun 2026", never the ISO date
the service wrote before)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.follow_up import FollowUp, months_after
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.follow_up import next_follow_up
from dermadesk.services.reports import patient_summary_data
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results, pdf_text

# monitoring's 3 months, said to be the re-check for the URGENT result the clinician answered 'monitor'
URGENT_ANSWERED = "10 Jun 2026 (3 months: the re-check for an URGENT result answered 'monitor')"


def said(*args: object) -> str:
    """The next follow-up as the app, the CLI and the PDF word it."""
    return next_follow_up(*args).words(human_date)


def test_next_follow_up_says_overdue_once_the_date_has_passed() -> None:
    on_time = next_follow_up("monitor", None, "monitoring", "2026-03-10", dt.date(2026, 6, 10))
    assert on_time == FollowUp(due=dt.date(2026, 6, 10), interval="3 months", whose="tier") and not on_time.overdue
    assert on_time.words(human_date) == "10 Jun 2026 (3 months)"
    late = next_follow_up("monitor", None, "monitoring", "2026-03-10", dt.date(2026, 6, 11))
    assert late == FollowUp(due=dt.date(2026, 6, 10), interval="3 months", overdue=True, whose="tier")
    assert late.words(human_date) == "was due 10 Jun 2026 (3-month re-check)"  # was "was due 2026-06-10 (3 months)"
    assert late.words(lambda iso: iso[:4]) == "was due 2026 (3-month re-check)"  # a de-identified report's years
    assert said("low", None, "monitoring", "2026-03-10") == "10 Mar 2027 (12 months)"  # no today: a date
    assert said("urgent", None, "monitoring", "2020-01-01", dt.date(2026, 1, 1)) == "specialist review now"
    assert said("urgent", "discharge", "monitoring", "2026-03-10") == (
        "none (decision: discharge; lesion status still monitoring)"  # never "monitoring" and "discharged" at once
    )
    assert said("low", None, "discharged", "2026-03-10") == "none (discharged)"
    # the clinician reviewed an URGENT result and decided 'monitor': monitoring's interval, not "review now"
    assert said("urgent", "monitor", "monitoring", "2026-03-10", dt.date(2026, 4, 1)) == URGENT_ANSWERED


def test_the_tiers_interval_is_counted_in_calendar_months_as_the_clinicians_is() -> None:
    """A booking clerk saw "3 months" from 24 Nov 2026 read 22 Feb 2027 for the tier (90 days) and 24 Feb 2027 for a
    clinician's 3 months: one rule now, the month's last day where it is shorter."""
    assert said("monitor", None, "monitoring", "2026-11-24") == "24 Feb 2027 (3 months)"
    assert said("monitor", "monitor", "monitoring", "2026-11-24", None, None, 3) == (
        "24 Feb 2027 (3 months, clinician's decision)"
    )
    assert said("monitor", None, "monitoring", "2026-11-30") == "28 Feb 2027 (3 months)"
    assert said("low", None, "monitoring", "2027-03-10") == "10 Mar 2028 (12 months)"  # 366 days: a leap year
    assert said("low", None, "monitoring", "2028-02-29") == "28 Feb 2029 (12 months)"


def test_the_patient_summary_shows_an_overdue_follow_up_in_red(register: Register, tmp_path: Path) -> None:
    lesion_with_results(register, tmp_path, ["monitor"])  # one capture, 10 Mar 2026, MONITOR: due 10 Jun 2026
    on_time = patient_summary_data(register, Settings(), "S-1", today=dt.date(2026, 5, 1))
    late = patient_summary_data(register, Settings(), "S-1", today=dt.date(2026, 11, 23))
    due = FollowUp(due=dt.date(2026, 6, 10), interval="3 months", whose="tier")
    assert on_time.lesions[0].next_follow_up == due
    assert late.lesions[0].next_follow_up == replace(due, overdue=True)
    pdf = build_patient_summary(late)
    assert "OVERDUE: was due 10 Jun 2026 (3-month re-check)" in pdf_text(pdf)  # dated as the app dates them
    assert "1 lesion under record; 1 follow-up overdue." in pdf_text(pdf)
    assert "OVERDUE" not in pdf_text(build_patient_summary(on_time))
    assert "1 lesion under record." in pdf_text(build_patient_summary(on_time))
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")

    def red_pixels(pdf: bytes, name: str) -> int:
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True, timeout=60)  # fmt: skip
        rgb = np.asarray(Image.open(tmp_path / f"{name}.png").convert("RGB")).astype(int)
        return int(((rgb[..., 0] > 140) & (rgb[..., 1] < 100) & (rgb[..., 2] < 110)).sum())

    assert red_pixels(pdf, "late") > red_pixels(build_patient_summary(on_time), "on_time") + 20  # the word in red


def test_the_app_and_the_command_line_write_the_due_date_as_dates_are_written(capsys, register: Register, tmp_path):
    """The lesion list's and body map's flag (``lesion_flag``) and ``patient show`` said "follow-up was due
    2026-06-10 (3 months)", the date as the service wrote it; now "was due 10 Jun 2026", as everything else is dated."""
    import json

    from dermadesk.main import main
    from dermadesk.services.attention import lesion_flag
    from tests.conftest import lesion_jpeg
    from tests.services.test_standing import assess

    taken = dt.date.today() - dt.timedelta(days=200)  # MONITOR: due after 3 calendar months, over 100 days ago
    lid = register.lesions.add("t", register.patients.add("t", "D-1", "Due Date").id, "anterior torso").id
    (tmp_path / "c.jpg").write_bytes(lesion_jpeg(seed=5, width=96, height=72))
    capture = import_files(register, "t", lid, [tmp_path / "c.jpg"], CaptureMeta(taken_at=taken.isoformat()))
    assess(register, capture.captures[0].id, "monitor")
    due = human_date(months_after(taken, 3).isoformat())
    assert lesion_flag(register, lid) == ("⚠ OVERDUE", f"follow-up was due {due} (3-month re-check)")  # the app's flag
    register.close()
    assert main(["patient", "show", "D-1"]) == 0
    assert f"⚠ OVERDUE: next follow-up was due {due} (3-month re-check)" in capsys.readouterr().out
    assert main(["patient", "show", "D-1", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)["lesions"]
    assert (item["flag"], item["flag_why"]) == ("OVERDUE", f"follow-up was due {due} (3-month re-check)")


def test_a_deidentified_summary_keeps_years_not_dates(register: Register, tmp_path: Path) -> None:
    """Dates of care identify a patient: a de-identified summary keeps their years only (HIPAA Safe Harbor)."""
    lesion_with_results(register, tmp_path, ["monitor"])  # one capture, 10 Mar 2026, MONITOR: due 10 Jun 2026
    mrn = register.patients.search("")[0].mrn
    data = patient_summary_data(register, Settings(), mrn, deidentified=True, today=dt.date(2026, 7, 1))
    text = pdf_text(build_patient_summary(data))
    assert "2026-03-10" not in text and "2026-06-10" not in text and "OVERDUE: was due 2026 (3-month re-check)" in text
    assert mrn not in text


def test_the_summary_names_the_clinicians_decision_beside_the_tier(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent"])
    register.captures.review("dr", register.captures.for_lesion(lid)[-1].id, "monitor", "benign on dermoscopy")
    mrn = register.patients.search("")[0].mrn
    text = pdf_text(build_patient_summary(patient_summary_data(register, Settings(), mrn, today=dt.date(2026, 4, 1))))
    reviewed = dt.date.fromisoformat(local_day(register.audit.entries("capture")[0].at))  # the interval runs from then
    due = months_after(max(reviewed, dt.date(2026, 3, 10)), 3)
    assert (
        "URGENT" in text
        and "clinician: monitor" in text
        and f"{human_date(due.isoformat())} (3 months: the re-check for an URGENT result answered 'monitor')" in text
    )


def test_monitor_decided_on_an_old_result_counts_the_interval_from_the_decision(
    register: Register, tmp_path: Path
) -> None:
    """An URGENT result from 10 Mar 2026, reviewed in November and answered 'monitor': the 3 months run from the
    review, so the lesion is not flagged OVERDUE the moment the clinician answers it (helper 48)."""
    from dermadesk.services.attention import lesion_flag
    from dermadesk.services.follow_up import overdue_follow_up

    lid = lesion_with_results(register, tmp_path, ["urgent"])  # captured 2026-03-10
    capture = register.captures.for_lesion(lid)[-1]
    register.captures.review("dr", capture.id, "monitor", "benign on dermoscopy")
    reviewed = dt.date.fromisoformat(local_day(register.audit.entries("capture", capture.id)[0].at))
    due = months_after(max(reviewed, dt.date(2026, 3, 10)), 3)
    assert overdue_follow_up(register, lid, today=reviewed) is None
    assert lesion_flag(register, lid) == ("", "")  # answered, and not yet due
    later = due + dt.timedelta(days=1)
    overdue = overdue_follow_up(register, lid, today=later)
    assert overdue == FollowUp(due=due, interval="3 months", overdue=True, whose="tier", answered="urgent")
    assert (
        overdue.words(human_date)
        == f"was due {human_date(due.isoformat())} (3-month re-check for an URGENT result answered 'monitor')"
    )
    # no record of when it was decided (a capture that came in a transfer): from the capture, as before
    assert said("urgent", "monitor", "monitoring", "2026-03-10", dt.date(2026, 4, 1), None) == URGENT_ANSWERED
    assert (
        said("urgent", "monitor", "monitoring", "2026-03-10", None, "2026-11-20")
        == "20 Feb 2027 (3 months: the re-check for an URGENT result answered 'monitor')"
    )


def test_the_decision_day_is_the_workstations_day(monkeypatch) -> None:
    """The audit log stores UTC: a 'monitor' saved at 9.30 in the morning in Auckland is that day's decision, not
    the day before (the interval ran from the UTC day, a day early)."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert local_day("2026-11-22T20:30:00.000+00:00") == "2026-11-23"
        assert local_day("2026-03-10") == "2026-03-10" and local_day("not a date") is None
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_referred_lesion_is_with_the_specialist_not_to_be_referred() -> None:
    """Helper 52: a lesion marked referred read "refer: arrange now" in the summary, as if nobody had done it."""
    assert said("urgent", "refer", "referred", "2026-03-10") == "with the specialist (lesion referred)"
    assert said("urgent", None, "referred", "2026-03-10") == "with the specialist (lesion referred)"
    assert said("urgent", "refer", "monitoring", "2026-03-10") == "refer: arrange now"
    assert next_follow_up("refer", "excise", "monitoring", "2026-03-10") == FollowUp("excise: arrange now")


def test_the_lesion_report_says_who_decided_and_when(register: Register, tmp_path: Path) -> None:
    """Helper 52: "Decision: refer" with no name or date; the header's operator is whoever printed it."""
    from dermadesk.reports.lesion_report import build_lesion_report
    from dermadesk.services.reports import lesion_report_data

    lid = lesion_with_results(register, tmp_path, ["urgent"])
    capture = register.captures.for_lesion(lid)[-1]
    register.captures.review("Dr Ana Reviewer", capture.id, "refer", "to plastics")
    day = local_day(register.audit.entries("capture", capture.id)[0].at)
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert f"Decision: refer, by Dr Ana Reviewer on {human_date(day)}" in text
    deid = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=True)))
    assert re.search(r"Decision: refer, (\d+ days after|on the day of) the first capture", deid)  # not "on 2026, ..."
    assert f"on {day}" not in deid and "on 20" not in deid
    assert "Dr Ana" not in deid  # clinicians left out, as the header's operator (unless the settings ask)
    asked = Settings(operator_on_deidentified=True)
    deid = pdf_text(build_lesion_report(lesion_report_data(register, asked, lid, deidentified=True)))
    assert re.search(r"Decision: refer, by Dr Ana Reviewer, (\d+ days after|on the day of) the first capture", deid)
    assert f"on {day}" not in deid
    register.captures.review("Dr Ana Reviewer", capture.id, None, "")
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert "Decision: not recorded" in text and "by Dr Ana" not in text


def test_a_decision_saved_under_the_computers_account_says_so(register: Register, tmp_path: Path) -> None:
    """Decisions saved before the operator's name was asked were recorded as the computer's account and printed
    "by root", read as a person's name: now "by root (the computer's account)", as the operator prompt says it; a
    person's name, here or from another workstation, as it is."""
    from dermadesk.reports.lesion_report import build_lesion_report
    from dermadesk.services.maintenance import register_facts
    from dermadesk.services.reports import lesion_report_data
    from dermadesk.storage.who_set import who_set

    lid = lesion_with_results(register, tmp_path, ["urgent"])
    capture = register.captures.for_lesion(lid)[-1]
    register.captures.review("root", capture.id, "refer", "")
    day = local_day(register.audit.entries("capture", capture.id)[0].at)
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert f"Decision: refer, by root (the computer's account) on {human_date(day)}" in text
    assert register_facts(register).changed.endswith(" by root (the computer's account)")  # the restore question
    saved = [{"action": "update", "before": {"decision": None}, "after": {"decision": "refer"}, "at": "t"}]
    assert who_set([{**saved[0], "actor": "Administrator"}], "decision", "refer", "LAPTOP-3") == (
        "Administrator (the computer's account) at LAPTOP-3",
        "t",
    )
    assert who_set([{**saved[0], "actor": "Dr Ana Reviewer"}], "decision", "refer", "LAPTOP-3") == (
        "Dr Ana Reviewer at LAPTOP-3",
        "t",
    )
