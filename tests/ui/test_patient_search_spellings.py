"""The search box finds a Cyrillic name typed in Latin and a birthday typed without its year (helper 63), and its
tooltip says so."""

from __future__ import annotations

import dermadesk.ui.patient_list as patient_list
from tests.ui.helpers import ThreadRecorder


def test_typing_a_latin_spelling_or_a_birthday_finds_the_patient(qtbot, window) -> None:
    reg = window.session.register
    for mrn, name, born in (("C-1", "Иван Петров", "1961-04-12"), ("L-1", "Anna Smith", "1970-01-01")):
        reg.patients.add("t", mrn, name, born)
    window.refresh()
    patients = window.patients
    for typed in ("petrov", "12 Apr", "Иван 12.04."):
        patients.search.setText(typed)  # typed, no Enter: the list narrows in the background
        qtbot.waitUntil(lambda t=typed: patients.model.query == t and patients.model.rowCount() == 1, timeout=20000)
        assert patients.model.patient(0).name == "Иван Петров" and patients.count.text() == "1 patient"
    assert "12 Mar" in patients.search.toolTip() and "petrov: Петров" in patients.search.toolTip()


def test_other_spellings_and_a_hint_when_nobody_is_found(qtbot, window) -> None:
    """Helper 71: "julia" finds Юлия as typed in the box; a search that finds nobody says what to try instead."""
    reg = window.session.register
    for mrn, name in (("C-1", "Юлия Щербакова"), ("L-1", "Anna Smith")):
        reg.patients.add("t", mrn, name, None)
    window.refresh()
    patients = window.patients

    def search(typed: str) -> list[str]:
        patients.search.setText(typed)
        qtbot.waitUntil(lambda: patients.model.query == typed, timeout=20000)
        return [patients.model.patient(row).name for row in range(patients.model.rowCount())]

    assert search("julia") == search("scherbakova") == ["Юлия Щербакова"] and patients.count.text() == "1 patient"
    assert search("shcerbakova") == [] and patients.count.text() == 'No patients: try fewer letters, e.g. "shc"'
    assert search("shc") == ["Юлия Щербакова"]  # the hint's suggestion finds her
    assert search("anna scherbakova") == [] and patients.count.text() == "No patients: try fewer words"
    assert search("31.02.") == [] and patients.count.text() == 'No patients: "31.02." is not a date'
    assert "julia, yulia: Юлия" in patients.search.toolTip() and "mueller: Müller" in patients.search.toolTip()


def test_names_typed_without_umlauts_and_short_dates_and_what_the_line_says(qtbot, window, monkeypatch) -> None:
    """Helper 76: "mueller" finds Müller, "12.03.61" and "120361" a birth date; a search that finds nobody says so
    the same way for a name, a date or a year, and the beginning it suggests finds someone."""
    reg = window.session.register
    for mrn, name, born in (("D-1", "Hans Müller", "1961-03-12"), ("N-1", "Lars Jørgensen", "1970-01-01"),
                            ("L-1", "Manuel Rueda", "1980-05-05"), ("120361-7", "Ben Number", None)):  # fmt: skip
        reg.patients.add("t", mrn, name, born)
    window.refresh()
    patients = window.patients
    lines_made = ThreadRecorder(monkeypatch, patient_list, "none_found_read_only")

    def search(typed: str) -> list[str]:
        patients.search.setText(typed)
        qtbot.waitUntil(lambda: patients.model.query == typed, timeout=20000)
        return [patients.model.patient(row).name for row in range(patients.model.rowCount())]

    for typed in ("mueller", "muel", "muller", "12.03.61", "12/3/61", "12-03-61", "hans 12 mar 61"):
        assert search(typed) == ["Hans Müller"] and patients.count.text() == "1 patient", typed
    assert search("120361") == ["Ben Number", "Hans Müller"]  # the MRN as before, and the birth date
    assert search("jorgensen") == ["Lars Jørgensen"] and search("rue") == ["Manuel Rueda"]
    lines = {
        "12.03.62": "No patient born 12 Mar 1962",
        "12/03/62": "No patient born 12 Mar 1962 or 3 Dec 1962",
        "12.03.1962": "No patient born 12 Mar 1962",
        "1962": "No patient born in 1962",
        "13 Mar": "No patient born 13 Mar (any year)",
        "31.02.61": 'No patients: "31.02.61" is not a date',
        "hans 1962": "No patients: try fewer words",
        "xq": 'No patients: no name or MRN begins with "x"',
        "muelxer": 'No patients: try fewer letters, e.g. "muel"',
        "joergensson": 'No patients: try fewer letters, e.g. "joergens"',
        "1203619": 'No patients: try fewer figures, e.g. "120361"',
    }
    for typed, line in lines.items():
        assert search(typed) == [] and patients.count.text() == line, typed
    for typed in ("muelxer", "joergensson", "1203619", "manuelx"):  # the suggestion, typed, finds someone...
        search(typed)
        suggested = patients.count.text().split('"')[1]
        assert search(suggested), typed
        assert search(typed[: len(suggested) + 1]) == [], typed  # ... and it is the longest beginning that does
    assert lines_made.off_gui_thread  # the beginnings tried in the background, as the search is
    patients.search.setText("muelxer")
    patients.open_first()  # Enter: searched at once, on this thread, and said the same way
    assert patients.model.query == "muelxer" and patients.count.text() == 'No patients: try fewer letters, e.g. "muel"'
