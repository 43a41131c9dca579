"""File > Import patients: a package patient whose MRN is another person's here is answered in the preview: left out,
or imported as a new patient under the MRN given (a free one suggested, a taken one refused before anything is
written); the patient's row and the summary say what the import will do, and the next import finds the patient."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from dermadesk.ui.transfer_mrns import AS_NEW, LEAVE_OUT
from dermadesk.ui.transfer_preview import STATUS_COLOUR, ImportPreviewDialog
from tests.transfer_data import fill


def _row(d: ImportPreviewDialog, row: int = 0) -> list[str]:
    return [d.table.item(row, c).text() for c in range(d.table.columnCount())]


def test_import_as_a_new_patient_under_the_mrn_given(qtbot, window, dialogs, tmp_path: Path) -> None:
    package = tmp_path / "in.ddtx"
    with Register(tmp_path / "field") as reg:
        fill(reg, "P-1", "Ann Smith", lesions=2, captures=1)
        export_patients(reg, package, None)
    here = window.session.register
    fill(here, "P-1", "Bob Jones", lesions=1, captures=1, seed=3, birth_date="1971-02-03")
    here.patients.add("clinic", "P-5", "Carl Other")
    seen: list[object] = []

    def answer(d: ImportPreviewDialog) -> bool:
        panel = d.mrn_answers
        assert panel is not None and d.conflict_answers is None
        assert not hasattr(d, "remarks")  # its conflict is answered above, not listed again
        box, mrn = panel.choices[0], panel.mrns[0]
        seen.append((box.currentText(), mrn.text(), mrn.isEnabled(), d.import_button.isEnabled(), _row(d)[3:]))
        seen.append(d.summary.text())
        box.setCurrentIndex(box.findText(AS_NEW))
        mrn.setText("p-5")  # Carl's, in another case: refused when Import is pressed
        seen.append((_row(d)[3:], d.table.item(0, 0).background().color().name(), d.summary.text()))
        d.import_button.click()
        seen.append((d.result(), panel.problem.text()))
        mrn.setText("P-1-B")
        d.import_button.click()
        return d.result() == QDialog.DialogCode.Accepted

    dialogs.files.append([str(package)])
    dialogs.fillers.append(answer)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    why = "the name differs (here 'Bob Jones', in the package 'Ann Smith')"
    assert seen[0] == (LEAVE_OUT, "P-1-2", False, False, ["CONFLICT", "-", f"not merged: {why}"])
    assert "Left out with a conflict: 1 patient, 2 lesions, 2 captures, 2 assessments" in str(seen[1])
    assert seen[2] == (
        [
            "NEW as p-5",
            "1 patient, 2 lesions, 2 captures, 2 assessments",
            "imported as p-5, as answered: MRN P-1 is another patient's here",
        ],
        STATUS_COLOUR["new"],
        "To add: 1 patient, 2 lesions, 2 captures, 2 assessments<br>To update: nothing<br>Already here: nothing",
    )
    assert seen[3] == (
        0,
        "Patient P-1 of the package: MRN p-5 is held here by 'Carl Other'. Choose another MRN, or leave it out.",
    )
    assert dialogs.infos[0][1] == (
        "Imported 1 patient, 2 lesions, 2 captures, 2 assessments from in.ddtx. Patient P-1 of the package is new "
        "patient P-1-B here (MRN P-1 is another patient's here: 'Bob Jones', born 1971-02-03); the next import finds "
        "it under that MRN."
    )
    assert here.patients.by_mrn("P-1-B").name == "Ann Smith" and here.patients.by_mrn("P-1").name == "Bob Jones"

    again: list[list[str]] = []

    def look(d: ImportPreviewDialog) -> bool:
        again.append(_row(d))
        assert d.mrn_answers is None and not d.import_button.isEnabled()
        return False

    dialogs.files.append([str(package)])
    dialogs.fillers.append(look)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(again), timeout=30000)
    assert again == [["P-1 (P-1-B here)", "Ann Smith", "1960-05-01", "already here", "nothing", ""]]
