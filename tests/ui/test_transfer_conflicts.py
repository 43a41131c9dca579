"""File > Import patients: the preview lists each field changed on both sides with an answer to choose (keep this
register's value / take the package's), one by one or all at once; a package with nothing but such conflicts
can be imported once answered, and a 'keep' is not asked again at the next import of the same package; after the other
register kept its own value over yours, the last agreed value shown is the one it settled."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage import transfer_merge
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, TAKE, Answers
from dermadesk.ui.transfer_conflicts import NOT_ANSWERED
from dermadesk.ui.transfer_preview import STATUS_COLOUR, TO_ANSWER_COLOUR, ImportPreviewDialog
from tests.transfer_data import day_only, edit, fill, today


def _both_changed(window, tmp_path: Path) -> Path:
    """Patient P-1 from the field laptop, then its capture's decision (not its notes) and lesion's label changed on
    the laptop and here: the laptop's package, not yet imported."""
    field, package = tmp_path / "field", tmp_path / "in.ddtx"
    with Register(field) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        export_patients(reg, package, None)
    here = window.session.register
    import_package(here, package, None, "clinic")
    edit(field, decision="refer", label="upper back")
    with Register(field) as reg:
        export_patients(reg, package, None, overwrite=True)
    lesion = here.lesions.for_patient(here.patients.by_mrn("P-1").id)[0]
    here.lesions.update("doctor", lesion.id, label="left scapula")
    capture = here.captures.for_lesion(lesion.id)[0]
    here.captures.review("doctor", capture.id, "excise", capture.clinician_notes)  # the notes as they were
    return package


def _patient_row(d: ImportPreviewDialog) -> tuple[str, str, str]:
    """The first patient row's status and 'Adds' cells, and its colour."""
    return d.table.item(0, 3).text(), d.table.item(0, 4).text(), d.table.item(0, 0).background().color().name()


def _values(window) -> tuple[str | None, str | None]:
    here = window.session.register
    lesion = here.lesions.for_patient(here.patients.by_mrn("P-1").id)[0]
    return here.captures.for_lesion(lesion.id)[0].decision, lesion.label


def test_each_conflict_answered_in_the_preview_and_keep_not_asked_again(qtbot, window, dialogs, tmp_path) -> None:
    package = _both_changed(window, tmp_path)
    seen: list[list[str]] = []
    rows: list[tuple[str, str, str]] = []

    def answer(d: ImportPreviewDialog) -> bool:
        panel = d.conflict_answers
        remarks = d.remarks.toPlainText() if hasattr(d, "remarks") else ""  # none: no notes, no other conflicts
        assert panel is not None and "Conflict" not in remarks, remarks  # not twice
        seen.extend(
            " | ".join(day_only(panel.table.item(r, c).text()) for c in range(5)) for r in range(panel.table.rowCount())
        )
        assert [box.currentText() for box in panel.choices] == [NOT_ANSWERED, NOT_ANSWERED]
        assert (d.import_button.text(), d.import_button.isEnabled()) == ("Nothing new to import", False)
        rows.append(_patient_row(d))  # not 'already here | nothing': the conflicts are named, the row amber
        box = {panel.table.item(r, 1).text(): panel.choices[r] for r in range(len(panel.choices))}
        box["decision"].setCurrentIndex(box["decision"].findData(KEEP))
        assert (d.import_button.text(), d.import_button.isEnabled()) == ("Import", True)  # an answer to record
        rows.append(_patient_row(d))
        box["label"].setCurrentIndex(box["label"].findData(TAKE))
        rows.append(_patient_row(d))
        return True

    dialogs.files.append([str(package)])
    dialogs.fillers.append(answer)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert seen == [
        "lesion 1 (left scapula, left posterior torso; 'upper back' in the package) of patient P-1 | label | "
        "left scapula | upper back | lesion 0",
        "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (left scapula) of patient P-1 | decision | excise\n"
        f"doctor, {today()} | refer\nsomeone, {today()} | monitor",
    ]
    assert rows == [
        ("already here · 2 conflicts to answer", "nothing", TO_ANSWER_COLOUR),
        ("already here · 2 conflicts: 1 to answer, 1 keeps this register's value", "nothing", TO_ANSWER_COLOUR),
        (
            "already here · 2 conflicts answered: 1 keeps this register's value, 1 takes the package's",
            "nothing",
            STATUS_COLOUR["present"],
        ),
    ]
    assert dialogs.infos[0][1] == (
        "Updated 1 lesion from in.ddtx. Kept this register's value for 1 field changed on both sides, as answered: "
        "not asked again while the package holds the same value."
    )
    assert _values(window) == ("excise", "upper back")

    again: list[str] = []

    def look(d: ImportPreviewDialog) -> bool:
        again.extend([d.import_button.text(), d.remarks.toPlainText()])
        assert d.conflict_answers is None and not d.import_button.isEnabled()
        return False

    dialogs.files.append([str(package)])
    dialogs.fillers.append(look)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(again), timeout=30000)
    assert again[0] == "Nothing new to import" and "Conflict" not in again[1]
    assert "kept as it is here, as answered at an earlier import (keep this register's value)" in again[1]


