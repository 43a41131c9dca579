"""An import's records in words, with real registers: a capture is named with its lesion as this register names it
(two lesions of one patient each have a capture of the same day), and the day an answer was given in the other
register is this workstation's day, not the UTC day of its audit row."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dermadesk.storage import repositories
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, Answers
from tests.transfer_data import fill, move


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
