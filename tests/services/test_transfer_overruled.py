"""Two real registers (a clinic and a field laptop) sending packages both ways: a field changed on both sides and
answered 'keep this register's value' on one side is, on the other side's next import, its value replaced and said so
(not a plain update, not a conflict again); a patient's plan lists its field conflicts; a lesion both registers hold
is named as this register names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.services.transfer import ImportOutcome, export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, NO_ANSWERS, Answers
from tests.transfer_data import day_only, edit, fill, move, set_by, state

VALUES = {"clinic": ("clinic note", "refer"), "field": ("laptop note", "excise")}  # (patient notes, decision)


def _both_changed(tmp_path: Path) -> tuple[Path, Path]:
    """P-1 made at the clinic, sent to the field laptop; its notes and first capture's decision then changed on both."""
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
    move(clinic, field, tmp_path / "first.ddtx")
    for where in (clinic, field):
        notes, decision = VALUES[where.name]
        edit(where, notes=notes, decision=decision)
    return clinic, field


def _send(source: Path, target: Path, package: Path, answers: Answers = NO_ANSWERS, dry_run: bool = False):
    with Register(source) as reg:
        export_patients(reg, package, None, overwrite=True)
    with Register(target) as reg:
        return import_package(reg, package, None, "someone", dry_run, answers=answers)


def _host_and_day(data_dir: Path) -> tuple[str, str]:
    """This register's workstation name, and the day of its newest audit row (an answer's, in the tests)."""
    with Register(data_dir) as reg:
        host = reg.database.one("SELECT hostname FROM workstations WHERE is_self = 1")[0]
        return host, human_date(reg.audit.entries("capture")[0].at)  # its local day


@pytest.mark.parametrize("answering", ["clinic", "field"])
def test_a_value_kept_at_the_other_register_replaces_yours_and_says_so(tmp_path: Path, answering: str) -> None:
    clinic, field = _both_changed(tmp_path)
    ans, told = (clinic, field) if answering == "clinic" else (field, clinic)
    (mine, my_decision), (theirs, their_decision) = VALUES[told.name], VALUES[ans.name]
    asked = _send(told, ans, tmp_path / "to-answer.ddtx", dry_run=True)
    [p1] = asked.plan.patients
    assert (p1.status, p1.fields, asked.plan.field_conflicts) == ("present", [1, 2], 2)  # its row says so
    _send(told, ans, tmp_path / "to-answer.ddtx", Answers(KEEP))
    host, day = _host_and_day(ans)

    preview = _send(ans, told, tmp_path / "answered.ddtx", dry_run=True)
    assert preview.plan.fields == [] and preview.plan.conflicts == [] and preview.plan.update_lines == []
    assert preview.plan.overruled == [
        f"patient P-1: notes: your {mine!r} replaced by workstation {host}'s {theirs!r} (answered at {host} on {day}: "
        "keep its own value over yours)",
        "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1: decision: your "
        f"{my_decision!r} replaced by workstation {host}'s {their_decision!r} (answered at {host} on {day}: keep its "
        "own value over yours)",
    ]
    assert (preview.plan.patients[0].overruled, preview.plan.updated["captures"]) == (2, 1)

    done = _send(ans, told, tmp_path / "answered.ddtx")
    assert done.applied and done.plan.overruled == preview.plan.overruled
    assert (state(told)["notes"], state(told)["decision"]) == (theirs, their_decision)
    with Register(told) as reg, Register(ans) as other:
        entry = reg.audit.entries("capture")[0]  # newest first: this import's
        answered_at = other.audit.entries("capture")[0].at
        assert entry.action == "import-update" and entry.before == {"decision": my_decision}
        assert (entry.after or {})["overruled"] == {
            "decision": {"here": my_decision, "package": their_decision, "answered_at": answered_at}
        }
    again: ImportOutcome = _send(told, ans, tmp_path / "back.ddtx")  # and back: both agree, nothing to ask
    assert not again.applied and again.plan.fields == [] and again.plan.overruled == []


def test_a_value_changed_again_before_the_answer_came_back_is_a_conflict_that_says_it_was_overruled(
    tmp_path: Path,
) -> None:
    clinic, field = _both_changed(tmp_path)
    _send(field, clinic, tmp_path / "in.ddtx", Answers(KEEP))
    with Register(clinic) as reg:  # the answer's row says which value it settled
        assert (reg.audit.entries("capture")[0].after or {})["settled"] == {"decision": "refer"}
    edit(field, decision="discharge")  # the laptop changed its mind before the clinic's answer reached it
    preview = _send(clinic, field, tmp_path / "answered.ddtx", dry_run=True)
    [conflict] = preview.plan.fields
    assert day_only(conflict.text) == (
        "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1: decision changed here from "
        f"'excise', a value the package's register overruled by keeping its own, 'refer' (here: 'discharge'"
        f"{set_by('someone')}, in the package: 'refer'{set_by('someone')}, last agreed: 'refer'); left as "
        "it is here until answered (keep this register's value, or take the package's)"
    )
    [row] = preview.to_dict()["field_conflicts"]  # --json: the last agreed value is the one the answer settled
    assert (row["last_agreed"], row["overruled"]) == ("refer", {"yours": "excise", "kept": "refer"})
    assert [line.split(":")[1] for line in preview.plan.overruled] == [" notes"]  # the notes were not changed again
    assert preview.plan.patients[0].fields == [1]


def test_a_lesion_held_here_is_named_as_here_and_a_new_one_by_the_package(tmp_path: Path) -> None:
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(clinic) as reg:
        patient = fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
        first = reg.lesions.for_patient(patient)[0]
        reg.lesions.update("doctor", first.id, label="left scapula")
    move(clinic, field, tmp_path / "out.ddtx")
    with Register(field) as reg:
        first, second = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)
        reg.lesions.update("nurse", first.id, label="upper back")  # renamed on the laptop
        reg.lesions.update("nurse", second.id, status="referred")  # the same label on both
        reg.lesions.add("nurse", first.patient_id, "anterior torso", "new spot")  # lesion 3 on the laptop
    with Register(clinic) as reg:
        reg.lesions.add("doctor", reg.patients.by_mrn("P-1").id, "head/neck", "scalp")  # lesion 3 at the clinic
    preview = _send(field, clinic, tmp_path / "back.ddtx", dry_run=True)
    assert [line.split(": ", 1)[0] for line in preview.plan.update_lines] == [
        "lesion 1 (left scapula, left posterior torso; 'upper back' in the package) of patient P-1",
        "lesion 2 (lesion 1, left posterior torso) of patient P-1",
    ]
    assert preview.plan.notes == [
        "lesion 'new spot' of patient P-1: lesion 3 in the package; that number is taken here, so it becomes this "
        "patient's next lesion number"
    ]
