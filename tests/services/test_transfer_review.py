"""A capture's review (decision and clinician notes) moves as one between a clinic and a field laptop: where both
registers changed it, it is one conflict with both values of each side, and one answer moves both; an import never
leaves one clinician's decision beside another clinician's notes, answered or not. Real registers, real packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.services.transfer import ImportOutcome, export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, NO_ANSWERS, TAKE, Answers
from tests.transfer_data import day_only, fill, move, set_by

AGREED = ("monitor", "watch the border")  # the review both registers hold after the first transfer (``fill``)
WHAT = "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1"
CASES = {  # (the clinic's review, the laptop's review), both changed since AGREED
    "both-fields-on-both-sides": (("refer", "refer to derm"), ("excise", "excise: growth")),
    "laptop-both-clinic-notes": (("monitor", "refer to derm"), ("excise", "excise: growth")),
    "clinic-both-laptop-notes": (("refer", "refer to derm"), ("monitor", "border irregular")),
    "each-another-field": (("refer", "watch the border"), ("monitor", "border irregular")),
}


def _registers(tmp_path: Path) -> tuple[Path, Path]:
    """P-1 made at the clinic (its capture reviewed 'monitor', 'watch the border') and sent to the field laptop."""
    clinic, field = tmp_path / "clinic", tmp_path / "field"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
    move(clinic, field, tmp_path / "first.ddtx")
    return clinic, field


def _review(data_dir: Path, decision: str | None = None, notes: str | None = None) -> tuple[str | None, str]:
    """P-1's first capture's review (decision, clinician notes), saved first where given, as the app saves it."""
    with Register(data_dir) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        capture = reg.captures.for_lesion(lesion.id)[0]
        if decision is not None and notes is not None:
            capture = reg.captures.review("dr.x", capture.id, decision, notes)
        return capture.decision, capture.clinician_notes


def _send(source: Path, target: Path, name: str, answers: Answers = NO_ANSWERS, dry_run: bool = False):
    package = source.parent / name
    with Register(source) as reg:
        export_patients(reg, package, None, overwrite=True)
    with Register(target) as reg:
        return import_package(reg, package, None, "someone", dry_run, answers=answers)


def _by_key(outcome: ImportOutcome, answer: str) -> Answers:
    return Answers(each={c.key: answer for c in outcome.plan.fields})


def test_both_changed_is_one_conflict_and_one_answer_moves_both(tmp_path: Path) -> None:
    clinic, field = _registers(tmp_path)
    _review(clinic, "refer", "refer to derm")
    _review(field, "excise", "excise: growth")
    preview = _send(field, clinic, "in.ddtx", dry_run=True)
    [conflict] = preview.plan.fields  # one conflict, not 'decision' and 'clinician_notes' apart
    assert (conflict.number, conflict.name, preview.plan.patients[0].fields) == (1, "review", [1])
    assert day_only(conflict.text) == (
        f"{WHAT}: review (decision and clinician notes, answered together) changed on both sides (here: decision "
        f"'refer', clinician notes 'refer to derm'{set_by('dr.x')}; in the package: decision 'excise', clinician notes "
        f"'excise: growth'{set_by('dr.x')}; last agreed: decision 'monitor', clinician notes 'watch the "
        "border'); left as it is here until "
        "answered (keep this register's review, or take the package's: its decision and clinician notes together)"
    )
    [row] = preview.to_dict()["field_conflicts"]  # --json: both values of each side, by field
    assert {k: row[k] for k in ("number", "field", "fields", "here", "package", "last_agreed", "answer")} == {
        "number": 1,
        "field": "review",
        "fields": ["decision", "clinician_notes"],
        "here": {"decision": "refer", "clinician_notes": "refer to derm"},
        "package": {"decision": "excise", "clinician_notes": "excise: growth"},
        "last_agreed": {"decision": "monitor", "clinician_notes": "watch the border"},
        "answer": None,
    }
    done = _send(field, clinic, "in.ddtx", _by_key(preview, TAKE))
    assert done.plan.complete and _review(clinic) == ("excise", "excise: growth")
    assert [day_only(line) for line in done.plan.update_lines] == [
        f"{WHAT}: review: decision 'refer' → 'excise', clinician notes 'refer to derm' → 'excise: growth' (changed "
        f"on both sides: the package's review, {set_by('dr.x')[3:]}, taken whole, as answered)"
    ]
    with Register(clinic) as reg:
        entry = reg.audit.entries("capture")[0]
        assert entry.action == "import-update"
        assert entry.before == {"decision": "refer", "clinician_notes": "refer to derm"}  # both, in one row


def test_an_unanswered_review_stays_whole_and_the_other_fields_still_come(tmp_path: Path) -> None:
    """The laptop changed decision and notes, the clinic the notes only: the laptop's decision is not brought over
    beside the clinic's notes (it was, silently: 'excise' with 'refer to derm'); the capture's other fields are."""
    clinic, field = _registers(tmp_path)
    _review(clinic, "monitor", "refer to derm")
    _review(field, "excise", "excise: growth")
    with Register(field) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        reg.captures.update("nurse", reg.captures.for_lesion(lesion.id)[0].id, mm_per_px=0.05)
    done = _send(field, clinic, "in.ddtx")
    assert done.applied and not done.plan.complete and [c.name for c in done.plan.fields] == ["review"]
    assert _review(clinic) == ("monitor", "refer to derm")  # the clinic's review, whole
    with Register(clinic) as reg:
        entry = reg.audit.entries("capture")[0]
        assert entry.before == {"mm_per_px": 0.02} and (entry.after or {})["agreed"]["decision"] == "monitor"
    again = _send(field, clinic, "in.ddtx", dry_run=True)  # asked again, the decision not taken meanwhile
    assert [c.name for c in again.plan.fields] == ["review"] and again.plan.updates == []


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("answer", [None, TAKE, KEEP])
def test_a_review_changed_on_both_sides_is_never_mixed(tmp_path: Path, case: str, answer: str | None) -> None:
    """Whichever fields each side changed, the clinic ends with one side's review whole: its own (not answered,
    or kept) or the laptop's (taken); after 'keep', the laptop takes the clinic's review whole, and then both agree."""
    clinic, field = _registers(tmp_path)
    mine, theirs = CASES[case]
    _review(clinic, *mine)
    _review(field, *theirs)
    preview = _send(field, clinic, "in.ddtx", dry_run=True)
    assert [c.name for c in preview.plan.fields] == ["review"], preview.plan.fields
    answers = _by_key(preview, answer) if answer else NO_ANSWERS
    _send(field, clinic, "in.ddtx", answers)
    assert _review(clinic) == (theirs if answer == TAKE else mine)
    if answer != KEEP:
        return
    assert _send(field, clinic, "in.ddtx", dry_run=True).plan.fields == []  # the same package: not asked again
    back = _send(clinic, field, "back.ddtx")  # the clinic's answer reaches the laptop: its review replaced whole
    assert back.plan.fields == [] and _review(field) == mine
    assert [line.split(": ")[1] for line in back.plan.overruled] == ["decision", "clinician notes"]
    assert not _send(field, clinic, "again.ddtx").applied  # both agree now


def test_a_review_changed_in_the_package_alone_comes_whole_notes_emptied_too(tmp_path: Path) -> None:
    """The laptop decided 'excise' and cleared the notes; the clinic did not touch the review: its notes written for
    'monitor' no longer stay beside 'excise' (an import empties no other field)."""
    clinic, field = _registers(tmp_path)
    _review(field, "excise", "")
    done = _send(field, clinic, "in.ddtx")
    assert done.plan.complete and done.plan.fields == [] and _review(clinic) == ("excise", "")
    assert done.plan.update_lines == [
        f"{WHAT}: decision 'monitor' → 'excise' (changed in the package since the two registers last agreed, not here)",
        f"{WHAT}: clinician notes 'watch the border' → (empty) (emptied in the package's review since the two "
        "registers last agreed, not here: a review comes over whole)",
    ]
    with Register(clinic) as reg:
        after = reg.audit.entries("capture")[0].after or {}
        assert (after["decision"], after["clinician_notes"]) == ("excise", "")
    _review(field, "excise", "excise: growth")  # notes written later on the laptop: an ordinary update
    assert _send(field, clinic, "later.ddtx").plan.fields == [] and _review(clinic) == ("excise", "excise: growth")


def test_a_decision_conflict_with_the_same_notes_on_both_sides_stays_a_decision_conflict(tmp_path: Path) -> None:
    clinic, field = _registers(tmp_path)
    _review(clinic, "refer", AGREED[1])
    _review(field, "excise", AGREED[1])
    [conflict] = _send(field, clinic, "in.ddtx", dry_run=True).plan.fields
    assert (conflict.name, conflict.here, conflict.package, conflict.parts) == ("decision", "refer", "excise", ())
