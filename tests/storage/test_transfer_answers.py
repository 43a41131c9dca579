"""A field changed on both sides, answered at the import: "take the package's value" writes it (audited as an
update); "keep this register's value" records the package's value as seen, so a package still holding it asks
no more, while a later different change in the package is again a change or a conflict by the merge rules. A
clinic importing the laptop's package every week no longer sees the same conflicts every week."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.domain.errors import ValidationError
from dermadesk.services.transfer import ImportOutcome, export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, TAKE, Answers, by_number
from tests.transfer_data import day_only, edit, fill, move, set_by, state

DECISION = "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (left scapula) of patient P-1"  # named as at the clinic


def _both_changed(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The clinic's P-1 sent to the laptop; then the capture's decision and the lesion's label changed on both
    sides, the notes on the laptop only: (clinic, laptop, package)."""
    clinic, laptop, package = tmp_path / "clinic", tmp_path / "laptop", tmp_path / "p.ddtx"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)  # decision 'monitor', label 'lesion 0'
    move(clinic, laptop, package)
    edit(clinic, decision="excise", label="left scapula")
    edit(laptop, decision="refer", label="upper back", notes="itching")
    return clinic, laptop, package


def _preview(source: Path, target: Path, package: Path) -> ImportOutcome:
    """What importing ``source``'s package into ``target`` would do, nothing written."""
    with Register(source) as reg:
        export_patients(reg, package, None, overwrite=True)
    with Register(target) as reg:
        return import_package(reg, package, None, "importer", dry_run=True)


def _import_updates(data_dir: Path, entity: str) -> list[tuple[dict, dict]]:
    with Register(data_dir) as reg:
        rows = reg.database.query(
            "SELECT before, after FROM audit_log WHERE action = 'import-update' AND entity = ? ORDER BY id", (entity,)
        )
        return [(json.loads(r[0]) if r[0] else {}, json.loads(r[1])) for r in rows]


def test_keep_records_the_packages_value_and_the_next_import_of_it_is_quiet(tmp_path: Path) -> None:
    clinic, laptop, package = _both_changed(tmp_path)
    asked = _preview(laptop, clinic, package)  # unanswered: two conflicts, as before
    assert [(c.number, c.name, c.answer) for c in asked.plan.fields] == [(1, "label", None), (2, "decision", None)]
    assert not asked.plan.complete and len(asked.plan.conflicts) == 2

    done = move(laptop, clinic, package, Answers(every=KEEP))
    assert done.plan.conflicts == [] and done.plan.complete and done.applied
    assert [c.answer for c in done.plan.fields] == [KEEP, KEEP]
    assert (
        f"{DECISION}: decision kept as it is here ('excise'), as answered: the package's 'refer' is recorded "
        "as seen, and not reported again while the package holds it" in done.plan.notes
    )
    assert state(clinic) == {**state(laptop), "decision": "excise", "label": "left scapula"}  # the notes came
    [(before, after)] = _import_updates(clinic, "capture")  # an answer alone: no field written, the row says so
    assert before == {} and after["kept"] == {"decision": "refer"} and after["agreed"]["decision"] == "refer"
    assert after["package"]["file"] == "p.ddtx" and "decision" not in after  # nothing written to the capture
    [(before, after)] = _import_updates(clinic, "lesion")
    assert before == {} and after["kept"] == {"label": "upper back"} and "label" not in after
    [(before, after)] = _import_updates(clinic, "patient")  # the notes, changed on the laptop only
    assert before["notes"] in (None, "") and after["notes"] == "itching" and "kept" not in after

    again = move(laptop, clinic, package)  # the same values next week, nobody answers: no conflict
    assert again.plan.conflicts == [] and again.plan.fields == [] and again.plan.complete and not again.applied
    assert (
        f"{DECISION}: decision differs (here: 'excise', in the package: 'refer'); kept as it is here, as "
        "answered at an earlier import (keep this register's value)" in again.plan.notes
    )

    back = move(clinic, laptop, package)  # the laptop finds the clinic's values answered over its own: it takes them
    assert back.plan.conflicts == [] and back.plan.update_lines == []  # not as plain updates: said overruled
    host = back.source["hostname"]
    assert [line.split(" (answered at ")[0] for line in back.plan.overruled] == [
        "lesion 1 (upper back, left posterior torso; 'left scapula' in the package) of patient P-1: label: your "
        f"'upper back' replaced by workstation {host}'s 'left scapula'",
        f"{DECISION.replace('left scapula', 'upper back')}: decision: your 'refer' replaced by workstation {host}'s "
        "'excise'",  # its lesion named as on the laptop
    ]
    assert state(laptop) == state(clinic)
    assert not move(laptop, clinic, package).applied and not move(clinic, laptop, package).applied


