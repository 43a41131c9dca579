"""The likely-duplicate check on a real register: born the same day, the name the same (accents, case, punctuation,
word order, Latin or Cyrillic/Greek spelling ignored) or alike (fewer names, an initial); twins left alone."""

from __future__ import annotations

import pytest

from dermadesk.domain.names import ALIKE, SAME, fold_name, name_likeness
from dermadesk.services import register_ops as ops
from dermadesk.services.duplicates import likely_before_adding, likely_duplicates, likely_lines


@pytest.mark.parametrize(
    ("typed", "stored", "how"),
    [
        ("jose nunez", "José Núñez", SAME),  # the case from the clinic: case and accents
        ("Núñez, José", "José Núñez", SAME),  # word order, a comma
        ("Mary OBrien", "Mary O'Brien", SAME),  # punctuation inside a word
        ("Jean Luc Picard", "Picard, Jean-Luc", SAME),  # a space for a hyphen
        ("Yuliya Petrova", "Юлия Петрова", SAME),  # the register's Latin spelling of a Cyrillic name
        ("Julia Petrova", "Юлия Петрова", SAME),  # a common other spelling of it
        ("Alexander Petroff", "Александр Петров", SAME),
        ("Sofia Oikonomou", "Σοφία Οικονόμου", SAME),  # Greek
        ("STRAUSS Jörg", "Jörg Strauß", SAME),  # ß, capitals
        ("J. Nunez", "José Núñez", ALIKE),  # an initial for the first name
        ("José Núñez", "José Antonio Núñez García", ALIKE),  # fewer names
        ("Anna Smith", "Alice Smith", None),  # twins: the same surname, another first name (same initial too)
        ("Jose Nunez", "Jorge Núñez", None),
        ("Anna Smith", "Anna-Lena Smith", None),
        ("Julia Smith", "Yuliya Smith", None),  # two Latin names: as typed, no other spellings
        ("J. S.", "John Smith", None),  # initials alone
        ("Smith", "John Smith", None),  # one word is too little
    ],
)
def test_names_the_same_alike_or_not(typed: str, stored: str, how: str | None) -> None:
    assert name_likeness(fold_name(typed), fold_name(stored)) == how
    assert name_likeness(fold_name(stored), fold_name(typed)) == how  # either way round


def test_born_the_same_day_with_the_name_folded_alike_is_found_deleted_ones_too(register) -> None:
    jose = ops.add_patient(register, "t", "C-1001", "José Núñez", "1961-03-12")
    ops.add_patient(register, "t", "C-1002", "José Núñez", "1961-03-13")  # another day: another person
    twin = ops.add_patient(register, "t", "C-1003", "Jorge Núñez", "1961-03-12")
    gone = ops.add_patient(register, "t", "C-1004", "J. Nunez", "1961-03-12")
    ops.delete_patient(register, "t", gone.id)
    found = likely_duplicates(register, "jose nunez", "12.03.1961")  # as typed in the New patient dialog
    assert [(f.patient.mrn, f.same_name) for f in found] == [("C-1001", True), ("C-1004", False)]
    lines = likely_lines(found, "dermadesk patient delete {mrn} --restore")
    assert lines == [
        "C-1001 José Núñez, born 12 Mar 1961 (same name and birth date)",
        "C-1004 J. Nunez, born 12 Mar 1961 (similar name, same birth date) — deleted: "
        "dermadesk patient delete C-1004 --restore",
    ]
    assert likely_duplicates(register, "José Núñez", "1961-03-12", other_than=jose.id)[0].patient.mrn == "C-1004"
    assert all(f.patient.id != twin.id for f in found)  # the twin is not asked about


def test_nothing_is_looked_for_without_a_birth_date_or_where_adding_is_refused_anyway(register) -> None:
    ops.add_patient(register, "t", "C-1001", "José Núñez", "1961-03-12")
    ops.add_patient(register, "t", "C-1005", "Ana Silva")
    assert likely_duplicates(register, "Ana Silva", None) == []  # a name alone is shared by too many people
    values = {"mrn": "C-2001", "name": "jose nunez", "birth_date": "1961-03-12", "sex": None, "skin_type": None}
    assert [f.patient.mrn for f in likely_before_adding(register, values)] == ["C-1001"]
    for refused in ({"mrn": "c-1001"}, {"sex": "robot"}, {"birth_date": "12/03/1961"}):  # the add says why first
        assert likely_before_adding(register, {**values, **refused}) == []


def test_many_born_that_day_with_a_name_alike_are_counted_after_five(register) -> None:
    for i in range(7):
        ops.add_patient(register, "t", f"S-{i}", f"Smith John {'Paul ' * i}".strip(), "1970-01-01")
    found = likely_duplicates(register, "John Smith", "1970-01-01")
    assert len(found) == 7 and found[0].patient.mrn == "S-0" and found[0].same_name
    assert likely_lines(found, "")[-1] == "and 2 more born that day with a name alike"
