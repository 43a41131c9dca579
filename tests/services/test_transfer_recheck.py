"""A 'monitor' decision's re-check interval is part of the capture's review in a transfer: it moves with an updated
decision, a conflict on the review shows it beside its decision, the preview and the result say where it changed,
and a package of a DermaDesk before intervals (schema 12, no column) imports: its decision brought over clears the
interval here, as an interval goes with 'monitor' only. Real registers, real packages."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer import collect_records, write_package
from dermadesk.storage.transfer_answers import KEEP, TAKE, Answers
from tests.transfer_data import day_only, fill, move, set_by

WHAT = "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1"
Review = tuple[str | None, str, int | None]


def _registers(tmp_path: Path) -> tuple[Path, Path]:
    """P-1 made at the clinic (its capture reviewed 'monitor', 'watch the border', no interval), sent to the laptop."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
    move(clinic, laptop, tmp_path / "first.ddtx")
    return clinic, laptop


def _review(data_dir: Path, decision: str | None = None, notes: str = "", months: int | None = None) -> Review:
    """P-1's first capture's review (decision, clinician notes, re-check interval), saved first where a decision is
    given, as the app saves it."""
    with Register(data_dir) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        capture = reg.captures.for_lesion(lesion.id)[0]
        if decision is not None:
            capture = reg.captures.review("dr.x", capture.id, decision, notes, months)
        return capture.decision, capture.clinician_notes, capture.recheck_months


def _old_package(source: Path, out: Path) -> None:
    """P-1 in a package as a DermaDesk before re-check intervals (schema 12) writes it: no ``recheck_months``."""
    with Register(source) as reg:
        records = collect_records(reg.database, [reg.patients.by_mrn("P-1").id])
        for row in records["captures"]:
            del row["recheck_months"]
        write_package(reg.database, reg.images, out, records, None, schema_version=12)


def test_an_interval_given_on_the_laptop_comes_with_its_review(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _review(laptop, "monitor", "watch the border", 12)
    line = (
        f"{WHAT}: re-check interval (none: as the tier suggests) → 12 months (changed in the package since the two "
        "registers last agreed, not here)"
    )
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "in.ddtx", None)
    with Register(clinic) as reg:
        preview = import_package(reg, tmp_path / "in.ddtx", None, "someone", dry_run=True)
    assert preview.plan.update_lines == [line] and preview.plan.fields == []  # the preview says it
    assert _review(clinic) == ("monitor", "watch the border", None)  # nothing written by the preview
    done = move(laptop, clinic, tmp_path / "in.ddtx")
    assert done.plan.update_lines == [line] and done.plan.updated["captures"] == 1
    assert _review(clinic) == ("monitor", "watch the border", 12)
    back = move(clinic, laptop, tmp_path / "back.ddtx")  # agreed now: nothing to bring back, nothing asked
    assert (back.plan.update_lines, back.plan.fields, back.plan.notes) == ([], [], [])


