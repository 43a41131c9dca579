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
