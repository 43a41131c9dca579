"""File > Import patients: a capture's review changed on both registers is one row of the preview's conflicts, its
decision and clinician notes a line each in every cell, with one answer ("Keep this register's review" / "Take the
package's review") that moves both. Real registers, a real package, the real dialog."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_answers import KEEP, TAKE
from dermadesk.ui.transfer_conflicts import NOT_ANSWERED
from dermadesk.ui.transfer_preview import ImportPreviewDialog
from tests.transfer_data import day_only, fill, today


def _reviewed_on_both(window, tmp_path: Path, here_review: tuple[str, str]) -> Path:
    """P-1 from the field laptop (its capture reviewed 'monitor', 'watch the border'); then the laptop reviewed it
    'excise', 'excise: growth' and renamed the lesion, this register gave ``here_review`` and another lesion label:
    the laptop's package, not yet imported."""
    field, package = tmp_path / "field", tmp_path / "in.ddtx"
    with Register(field) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        export_patients(reg, package, None)
    here = window.session.register
    import_package(here, package, None, "clinic")
    with Register(field) as reg:
        _change(reg, "upper back", ("excise", "excise: growth"))
        export_patients(reg, package, None, overwrite=True)
    _change(here, "left scapula", here_review)
    return package


def _change(reg: Register, label: str, review: tuple[str, str]) -> None:
    lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
    reg.lesions.update("dr.x", lesion.id, label=label)
    reg.captures.review("dr.x", reg.captures.for_lesion(lesion.id)[0].id, *review)


def _review(window) -> tuple[str | None, str]:
    here = window.session.register
    lesion = here.lesions.for_patient(here.patients.by_mrn("P-1").id)[0]
    capture = here.captures.for_lesion(lesion.id)[0]
    return capture.decision, capture.clinician_notes


def test_the_review_is_one_row_and_its_answer_takes_decision_and_notes(qtbot, window, dialogs, tmp_path) -> None:
    package = _reviewed_on_both(window, tmp_path, ("refer", "refer to derm"))
    seen: dict[str, object] = {}

    def answer(d: ImportPreviewDialog) -> bool:
        panel = d.conflict_answers
        assert panel is not None
        table = panel.table
        seen["rows"] = [[day_only(table.item(r, c).text()) for c in range(1, 5)] for r in range(table.rowCount())]
        seen["choices"] = [[box.itemText(i) for i in range(box.count())] for box in panel.choices]
        seen["intro"] = panel.intro.text()
        lines = table.fontMetrics().lineSpacing()
        seen["tall enough"] = table.rowHeight(1) >= 2 * lines  # both lines in sight
        rows = table.horizontalHeader().sizeHint().height() + table.rowHeight(0) + table.rowHeight(1)
        seen["room for both rows"] = table.minimumHeight() >= rows  # the review's two lines counted whole
        seen["tooltip"] = day_only(table.item(1, 3).toolTip())
        panel.choices[1].setCurrentIndex(panel.choices[1].findData(TAKE))
        seen["patient"] = d.table.item(0, 3).text()
        return True

    dialogs.files.append([str(package)])
    dialogs.fillers.append(answer)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert seen["rows"] == [
        ["label", "left scapula", "upper back", "lesion 0"],
        [
            "decision +\nclinician notes",
            f"refer\nrefer to derm\ndr.x, {today()}",  # who decided on each side, and when
            f"excise\nexcise: growth\ndr.x, {today()}",
            "monitor\nwatch the border",
        ],
    ]
    assert seen["choices"] == [
        [NOT_ANSWERED, "Keep this register's value", "Take the package's value"],
        [NOT_ANSWERED, "Keep this register's review", "Take the package's review"],
    ]
    assert seen["intro"].startswith(  # the fields its row names ("decision +\nclinician notes"), as the CLI says them
        "<b>1 field and 1 review (decision and clinician notes) changed on both sides</b>"
    ) and seen["intro"].endswith("A capture's <i>review</i> is answered whole: the fields named go together.")
    assert seen["tall enough"] and seen["room for both rows"]
    assert seen["tooltip"] == f"decision: excise\nclinician notes: excise: growth\nSaved by dr.x on {today()}"
    assert seen["patient"] == "already here · 2 conflicts: 1 to answer, 1 takes the package's"
    assert _review(window) == ("excise", "excise: growth")  # one answer, both fields
    assert dialogs.infos[0][1] == "Updated 1 capture from in.ddtx. 1 conflict: not merged (see details)."  # the label


def test_keep_all_keeps_the_clinics_review_whole_where_the_laptop_changed_more(qtbot, window, dialogs, tmp_path):
    """The laptop changed decision and notes, this register the notes only: one review row (its decision 'excise'
    is not brought over beside this register's notes), kept whole by "Keep this register's values"."""
    package = _reviewed_on_both(window, tmp_path, ("monitor", "refer to derm"))
    rows: list[list[str]] = []

    def keep_all(d: ImportPreviewDialog) -> bool:
        panel = d.conflict_answers
        assert panel is not None
        rows.extend(
            [day_only(panel.table.item(r, c).text()) for c in range(1, 5)] for r in range(panel.table.rowCount())
        )
        panel.all_buttons[KEEP].click()
        assert [box.currentText() for box in panel.choices] == [
            "Keep this register's value",
            "Keep this register's review",
        ]
        return True

    dialogs.files.append([str(package)])
    dialogs.fillers.append(keep_all)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert rows[1] == [
        "decision +\nclinician notes",
        f"monitor\nrefer to derm\ndr.x, {today()}",
        f"excise\nexcise: growth\ndr.x, {today()}",
        "monitor\nwatch the border",
    ]
    assert _review(window) == ("monitor", "refer to derm")
    assert dialogs.infos[0][1] == (
        "Nothing new was imported from in.ddtx. Kept this register's value for 1 field and 1 review (decision and "
        "clinician notes) changed on both sides, as answered: not asked again while the package holds the same value."
    )
    # the same package again: the review kept is one note, in the preview and in the result's details (it was a
    # note for the decision and another for the notes, while the conflict and its answer were one)
    remarks: list[str] = []

    def look(d: ImportPreviewDialog) -> bool:
        assert d.conflict_answers is None  # answered: nothing to answer again
        remarks.extend(d.remarks.toPlainText().splitlines())
        return True

    dialogs.files.append([str(package)])
    dialogs.fillers.append(look)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: len(dialogs.infos) == 2, timeout=30000)
    review = [line for line in remarks if "P-1-0-0.jpg" in line]
    assert review == [
        "Note: capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (left scapula) of patient P-1: review differs (here: "
        "decision 'monitor', clinician notes 'refer to derm'; in the package: decision 'excise', clinician notes "
        "'excise: growth'); kept as it is here, as answered at an earlier import (keep this register's review)"
    ]
    assert [line for line in dialogs.details[-1].splitlines() if "P-1-0-0.jpg" in line] == [review[0][6:]]