def test_a_decision_changed_from_monitor_clears_the_interval_it_came_with(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _review(laptop, "monitor", "watch the border", 12)
    move(laptop, clinic, tmp_path / "one.ddtx")
    _review(laptop, "excise", "grown: excise")
    done = move(laptop, clinic, tmp_path / "two.ddtx")
    assert done.plan.fields == [] and done.plan.update_lines == [
        f"{WHAT}: decision 'monitor' → 'excise' (changed in the package since the two registers last agreed, not here)",
        f"{WHAT}: re-check interval 12 months → (none) (it goes with the decision 'monitor' only)",
        f"{WHAT}: clinician notes 'watch the border' → 'grown: excise' (changed in the package since the two registers "
        "last agreed, not here)",
    ]
    assert _review(clinic) == ("excise", "grown: excise", None)


def test_a_review_changed_on_both_sides_shows_each_sides_interval(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _review(clinic, "monitor", "stable, see in a year", 12)
    _review(laptop, "monitor", "flat, as the tier says")
    preview = move(laptop, clinic, tmp_path / "in.ddtx")
    [conflict] = preview.plan.fields
    assert conflict.name == "review" and conflict.answer is None
    assert day_only(conflict.text) == (
        f"{WHAT}: review (decision, re-check interval and clinician notes, answered together) changed on both sides "
        f"(here: decision 'monitor', re-check in 12 months, clinician notes 'stable, see in a year'{set_by('dr.x')}; "
        "in the package: decision 'monitor', clinician notes 'flat, as the tier says'"
        f"{set_by('dr.x')}; last agreed: decision 'monitor', clinician "
        "notes 'watch the border'); left as it is here until answered (keep this register's review, or take the "
        "package's: its decision, re-check interval and clinician notes together)"
    )
    [row] = preview.to_dict()["field_conflicts"]  # --json: each side's interval by field
    assert row["fields"] == ["decision", "recheck_months", "clinician_notes"]
    assert row["here"]["recheck_months"] == 12 and row["package"]["recheck_months"] is None
    assert _review(clinic) == ("monitor", "stable, see in a year", 12)  # left as here until answered
    taken = move(laptop, clinic, tmp_path / "in.ddtx", Answers(each={conflict.key: TAKE}))
    assert [day_only(line) for line in taken.plan.update_lines] == [
        f"{WHAT}: review: re-check interval 12 months → (none: as the tier suggests), clinician notes 'stable, see "
        f"in a year' → 'flat, as the tier says' (changed on both sides: the package's review, "
        f"{set_by('dr.x')[3:]}, taken whole, as answered)"
    ]
    assert _review(clinic) == ("monitor", "flat, as the tier says", None)


def test_an_interval_changed_on_both_sides_is_one_conflict_with_its_decision(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _review(clinic, "monitor", "watch the border", 12)
    _review(laptop, "monitor", "watch the border", 6)
    [conflict] = move(laptop, clinic, tmp_path / "in.ddtx").plan.fields
    assert [p.name for p in conflict.parts] == ["decision", "recheck_months"]
    assert (
        f"(here: decision 'monitor', re-check in 12 months{set_by('dr.x')}; in the package: decision 'monitor', "
        f"re-check in 6 months{set_by('dr.x')}; last agreed: decision 'monitor')" in day_only(conflict.text)
    )
    kept = move(laptop, clinic, tmp_path / "in.ddtx", Answers(each={conflict.key: KEEP}))
    assert kept.plan.fields[0].answer == KEEP and _review(clinic) == ("monitor", "watch the border", 12)
    again = move(laptop, clinic, tmp_path / "again.ddtx")  # answered: not asked again while the package holds 6
    assert again.plan.fields == [] and _review(clinic)[2] == 12


def test_an_interval_left_beside_another_decision_counts_for_nothing(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _review(laptop, "refer", "refer to derm")
    with Register(laptop) as reg:  # as an earlier transfer could leave one (a review moved without its interval)
        reg.database.conn.execute("UPDATE captures SET recheck_months = 6")
        reg.database.conn.commit()
    done = move(laptop, clinic, tmp_path / "in.ddtx")
    assert not any("re-check" in line for line in done.plan.update_lines + done.plan.notes)
    assert _review(clinic) == ("refer", "refer to derm", None)


def test_an_older_package_without_intervals_imports(tmp_path: Path) -> None:
    clinic, laptop = _registers(tmp_path)
    _review(laptop, "monitor", "watch the border", 12)
    move(laptop, clinic, tmp_path / "one.ddtx")  # both hold 'monitor', 12 months
    _review(laptop, "monitor", "flat", 12)
    _old_package(laptop, tmp_path / "notes.ddtx")
    with Register(clinic) as reg:
        notes = import_package(reg, tmp_path / "notes.ddtx", None, "someone")
    assert notes.applied and notes.plan.fields == []
    assert _review(clinic) == ("monitor", "flat", 12)  # the decision stays: its interval stays with it
    _review(laptop, "refer", "refer to derm")
    _old_package(laptop, tmp_path / "refer.ddtx")
    with Register(clinic) as reg:
        referred = import_package(reg, tmp_path / "refer.ddtx", None, "someone")
    assert f"{WHAT}: re-check interval 12 months → (none) (it goes with the decision 'monitor' only)" in (
        referred.plan.update_lines
    )
    assert _review(clinic) == ("refer", "refer to derm", None)
