"""A 'monitor' decision may carry the clinician's re-check interval in months: stored with the review (audited, with
'monitor' only, cleared by a review without it), and the lesion's next follow-up then runs that long from the day
the decision was saved, its words saying whose interval it is. A register from before the column opens with none
set. Real SQLite registers, migrated for real."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.errors import ValidationError
from dermadesk.domain.follow_up import FollowUp, months_after
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.attention import lesion_flag
from dermadesk.services.follow_up import next_follow_up, overdue_follow_up
from dermadesk.services.reports import patient_summary_data
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import migrate
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results, pdf_text


def test_an_older_register_opens_with_no_interval_and_takes_one(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    old = Database(path)
    migrate(old.db, upto=12)  # before a decision could carry a re-check interval
    old.conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) VALUES ('M1', 'Old', 'x', 'x')")
    old.conn.execute("INSERT INTO lesions (patient_id, site, created_at, updated_at) VALUES (1, 'head/neck', 'x', 'x')")
    old.conn.execute(
        "INSERT INTO captures (lesion_id, taken_at, image_sha256, width, height, file_size, image_format, created_at,"
        " decision, clinician_notes) VALUES (1, '2026-01-05', 'a1', 10, 10, 1, 'JPEG', 'x', 'monitor', 'stable')"
    )
    old.conn.commit()
    old.close()
    with Register(tmp_path, open_db(path)) as reg:
        kept = reg.captures.get(1)
        assert (kept.decision, kept.clinician_notes, kept.recheck_months) == ("monitor", "stable", None)
        assert reg.captures.review("dr.a", 1, "monitor", "stable", 12).recheck_months == 12
        with pytest.raises(Exception, match="CHECK constraint"):  # the column refuses what the app never writes
            reg.database.conn.execute("UPDATE captures SET recheck_months = 61 WHERE id = 1")


def test_the_interval_is_saved_with_monitor_only_and_audited(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["monitor"])
    cid = register.captures.for_lesion(lid)[0].id
    saved = register.captures.review("dr.a", cid, "monitor", "stable, re-check in a year", 12)
    assert (saved.decision, saved.recheck_months) == ("monitor", 12)
    last = register.audit.entries("capture", cid)[0]
    assert last.actor == "dr.a" and last.after["recheck_months"] == 12 and last.before["recheck_months"] is None
    with pytest.raises(ValidationError, match=r"goes with the decision 'monitor' only \(the decision is 'refer'\)"):
        register.captures.review("dr.a", cid, "refer", "", 12)
    with pytest.raises(ValidationError, match=r"'monitor' only \(no decision is given\)"):
        register.captures.review("dr.a", cid, None, "", 6)
    for wrong in (0, 61, "soon"):
        with pytest.raises(ValidationError, match="1 to 60"):
            register.captures.review("dr.a", cid, "monitor", "", wrong)  # type: ignore[arg-type]
    assert register.captures.get(cid).recheck_months == 12  # nothing refused was written
    changed = register.captures.review("dr.b", cid, "refer", "grew at the edge")  # away from monitor: cleared
    assert (changed.decision, changed.recheck_months) == ("refer", None)
    assert register.audit.entries("capture", cid)[0].before["recheck_months"] == 12


def test_months_after_keeps_the_day_or_the_months_last() -> None:
    assert months_after(dt.date(2026, 11, 18), 12) == dt.date(2027, 11, 18)
    assert months_after(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert months_after(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    assert months_after(dt.date(2026, 1, 15), 60) == dt.date(2031, 1, 15)


def test_next_follow_up_takes_the_clinicians_interval_and_says_whose() -> None:
    def said(*args: object) -> str:
        return next_follow_up(*args).words(human_date)

    # the GP's case: 'monitor' saved 18 Nov 2026 with "re-check in 12 months": not the tier's 3 months
    assert said("monitor", "monitor", "monitoring", "2026-11-10", None, "2026-11-18", 12) == (
        "18 Nov 2027 (12 months, clinician's decision)"
    )
    assert said("monitor", "monitor", "monitoring", "2026-11-10", None, "2026-11-18") == "18 Feb 2027 (3 months)"
    month = "10 Apr 2026 (1 month, clinician's decision)"  # an URGENT result the clinician answered 'monitor'
    assert said("urgent", "monitor", "monitoring", "2026-03-10", None, None, 1) == month
    never = "10 Sep 2026 (6 months, clinician's decision)"  # never assessed: the clinician's interval still stands
    assert said(None, "monitor", "monitoring", "2026-03-10", None, None, 6) == never
    late = next_follow_up("low", "monitor", "monitoring", "2026-03-10", dt.date(2026, 9, 11), None, 6)
    assert late == FollowUp(due=dt.date(2026, 9, 10), interval="6 months", overdue=True, whose="clinician")
    # an interval with no standing 'monitor' decision counts for nothing (a stored row is only ever 'monitor''s)
    assert said("low", "refer", "monitoring", "2026-03-10", None, None, 6) == "refer: arrange now"
    assert said("low", None, "discharged", "2026-03-10", None, None, 6) == "none (discharged)"


def test_the_summary_and_the_flag_word_the_clinicians_interval(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["monitor"])  # 10 Mar 2026, MONITOR
    capture = register.captures.for_lesion(lid)[0]
    register.captures.review("dr", capture.id, "monitor", "stable, re-check in 12 months", 12)
    decided = dt.date.fromisoformat(local_day(register.audit.entries("capture", capture.id)[0].at))
    due = months_after(decided, 12)
    words = f"{human_date(due.isoformat())} (12 months, clinician's decision)"
    data = patient_summary_data(register, Settings(), "S-1", today=decided)
    assert data.lesions[0].next_follow_up.words(human_date) == words
    assert words in pdf_text(build_patient_summary(data))
    assert overdue_follow_up(register, lid, today=decided + dt.timedelta(days=120)) is None  # the tier's 3 months gone
    overdue = overdue_follow_up(register, lid, today=due + dt.timedelta(days=1))
    late = f"was due {human_date(due.isoformat())} (12-month re-check, clinician's decision)"  # not "12 months" late
    assert overdue is not None and overdue.words(human_date) == late
    assert lesion_flag(register, lid) == ("", "")  # not due today: no flag on the lesion list or body map


def test_the_lesion_reports_reviews_say_the_clinicians_interval(register: Register, tmp_path: Path) -> None:
    from dermadesk.reports.lesion_report import build_lesion_report
    from dermadesk.services.reports import lesion_report_data

    lid = lesion_with_results(register, tmp_path, ["monitor", "low"])  # 10 Mar and 2 Jun 2026
    first, second = (c.id for c in register.captures.for_lesion(lid))
    register.captures.review("Dr Rev", first, "monitor", "stable, re-check in a year", 12)
    register.captures.review("Dr Rev", second, "monitor", "")  # the tier's interval: said to be
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    reviews = text.split(" Reviews ", 1)[1]
    assert "10 Mar 2026: decision monitor, re-check in 12 months, by Dr Rev on" in reviews
    assert "2 Jun 2026 (this visit): decision monitor, re-check as the tier suggests, by Dr Rev on" in reviews


def test_the_lesion_report_says_the_visits_interval_and_the_next_follow_up(register: Register, tmp_path: Path) -> None:
    """A GP reading only the lesion report learns when the patient is seen again, and whose interval that is."""
    from dermadesk.reports.lesion_report import build_lesion_report
    from dermadesk.services.reports import lesion_report_data

    lid = lesion_with_results(register, tmp_path, ["monitor"])  # 10 Mar 2026, MONITOR
    capture = register.captures.for_lesion(lid)[0]
    register.captures.review("Dr Rev", capture.id, "monitor", "stable", 12)
    decided = dt.date.fromisoformat(local_day(register.audit.entries("capture", capture.id)[0].at))
    due = human_date(months_after(decided, 12).isoformat())
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, today=decided)))
    decision = text.split("Risk tier: MONITOR", 1)[1]  # under the tier (it stood under "Clinician notes" on page 2)
    assert "Decision: monitor, re-check in 12 months, by Dr Rev on" in decision.split("Class Probability", 1)[0]
    assert f"Next follow-up: {due} (12 months, clinician's decision)" in decision
    register.captures.review("Dr Rev", capture.id, "monitor", "stable", None)  # back to the tier's interval
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, today=decided)))
    tiers = human_date(months_after(decided, 3).isoformat())
    decision = text.split("Risk tier: MONITOR", 1)[1].split("Class Probability", 1)[0]
    by_tier = f"Decision: monitor, re-check as the tier suggests, by Dr Rev on {human_date(decided.isoformat())}"
    assert f" {by_tier} Next follow-up: {tiers} (3 months)" in decision  # MONITOR's own interval: the key says it


def test_an_interval_left_beside_another_decision_counts_for_nothing(register: Register, tmp_path: Path) -> None:
    """A transfer moves the decision and notes and not (yet) the interval: a 'discharge' brought over a 'monitor, 12
    months' leaves the interval in the row. Nothing says it (lesion show, the report's Reviews): only a 'monitor'
    decision has one (the follow-up reads it with 'monitor' only: test_next_follow_up_takes_...)."""
    from dermadesk.domain.follow_up import decision_words

    lid = lesion_with_results(register, tmp_path, ["monitor"])
    cid = register.captures.for_lesion(lid)[0].id
    register.captures.review("dr", cid, "monitor", "", 12)
    with register.database.transaction() as conn:  # as an import writes a review's decision and notes
        conn.execute("UPDATE captures SET decision = 'discharge' WHERE id = ?", (cid,))
    stored = register.captures.get(cid)
    assert stored.recheck_months == 12 and decision_words(stored.decision, stored.recheck_months) == "discharge"
    assert (
        decision_words("monitor", 12) == "monitor, re-check in 12 months"
        and decision_words("monitor", None) == "monitor"
    )


def test_a_not_assessable_capture_takes_the_clinicians_interval_and_still_says_retake(
    register: Register, tmp_path: Path
) -> None:
    """A tester's 'monitor, re-check in 9 months' on a NOT ASSESSABLE capture was saved and ignored: the follow-up
    said only the retake, with no date. The clinician's interval gives the date; the retake is said besides."""
    from dermadesk.services.follow_up import RETAKE, lesion_next_follow_up

    assert next_follow_up("not assessable", "monitor", "monitoring", "2026-02-01", None, "2026-11-24", 9) == FollowUp(
        due=dt.date(2027, 8, 24), interval="9 months", also=RETAKE, whose="clinician"
    )
    assert next_follow_up("not assessable", "monitor", "monitoring", "2026-02-01") == FollowUp(RETAKE)  # no interval
    lid = lesion_with_results(register, tmp_path, [None])  # 10 Mar 2026, NOT ASSESSABLE, nothing earlier
    capture = register.captures.for_lesion(lid)[0]
    register.captures.review("dr", capture.id, "monitor", "", 9)
    decided = dt.date.fromisoformat(local_day(register.audit.entries("capture", capture.id)[0].at))
    due = human_date(months_after(decided, 9).isoformat())
    follow_up = lesion_next_follow_up(register, lid, decided)
    assert follow_up.words(human_date) == f"{due} (9 months, clinician's decision); {RETAKE}"
    data = patient_summary_data(register, Settings(), "S-1", today=decided)
    assert data.lesions[0].next_follow_up == follow_up
    assert f"{due} (9 months, clinician's decision)" in pdf_text(build_patient_summary(data))
