"""Patient search finds a Cyrillic or Greek name by the other Latin spellings people type (helper 71): "julia" and
"yulia" Юлия, "pyotr" Пётр, "scherbakova" Щербакова, "Petroff" Петров, "Andrei" Андрей, "Alexander" Александр, as
the user types them letter by letter, on a real register; a name in Latin letters is found only as typed."""

from __future__ import annotations

import pytest

from dermadesk.domain.spellings import MOST, spellings
from dermadesk.storage.register import Register
from tests.storage.search_register import fill
from tests.storage.search_register import found_in_order as found

PATIENTS = [  # mrn, name, born
    ("C-1", "Юлия Щербакова", "1984-04-12"),
    ("C-2", "Пётр Петров", "1950-12-04"),
    ("C-3", "Андрей Александров", "1972-06-01"),
    ("C-4", "Александр Смирнов", "1968-02-14"),
    ("C-5", "Мария Петрова", "1990-04-12"),
    ("C-6", "Дмитрий Жуков", "1977-09-30"),
    ("G-1", "Χρήστος Λάμπρου", "1959-11-02"),
    ("L-1", "Julia Smith", "1984-04-12"),
    ("L-2", "Peter Anders", "1961-07-07"),
    ("L-3", "Anna Petrova", "1975-01-20"),
    ("L-4", "John Yulin", "1980-03-03"),
]


@pytest.fixture
def filled(register: Register) -> Register:
    return fill(register, PATIENTS)


def test_each_spelling_staff_type_finds_the_name(filled: Register) -> None:
    assert found(filled, "yuliya") == ["C-1"]  # the register's own spelling, as before
    assert found(filled, "yulia") == ["C-1"] and found(filled, "Iulia") == ["C-1"]
    assert found(filled, "julia") == ["L-1", "C-1"]  # Julia Smith as typed, Юлия as Yuliya
    assert found(filled, "pyotr") == ["C-5", "C-2"] == found(filled, "Piotr")  # Пётр, and Петрова as "petr" finds
    assert found(filled, "scherbakova") == ["C-1"] and found(filled, "Sherbakova") == ["C-1"]
    assert found(filled, "shcherbakova") == ["C-1"]
    assert found(filled, "Petroff") == ["C-2"] and found(filled, "petrov") == ["L-3", "C-5", "C-2"]
    assert found(filled, "Andrei") == ["C-3"] and found(filled, "andrey") == ["C-3"]
    assert found(filled, "Aleksandr") == ["C-4", "C-3"]  # the spelling the register holds: also Aleksandrov
    assert found(filled, "Alexander") == ["C-4"]  # a whole word once read as -der: not Aleksandrov
    assert found(filled, "dmitry") == ["C-6"] and found(filled, "Dmitrii") == ["C-6"] and found(filled, "jukov") == []
    assert found(filled, "Hristos") == ["G-1"] and found(filled, "Lambrou") == ["G-1"]  # Greek χ and μπ


def test_several_words_and_a_birthday_narrow_it_down(filled: Register) -> None:
    assert found(filled, "julia scherbakova") == ["C-1"] and found(filled, "pyotr petroff") == ["C-2"]
    assert found(filled, "julia 12.04.") == ["L-1", "C-1"] and found(filled, "yulia 1984") == ["C-1"]


@pytest.mark.parametrize("name, mrn", [("julia", "C-1"), ("yulia", "C-1"), ("scherbakova", "C-1"),
                                       ("petroff", "C-2"), ("andrei", "C-3"), ("alexander", "C-4")])  # fmt: skip
def test_every_beginning_finds_it_while_typing(filled: Register, name: str, mrn: str) -> None:
    for n in range(2, len(name) + 1):  # one letter is read as typed only ("j": the J names)
        assert mrn in found(filled, name[:n]), name[:n]


def test_pyotr_from_its_third_letter(filled: Register) -> None:
    for typed in ("pyo", "pyot", "pyotr", "pyotr petrov"):
        assert "C-2" in found(filled, typed), typed


def test_a_latin_name_is_found_as_typed_only(filled: Register) -> None:
    assert found(filled, "smith") == ["L-1"] and found(filled, "anna") == ["L-3"]
    assert found(filled, "john") == ["L-4"] and found(filled, "yulin") == ["L-4"]  # Yulin is not Юлия's spellings
    assert found(filled, "peter") == ["L-2", "C-2"]  # Peter Anders, and Пётр (Petr) as a whole word: not Петров
    assert found(filled, "petrova") == ["L-3", "C-5"] and found(filled, "jul") == ["L-1", "C-1"]


def test_the_spellings_of_a_word() -> None:
    assert ("yuliya", False) in spellings("julia") and ("petrov", True) in spellings("petroff")
    assert spellings("anna") == [] and spellings("smith") == [] and spellings("Юлия") == [] and spellings("j") == []
    assert len(spellings("chichichichichi")) == MOST  # at most so many, however many letters have others