def test_after_keep_a_new_change_in_the_package_is_a_conflict_again_or_a_change_after_the_way_back(
    tmp_path: Path,
) -> None:
    clinic, laptop, package = _both_changed(tmp_path)
    move(laptop, clinic, package, Answers(every=KEEP))
    edit(laptop, decision="discharge")  # the laptop, not having had the clinic's value, changes it again
    later = move(laptop, clinic, package)
    assert [day_only(c) for c in later.plan.conflicts] == [
        f"{DECISION}: decision changed on both sides (here: 'excise'{set_by('someone')}, in the package: 'discharge'"
        f"{set_by('someone')}, last agreed: 'refer'); left as it is here until answered (keep this "
        "register's value, or take the package's)"
    ]
    assert state(clinic)["decision"] == "excise"
    move(laptop, clinic, package, Answers(every=TAKE))  # answered 'take' this time
    assert state(clinic)["decision"] == "discharge"

    move(clinic, laptop, package)  # after the way back both hold the clinic's label; a change there comes across
    assert state(laptop)["label"] == "left scapula"
    edit(laptop, label="left scapula, upper")
    done = move(laptop, clinic, package)
    assert done.plan.conflicts == [] and state(clinic)["label"] == "left scapula, upper"


def test_take_writes_the_packages_value_one_conflict_answered_the_other_left(tmp_path: Path) -> None:
    clinic, laptop, package = _both_changed(tmp_path)
    decision = next(c for c in _preview(laptop, clinic, package).plan.fields if c.name == "decision")
    done = move(laptop, clinic, package, Answers(each={decision.key: TAKE}))
    assert (
        f"{DECISION}: decision 'excise' → 'refer' (changed on both sides: the package's value taken, as "
        "answered)" in done.plan.update_lines
    )
    assert [(c.name, c.answer) for c in done.plan.fields] == [("label", None), ("decision", TAKE)]
    assert len(done.plan.conflicts) == 1 and "label changed on both sides" in done.plan.conflicts[0]
    assert not done.plan.complete and done.plan.updated["captures"] == 1
    assert (state(clinic)["decision"], state(clinic)["label"]) == ("refer", "left scapula")
    before, after = _import_updates(clinic, "capture")[-1]
    assert before == {"decision": "excise"} and after["decision"] == "refer" and after["agreed"]["decision"] == "refer"

    again = move(laptop, clinic, package)  # the label, unanswered, is asked again; the decision no more
    assert [c.name for c in again.plan.fields] == ["label"] and not again.applied
    back = move(clinic, laptop, package)  # both hold 'refer' now: nothing to say about it on the laptop
    assert state(laptop)["decision"] == "refer" and not any("decision" in c for c in back.plan.conflicts)


def test_a_field_never_exchanged_answered_keep_is_quiet_next_time(tmp_path: Path) -> None:
    """Both registers added the same patient by hand with different skin types: no agreed value to go by."""
    clinic, laptop, package = tmp_path / "clinic", tmp_path / "laptop", tmp_path / "p.ddtx"
    with Register(clinic) as reg:
        reg.patients.add("clerk", "P-1", "Ann Smith", "1960-05-01", "female", "II")
    with Register(laptop) as reg:
        reg.patients.add("nurse", "P-1", "Ann Smith", "1960-05-01", "female", "IV")
    [never] = _preview(laptop, clinic, package).plan.fields
    assert not never.known and never.text.startswith("patient P-1: skin type differs (here: 'II', in the package: ")
    assert move(laptop, clinic, package, Answers(each={never.key: KEEP})).plan.complete
    again = move(laptop, clinic, package)
    assert again.plan.fields == [] and again.plan.conflicts == [] and not again.applied
    with Register(clinic) as reg:
        assert reg.patients.by_mrn("P-1").skin_type == "II"


def test_answers_by_number_refuse_a_number_no_conflict_has_and_two_answers_to_one(tmp_path: Path) -> None:
    clinic, laptop, package = _both_changed(tmp_path)
    fields = _preview(laptop, clinic, package).plan.fields
    assert by_number(fields, None, [2], [1]).each == {fields[1].key: KEEP, fields[0].key: TAKE}
    with pytest.raises(
        ValidationError, match="there is no conflict 3 to answer: this package's preview has conflicts 1 to 2"
    ):
        by_number(fields, KEEP, [3], [])
    with pytest.raises(ValidationError, match="conflict 1 is given both answers, keep and take: give one"):
        by_number(fields, None, [1], [1])
    with pytest.raises(ValidationError, match="an answer to a conflict is 'keep' or 'take'"):
        Answers(every="mine")
