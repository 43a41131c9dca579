"""Patient search finds a German, Nordic or Danish name typed without the keyboard's letters (helper 76): "mueller"
Müller, "goethe" Göthe, "strasse" Straße, "joergensen" and "jorgensen" Jørgensen, "aasen" Åsen, letter by letter as
typed, on a real register; a Latin name with a real "ue" (Manuel, Rueda) is found as typed, without false hits."""

from __future__ import annotations

import pytest

from dermadesk.domain.umlauts import MOST, index_spellings, typed_as
from dermadesk.storage.register import Register
from tests.storage.search_register import fill, found

PATIENTS = [  # mrn, name, born
    ("D-1", "Hans MÜLLER", "1961-03-12"),
    ("D-2", "Karl Göthe", "1950-01-02"),
    ("D-3", "Eva Straße", "1970-05-06"),
    ("N-1", "Lars Jørgensen", "1981-07-08"),
    ("N-2", "Per Åsen", "1962-09-10"),
    ("N-3", "Mette Ærø", "1975-11-12"),
    ("D-4", "Jan Grünmüller", "1990-02-03"),
    ("D-5", "Ida Müller-Lüdenscheidt", "1988-04-05"),
    ("D-6", "Rüdiger Kohl", "1966-06-07"),
    ("L-1", "Tom Muller", "1980-01-01"),
    ("L-2", "Amy Mueller", "1981-02-02"),
    ("L-3", "Manuel Rueda", "1979-03-03"),
    ("L-4", "Samuel Rudakov", "1985-08-09"),
    ("L-5", "Anna Ruda", "1991-10-11"),
    ("L-6", "Ben Strasser", "1972-12-13"),
    ("L-7", "Ola Goetz", "1960-06-06"),
]


@pytest.fixture
def filled(register: Register) -> Register:
    return fill(register, PATIENTS)


def test_each_spelling_staff_type_finds_the_name(filled: Register) -> None:
    assert found(filled, "mueller") == ["D-1", "D-5", "L-2"]  # Müller, Müller-Lüdenscheidt and Mueller as typed
    assert found(filled, "goethe") == ["D-2"] and found(filled, "strasse") == ["D-3", "L-6"]  # Straße, Strasser
    assert found(filled, "jorgensen") == ["N-1"] == found(filled, "joergensen") == found(filled, "jørgensen")
    assert found(filled, "aasen") == ["N-2"] and found(filled, "aeroe") == ["N-3"] == found(filled, "aero")
    assert found(filled, "gruenmueller") == ["D-4"] == found(filled, "gruenmuller") == found(filled, "grunmueller")
    assert found(filled, "luedenscheidt") == ["D-5"] and found(filled, "RUEDIGER") == ["D-6"]


def test_accent_free_and_real_letters_find_it_as_before(filled: Register) -> None:
    assert found(filled, "muller") == ["D-1", "D-5", "L-1"]  # Müller as before (Grünmüller is "grunmuller")
    assert found(filled, "müller") == ["D-1", "D-5", "L-1"] and found(filled, "gothe") == ["D-2"]
    assert found(filled, "straße") == ["D-3"] and found(filled, "asen") == ["N-2"] and found(filled, "ÆRØ") == ["N-3"]
    assert found(filled, "mullerludenscheidt") == ["D-5"]  # across the hyphen, folded, as before


@pytest.mark.parametrize("name, mrn", [("mueller", "D-1"), ("goethe", "D-2"), ("strasse", "D-3"),
                                       ("joergensen", "N-1"), ("jorgensen", "N-1"), ("aasen", "N-2"),
                                       ("aeroe", "N-3")])  # fmt: skip
def test_every_beginning_finds_it_while_typing(filled: Register, name: str, mrn: str) -> None:
    for n in range(2, len(name) + 1):  # "muel", "stras", "jo", "aa", "ae"
        assert mrn in found(filled, name[:n]), name[:n]


def test_a_real_ue_is_not_drowned_in_names_with_a_u(filled: Register) -> None:
    assert found(filled, "rueda") == ["L-3"] and found(filled, "manuel") == ["L-3"]  # not Ruda
    assert found(filled, "samuel") == ["L-4"] and found(filled, "rue") == ["D-6", "L-3"]  # Rüdiger, Rueda; no Ru...
    assert found(filled, "goetz") == ["L-7"] and found(filled, "goe") == ["D-2", "L-7"]  # no Go... without an ö
    assert found(filled, "ruda") == ["L-4", "L-5"] and found(filled, "mue") == ["D-1", "D-5", "L-2"]  # no Muller


def test_they_narrow_with_other_words_and_dates(filled: Register) -> None:
    assert found(filled, "hans mueller") == ["D-1"] and found(filled, "mueller 12.03.1961") == ["D-1"]
    assert found(filled, "mueller 1981") == ["L-2"] and found(filled, "ida mueller luedenscheidt") == ["D-5"]


def test_the_index_spellings_of_a_word() -> None:
    assert index_spellings("mueller") == ([], ["muller"]) and index_spellings("strasse") == (["straße"], [])
    assert index_spellings("joergensen") == (["jørgensen"], ["jorgensen"]) and index_spellings("muller") == ([], [])
    assert index_spellings("Müller") == ([], []) and index_spellings("m") == ([], [])
    assert sum(map(len, index_spellings("oooooooooooooooooooo"))) == MOST  # at most so many
    assert typed_as("Hans MÜLLER", "muel") and not typed_as("Tom Muller", "muel") and typed_as("Chloé Ærø", "chloe")