def test_all_conflicts_answered_at_once(qtbot, window, dialogs, tmp_path) -> None:
    package = _both_changed(window, tmp_path)

    def take_all(d: ImportPreviewDialog) -> bool:
        panel = d.conflict_answers
        assert panel is not None
        panel.all_buttons[KEEP].click()
        assert [box.currentData() for box in panel.choices] == [KEEP, KEEP] and d.import_button.isEnabled()
        panel.all_buttons[""].click()  # Leave all unanswered: nothing to import again
        assert [box.currentText() for box in panel.choices] == [NOT_ANSWERED] * 2 and not d.import_button.isEnabled()
        panel.all_buttons[TAKE].click()
        return d.import_button.isEnabled()

    dialogs.files.append([str(package)])
    dialogs.fillers.append(take_all)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert dialogs.infos[0][1] == "Updated 1 lesion, 1 capture from in.ddtx."
    assert _values(window) == ("refer", "upper back")
    entries = window.session.register.audit.entries("capture")  # what was replaced, as for any update
    assert entries[0].action == "import-update" and entries[0].before == {"decision": "excise"}


def test_a_value_of_yours_the_other_register_kept_its_own_over_is_said_replaced(qtbot, window, dialogs, tmp_path):
    """The field laptop answered 'keep this register's value' to a decision changed on both sides: this register's
    next import takes the laptop's value and says whose value replaced whose, and why; no conflict to answer."""
    package = _both_changed(window, tmp_path)
    here, field = window.session.register, tmp_path / "field"
    export_patients(here, tmp_path / "to-field.ddtx", None)
    with Register(field) as reg:
        import_package(reg, tmp_path / "to-field.ddtx", None, "nurse", answers=Answers(KEEP))  # keeps its own
        host = reg.database.one("SELECT hostname FROM workstations WHERE is_self = 1")[0]
        day = human_date(reg.audit.entries("capture")[0].at)
        export_patients(reg, package, None, overwrite=True)
    seen: list[str] = []

    def look(d: ImportPreviewDialog) -> bool:
        assert d.conflict_answers is None and d.import_button.isEnabled()
        seen.extend([*_patient_row(d), *(r for r in d.remarks.toPlainText().splitlines() if "Overruled" in r)])
        return True

    dialogs.files.append([str(package)])
    dialogs.fillers.append(look)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    said = [
        f"lesion 1 (left scapula, left posterior torso; 'upper back' in the package) of patient P-1: label: your "
        f"'left scapula' replaced by workstation {host}'s 'upper back' (answered at {host} on {day}: keep its own "
        "value over yours)",
        "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (left scapula) of patient P-1: decision: your 'excise' "
        f"replaced by workstation {host}'s 'refer' (answered at {host} on {day}: keep its own value over yours)",
    ]
    assert seen == [
        "already here",
        f"updates 2 records; 2 of your values overruled at {host} (see below)",
        STATUS_COLOUR["present"],
        *(f"Overruled: {line}" for line in said),
    ]
    assert dialogs.infos[0][1] == (
        f"Updated 1 lesion, 1 capture from in.ddtx. 2 of your values were replaced by workstation {host}'s: answered "
        "there, it kept its own value over yours (see details)."
    )
    assert dialogs.details[0].startswith("\n".join(said)) and _values(window) == ("refer", "upper back")


@pytest.mark.parametrize("recorded", [True, False], ids=["settled-recorded", "older-answer-row"])
def test_after_an_overrule_last_agreed_is_the_value_the_answer_settled(
    qtbot, window, dialogs, tmp_path, monkeypatch, recorded: bool
) -> None:
    """The field laptop kept its own decision 'refer' over this register's 'excise'; here it was changed to
    'discharge' before that answer came back: a conflict whose "Last agreed" is 'refer', the value the answer
    settled, and says it was kept over 'excise'. An answer row written without the settled value (by a DermaDesk
    from before it was recorded) shows the value overruled, and says so."""
    package = _both_changed(window, tmp_path)
    here, field = window.session.register, tmp_path / "field"
    export_patients(here, tmp_path / "to-field.ddtx", None)
    real = transfer_merge.merge_record

    def unrecorded(*args, **kwargs):  # as a DermaDesk from before the settled value was recorded
        update, notes, conflicts = real(*args, **kwargs)
        if update is not None:
            update.settled = {}
        return update, notes, conflicts

    with monkeypatch.context() as m, Register(field) as reg:
        if not recorded:
            m.setattr(transfer_merge, "merge_record", unrecorded)
        import_package(reg, tmp_path / "to-field.ddtx", None, "nurse", answers=Answers(KEEP))  # keeps its own
        export_patients(reg, package, None, overwrite=True)
    lesion = here.lesions.for_patient(here.patients.by_mrn("P-1").id)[0]
    capture = here.captures.for_lesion(lesion.id)[0]
    here.captures.review("doctor", capture.id, "discharge", capture.clinician_notes)  # changed again here
    rows: list[list[str]] = []

    def look(d: ImportPreviewDialog) -> bool:
        panel = d.conflict_answers
        assert panel is not None and panel.table.rowCount() == 1
        rows.append([day_only(panel.table.item(0, c).text()) for c in range(5)] + [panel.table.item(0, 4).toolTip()])
        return False

    dialogs.files.append([str(package)])
    dialogs.fillers.append(look)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(rows), timeout=30000)
    what = "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (left scapula) of patient P-1"
    if recorded:
        assert rows == [
            [
                what,
                "decision",
                f"discharge\ndoctor, {today()}",
                f"refer\nsomeone, {today()}",
                "refer (kept over your excise)",
                "The package's register answered 'keep its own value' (refer) over your excise: refer is the value "
                "the two registers last settled on. Your value was changed here since.",
            ]
        ]
    else:
        assert rows == [
            [
                what,
                "decision",
                f"discharge\ndoctor, {today()}",
                f"refer\nsomeone, {today()}",
                "excise (overruled there)",
                "The package's register kept its own value over this one (excise).",
            ]
        ]
