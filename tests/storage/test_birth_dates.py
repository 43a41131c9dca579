"""Birth dates as clinics write them: 1961-03-12, 12.03.1961 or 12 Mar 1961 are stored as 1961-03-12; 12/03/1961
(12 March or 3 December?) and a year before 1900 or in the future are refused with a line that says what to type."""

from __future__ import annotations

import pytest

from dermadesk.domain.errors import ValidationError
from dermadesk.main import main
from dermadesk.storage.register import Register


@pytest.mark.parametrize("typed", ["1961-03-12", "12.03.1961", "12 Mar 1961", "12 March 1961", " 12.3.1961 "])
def test_written_forms_are_stored_as_iso(register: Register, typed: str) -> None:
    assert register.patients.add("t", "BD-1", "Birth Person", typed).birth_date == "1961-03-12"


def test_slashes_where_only_one_reading_is_a_date(register: Register) -> None:
    assert register.patients.add("t", "BD-4", "Slash Person", "31/12/1999").birth_date == "1999-12-31"
    assert register.patients.add("t", "BD-5", "Same Both Ways", "05/05/1970").birth_date == "1970-05-05"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("12/03/1961", "could be 12 Mar or 3 Dec 1961: type it as YYYY-MM-DD (1961-03-12) or day first as 12.03.1961"),
        ("1890-01-01", "birth date 1890-01-01 is before 1900: check the year"),
        ("31.02.1961", "is not a real date"),
        ("2099-01-01", "is in the future"),
    ],
)
def test_unclear_or_impossible_dates_are_refused(register: Register, typed: str, said: str) -> None:
    with pytest.raises(ValidationError, match=said.replace("(", r"\(").replace(")", r"\)")):
        register.patients.add("t", "BD-2", "Birth Person", typed)
    assert register.patients.search("") == []


def test_the_command_line_and_an_edit_take_the_day_first_forms(capsys, register: Register) -> None:
    assert main(["patient", "add", "--mrn", "BD-3", "--name", "Dotted Date", "--birth-date", "05.11.1958"]) == 0
    assert register.patients.by_mrn("BD-3").birth_date == "1958-11-05"
    p = register.patients.by_mrn("BD-3")
    assert register.patients.update("t", p.id, birth_date="6 Nov 1958").birth_date == "1958-11-06"
