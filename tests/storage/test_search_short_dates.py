"""Patient search by a birth date with a two-digit year or in six figures (helper 76): 12.03.61, 12.3.61, 12/03/61,
12-03-61, 12 Mar 61, 120361, read in both centuries that can be a birth date; an MRN that begins so is still found."""

from __future__ import annotations

import datetime as dt

import pytest

from dermadesk.domain.dates import SHORT_DATE, short_date_readings
from dermadesk.storage.register import Register
from tests.storage.search_register import fill, found

PATIENTS = [  # mrn, name, born
    ("A-1", "Hans Müller", "1961-03-12"),
    ("A-2", "Eva Roth", "1961-12-03"),
    ("A-3", "Old Lady", "1925-03-12"),
    ("A-4", "Little Boy", "2025-03-12"),
    ("A-5", "Anna Other", "1961-03-13"),
    ("120361-7", "Ben Number", "1990-01-01"),
    ("B-120361", "Cid Inside", "1991-01-01"),
]


@pytest.fixture
def filled(register: Register) -> Register:
    return fill(register, PATIENTS)


@pytest.mark.parametrize("typed", ["12.03.61", "12.3.61", "12-03-61", "12 Mar 61", "12th March 61", "12.03.61."])
def test_a_two_digit_year_finds_the_birth_date(filled: Register, typed: str) -> None:
    assert found(filled, typed) == ["A-1"]


def test_slashes_read_both_ways_and_six_figures_day_first(filled: Register) -> None:
    assert found(filled, "12/03/61") == ["A-1", "A-2"]  # 12 March and 3 December, as 12/03/1961
    assert found(filled, "120361") == ["120361-7", "A-1", "B-120361"]  # MRN words that begin so too, as before
    assert found(filled, "031261") == ["A-2"] and found(filled, "130361") == ["A-5"]


def test_both_centuries_where_both_can_be_a_birth_date(filled: Register) -> None:
    assert found(filled, "12.03.25") == ["A-3", "A-4"] == found(filled, "120325")  # 1925 and 2025


def test_the_four_digit_year_and_other_words_as_before(filled: Register) -> None:
    assert found(filled, "12.03.1961") == ["A-1"] and found(filled, "12 Mar 1961") == ["A-1"]
    assert found(filled, "muller 12.03.61") == ["A-1"] and found(filled, "roth 12/03/61") == ["A-2"]
    assert found(filled, "B-120361") == ["120361-7", "B-120361"]  # part of an MRN, no date: the words B and 120361
    assert found(filled, "1203610") == [] and found(filled, "31.02.61") == []  # seven figures; no such day


def test_the_readings_of_a_short_date() -> None:
    def readings(typed: str, today: dt.date = dt.date(2026, 11, 23)) -> list[str]:
        match = SHORT_DATE.fullmatch(typed)
        return [d.isoformat() for d in short_date_readings(match, today)] if match else ["no match"]

    assert readings("12.03.61") == ["1961-03-12"] and readings("12/03/61") == ["1961-03-12", "1961-12-03"]
    assert readings("12.03.26") == ["1926-03-12", "2026-03-12"] and readings("24.12.26") == ["1926-12-24"]
    assert readings("23.11.26") == ["1926-11-23", "2026-11-23"]  # born today
    assert readings("29.02.00") == ["2000-02-29"] and readings("123456") == [] and readings("1.2.3") == ["no match"]
