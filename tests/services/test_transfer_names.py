"""An import's records in words, with real registers: a capture is named with its lesion as this register names it
(two lesions of one patient each have a capture of the same day), an assessment with its capture (and the day it was
made where its capture has several), and the day an answer was given in the other register is this workstation's day,
not the UTC day of its audit row."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.storage import repositories
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, Answers
from tests.transfer_data import add_assessment, fill, move


def _both_reviewed(tmp_path: Path) -> tuple[Path, Path]:
    """P-1 with two lesions, a capture of 15 Jan 2025 on each, sent to the laptop; both captures then reviewed on
    both sides, differently, and the first lesion labelled 'left scapula' at the clinic: (clinic, laptop)."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
    move(clinic, laptop, tmp_path / "out.ddtx")
    for where, decision in ((clinic, "excise"), (laptop, "refer")):
        with Register(where) as reg:
            lesions = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)
            for lesion in lesions:
                reg.captures.review("someone", reg.captures.for_lesion(lesion.id)[0].id, decision, "")
            if where == clinic:
                reg.lesions.update("doctor", lesions[0].id, label="left scapula")
    return clinic, laptop


def test_captures_of_the_same_day_are_named_with_their_lesion(tmp_path: Path) -> None:
    clinic, laptop = _both_reviewed(tmp_path)
    preview = move(laptop, clinic, tmp_path / "in.ddtx")  # unanswered: the captures are left as here
    assert [c.what for c in preview.plan.fields] == [
        "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (left scapula) of patient P-1",
        "capture of 15 Jan 2025 (P-1-1-0.jpg), lesion 2 (lesion 1) of patient P-1",
    ]


def test_an_assessment_is_named_by_its_capture_and_by_its_day_where_the_capture_has_several(tmp_path: Path) -> None:
    """On the laptop, two assessments were moved under the other lesion's capture by hand: the clinic's next package
    holds them under their own captures, so they are left out, each named as a clinician finds it."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        patient = fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
        first = reg.captures.for_lesion(reg.lesions.for_patient(patient)[0].id)[0]
        add_assessment(reg, first.id, seed=7)  # re-assessed: two assessments of the first capture
        made = human_date(
            reg.database.one("SELECT max(created_at) FROM assessments WHERE capture_id = ?", (first.id,))[0]
        )
    move(clinic, laptop, tmp_path / "out.ddtx")
    with Register(laptop) as reg, reg.database.transaction() as conn:
        first_id, second_id = (row[0] for row in conn.execute("SELECT id FROM captures ORDER BY id"))
        newest = conn.execute("SELECT max(id) FROM assessments WHERE capture_id = ?", (first_id,)).fetchone()[0]
        conn.execute(
            "UPDATE assessments SET capture_id = CASE capture_id WHEN ? THEN ? ELSE ? END WHERE id = ? OR "
            "capture_id = ?",
            (first_id, second_id, first_id, newest, second_id),
        )
    done = move(clinic, laptop, tmp_path / "again.ddtx")
    assert done.plan.conflicts == [
        f"assessment made {made} of the capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1: it "
        "belongs to another record here; left out",
        "assessment of the capture of 15 Jan 2025 (P-1-1-0.jpg), lesion 2 (lesion 1) of patient P-1: it belongs to "
        "another record here; left out",
    ]
    assert done.plan.left_out["assessments"] == 2 and not done.applied


def test_the_day_an_answer_was_given_is_the_local_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The clinic answered 'keep its own' at 22:30 UTC on 1 Jan 2099, 11:30 on 2 Jan in Auckland: the laptop there
    says 2 Jan, the day its users lived it."""
    clinic, laptop = _both_reviewed(tmp_path)
    with monkeypatch.context() as m:
        m.setattr(repositories, "utc_now", lambda: "2099-01-01T22:30:00.000+00:00")
        move(laptop, clinic, tmp_path / "in.ddtx", Answers(KEEP))
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        back = move(clinic, laptop, tmp_path / "back.ddtx")
        host = back.source["hostname"]
        assert [line.split(": ", 1)[0] for line in back.plan.overruled] == [
            "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1",
            "capture of 15 Jan 2025 (P-1-1-0.jpg), lesion 2 (lesion 1) of patient P-1",
        ]
        assert all(
            line.endswith(f"(answered at {host} on 2 Jan 2099: keep its own value over yours)")
            for line in back.plan.overruled
        ), back.plan.overruled
    finally:
        monkeypatch.undo()
        time.tzset()
