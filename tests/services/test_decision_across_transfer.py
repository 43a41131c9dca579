"""A clinician's decision brought by a transfer package keeps who saved it and when, as the register it was saved in
logged it (storage.who_set): the follow-up interval runs from that day on both registers, and the lesion report
names the clinician and the workstation. Real registers, real packages."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

from dermadesk.domain.follow_up import FollowUp
from dermadesk.services.follow_up import decision_record, lesion_follow_up
from dermadesk.services.standing import standing_result
from dermadesk.storage.register import Register
from tests.transfer_data import edit, fill, move


def first_capture_facts(data_dir: Path, today: dt.date) -> tuple[tuple[str, str] | None, FollowUp]:
    """Patient P-1's first lesion: who saved its first capture's decision and when, and the lesion's follow-up."""
    with Register(data_dir) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        capture = reg.captures.for_lesion(lesion.id)[0]
        held = standing_result(reg, lesion.id)
        return decision_record(reg, capture), lesion_follow_up(reg, lesion.status, held, today)


def test_a_decision_imported_keeps_its_day_and_clinician(tmp_path) -> None:
    here, there, package = tmp_path / "laptop", tmp_path / "clinic", tmp_path / "p.ddtx"
    with Register(here) as reg:
        fill(reg, "P-1", "Ann Field", lesions=1, captures=1)  # a capture of 15 Jan 2025, decision 'monitor'
    today = dt.date.today()
    saved, follow_up = first_capture_facts(here, today)
    assert saved is not None and saved[0] == "clinic"
    move(here, there, package)
    imported, follow_up_there = first_capture_facts(there, today)
    host = socket.gethostname()
    assert imported == (f"clinic at {host}", saved[1])  # not unknown: the interval ran from 15 Jan 2025 (overdue)
    assert follow_up_there == follow_up and not follow_up.overdue, follow_up


def test_a_decision_changed_on_the_laptop_and_imported_again_is_the_laptops(tmp_path) -> None:
    here, there, package = tmp_path / "laptop", tmp_path / "clinic", tmp_path / "p.ddtx"
    with Register(here) as reg:
        fill(reg, "P-1", "Ann Field", lesions=1, captures=1)
    move(here, there, package)
    edit(here, decision="discharge")  # saved by 'someone' on the laptop after the first transfer
    saved, _ = first_capture_facts(here, dt.date.today())
    assert saved is not None and saved[0] == "someone"
    outcome = move(here, there, package)  # the clinic's capture updated (an import-update)
    assert outcome.plan.updates, outcome.plan.conflicts
    imported, _ = first_capture_facts(there, dt.date.today())
    assert imported == (f"someone at {socket.gethostname()}", saved[1])
    edit(there, decision="excise")  # then decided at the clinic: its own audit row
    decided_here, _ = first_capture_facts(there, dt.date.today())
    assert decided_here is not None and decided_here[0] == "someone" and decided_here[1] > saved[1]
