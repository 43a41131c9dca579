"""The "by ... on ..." of a review names who last set its decision or its re-check interval, and the follow-up counts
from that day: Nurse Ada saves 'monitor', weeks later Dr Lena Brandt gives it "12 months": the review is Dr Brandt's,
its 12 months run from her day (here and on the register a transfer brings it to). Notes alone change neither. Real
SQLite registers, audit rows written by two operators, real packages."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.follow_up import FollowUp, months_after
from dermadesk.services.follow_up import decision_day, decision_record, lesion_follow_up
from dermadesk.services.standing import standing_result
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results, pdf_text
from tests.transfer_data import fill, move

NURSE, DOCTOR = "Nurse Ada", "Dr Lena Brandt"


def backdate_last_row(reg: Register, capture_id: int, at: str) -> None:
    """The capture's latest audit row dated ``at``, as if saved that day (the log is append-only: the test lifts it)."""
    reg.database.conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    reg.database.conn.execute(
        "UPDATE audit_log SET at = ? WHERE id = (SELECT max(id) FROM audit_log WHERE entity = 'capture'"
        " AND entity_id = ?)",
        (at, capture_id),
    )


def follow_up(reg: Register, lesion_id: int, today: dt.date) -> FollowUp:
    return lesion_follow_up(reg, reg.lesions.get(lesion_id).status, standing_result(reg, lesion_id), today)


def test_the_clinician_who_set_the_interval_is_who_reviewed_and_her_day_counts(register: Register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["monitor"])  # captured 10 Mar 2026, MONITOR
    cid = register.captures.for_lesion(lid)[0].id
    register.captures.review(NURSE, cid, "monitor", "")
    backdate_last_row(register, cid, "2026-03-12T10:00:00.000+00:00")
    assert decision_record(register, register.captures.get(cid)) == (NURSE, "2026-03-12T10:00:00.000+00:00")
    register.captures.review(DOCTOR, cid, "monitor", "stable on dermoscopy, re-check in a year", 12)
    capture = register.captures.get(cid)
    (who, when) = decision_record(register, capture) or ("", "")
    assert who == DOCTOR and when == register.audit.entries("capture", cid)[0].at
    today = dt.date.fromisoformat(local_day(when) or "")
    assert decision_day(register, capture) == today.isoformat()
    due = months_after(today, 12)  # 12 months from the day she set them, not from the nurse's 12 Mar
    assert follow_up(register, lid, today) == FollowUp(due=due, interval="12 months", whose="clinician")
    from dermadesk.reports.lesion_report import build_lesion_report
    from dermadesk.services.reports import lesion_report_data

    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, today=today)))
    assert f"monitor, re-check in 12 months, by {DOCTOR} on {human_date(today.isoformat())}" in text
    assert NURSE not in text


def test_notes_alone_leave_the_review_its_clinician_and_day(register: Register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["monitor"])
    cid = register.captures.for_lesion(lid)[0].id
    register.captures.review(DOCTOR, cid, "monitor", "", 6)
    backdate_last_row(register, cid, "2026-04-01T10:00:00.000+00:00")
    register.captures.review(NURSE, cid, "monitor", "patient asked for a leaflet", 6)  # notes only: her row
    assert register.audit.entries("capture", cid)[0].actor == NURSE
    assert decision_record(register, register.captures.get(cid)) == (DOCTOR, "2026-04-01T10:00:00.000+00:00")
    assert follow_up(register, lid, dt.date(2026, 5, 1)).due == dt.date(2026, 10, 1)  # 6 calendar months from 1 Apr
    register.captures.review(NURSE, cid, "monitor", "patient asked for a leaflet", None)  # back to the tier's
    who = decision_record(register, register.captures.get(cid))
    assert who is not None and who[0] == NURSE  # clearing the interval is setting the review too
    register.captures.review(DOCTOR, cid, "refer", "grew at the edge")
    assert (decision_record(register, register.captures.get(cid)) or ("",))[0] == DOCTOR


def test_an_interval_set_on_the_laptop_keeps_its_clinician_and_day_at_the_clinic(tmp_path: Path) -> None:
    laptop, clinic, package = tmp_path / "laptop", tmp_path / "clinic", tmp_path / "p.ddtx"
    with Register(laptop) as reg:
        fill(reg, "P-1", "Ann Field", lesions=1, captures=1)  # 'monitor' saved by 'clinic'
    move(laptop, clinic, package)
    with Register(laptop) as reg:
        capture = reg.captures.for_lesion(reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0].id)[0]
        reg.captures.review(DOCTOR, capture.id, "monitor", capture.clinician_notes, 12)
        saved = decision_record(reg, reg.captures.get(capture.id))
    assert saved is not None and saved[0] == DOCTOR
    outcome = move(laptop, clinic, package)  # the clinic's capture updated: its interval only (an import-update)
    assert outcome.plan.updates, outcome.plan.conflicts
    with Register(clinic) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        there = reg.captures.for_lesion(lesion.id)[0]
        assert there.recheck_months == 12
        assert decision_record(reg, there) == (f"{DOCTOR} at {socket.gethostname()}", saved[1])
        day = dt.date.fromisoformat(local_day(saved[1]) or "")
        assert follow_up(reg, lesion.id, day).due == months_after(day, 12)
