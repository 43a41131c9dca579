"""The search box finds a Cyrillic name typed in Latin and a birthday typed without its year (helper 63), and its
tooltip says so."""

from __future__ import annotations


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
    assert search("31.02.") == [] and patients.count.text() == "0 patients"  # no letters: nothing to suggest
    assert "julia, yulia: Юлия" in patients.search.toolTip()
