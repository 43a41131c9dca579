"""The patient search from the keyboard (helper 52): Enter opens the first patient found, Down goes into the list,
Escape clears the search; a search that leaves the patient shown out of the list says so beside the count, so
nobody reviews or reports one patient while the list shows another."""

from __future__ import annotations

from PySide6.QtCore import Qt


def three_patients(window) -> list[int]:
    reg = window.session.register
    ids = [reg.patients.add("t", mrn, name).id for mrn, name in
           (("DEMO-0001", "Alex Demo"), ("DEMO-0002", "Sofia Papadopoulou"), ("DEMO-0003", "Ivan Petrov"))]  # fmt: skip
    window.refresh(ids[0])
    return ids


def test_enter_opens_the_patient_found(qtbot, window) -> None:
    first, _, third = three_patients(window)
    assert window.selection.patient_id == first
    search = window.patients.search
    search.setFocus()
    qtbot.keyClicks(search, "0003")
    qtbot.keyClick(search, Qt.Key.Key_Return)  # at once: not after the typing pause
    assert window.selection.patient_id == third and window.patient_form.patient.mrn == "DEMO-0003"
    assert window.patients.current_patient_id() == third
    assert window.patients.count.text() == "1 patient"


def test_a_search_that_leaves_the_shown_patient_out_says_so(qtbot, window) -> None:
    first = three_patients(window)[0]
    patients = window.patients
    patients.search.setText("Petrov")  # typed, no Enter: the list narrows in the background
    qtbot.waitUntil(lambda: patients.model.rowCount() == 1 and patients.model.query == "Petrov", timeout=20000)
    assert window.selection.patient_id == first  # still shown on the right
    assert patients.count.text() == "1 patient; shown: DEMO-0001, not in this search (Esc clears it)"
    patients.search.setFocus()
    qtbot.keyClick(patients.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: patients.model.rowCount() == 3, timeout=20000)
    assert patients.count.text() == "3 patients" and patients.current_patient_id() == first  # its row chosen again
    patients.search.setFocus()
    qtbot.keyClick(patients.search, Qt.Key.Key_Down)  # into the list, on the patient shown
    assert patients.list.hasFocus() or patients.list.currentIndex().row() == 0
    qtbot.keyClick(patients.list, Qt.Key.Key_Down)  # the next row opens
    assert window.selection.patient_id == patients.current_patient_id() != first
