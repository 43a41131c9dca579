"""Patient search as a front desk types it (helper 63): a birthday without its year (12 Apr, 12.04., 12/04), and a
Cyrillic or Greek name typed in Latin letters, or a Latin one in Cyrillic, on a real register, new or upgraded."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.text import LATIN, latin
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import migrate
from dermadesk.storage.register import Register
from tests.storage.search_register import fill
from tests.storage.search_register import found_in_order as found

PATIENTS = [  # mrn, name, born
    ("C-1", "Иван Петров", "1961-04-12"),
    ("L-1", "Anna Petrova", "1975-12-04"),
    ("C-2", "Юрий Щукин", "1980-02-29"),
    ("G-1", "Γιώργος Παπαδόπουλος", "1961-12-31"),
    ("L-2", "Sean O'Brien", "1961-03-12"),
    ("12-04-77", "Mary Brien", None),
    ("MRN-1001", "Liam D'Arcy-Ng", "1980-07-04"),
]


@pytest.fixture
def filled(register: Register) -> Register:
    return fill(register, PATIENTS)


@pytest.mark.parametrize("typed", ["12 Apr", "12 april", "Apr 12", "April 12th", "12th Apr", "12. Apr.", "12.4."])
def test_a_birthday_without_its_year_finds_every_year(filled: Register, typed: str) -> None:
    filled.patients.add("t", "L-3", "Later Born", "1999-04-12")
    assert found(filled, typed) == ["L-3", "C-1"]  # by name: Latin before Cyrillic


@pytest.mark.parametrize("typed", ["12.04.", "12.04"])
def test_a_birthday_in_figures_also_finds_an_mrn_that_begins_so(filled: Register, typed: str) -> None:
    filled.patients.add("t", "L-3", "Later Born", "1999-04-12")
    assert found(filled, typed) == ["L-3", "12-04-77", "C-1"]  # as 1961 finds MRN 1961-...: the words as typed


def test_slashes_and_dashes_read_both_ways(filled: Register) -> None:
    assert found(filled, "12/04") == ["L-1", "12-04-77", "C-1"]  # 12 April and 4 December, as 12/04/1961 is
    assert found(filled, "12-04") == ["L-1", "12-04-77", "C-1"]  # and as 04-12 ends 1961-04-12, a dash too
    assert found(filled, "04-12") == ["L-1", "12-04-77", "C-1"] and found(filled, "4-12") == ["L-1", "C-1"]
    assert found(filled, "31/12") == ["G-1"] and found(filled, "12/31") == ["G-1"]  # only one is a day
    assert found(filled, "12-31") == ["G-1"] and found(filled, "31-12") == ["G-1"]
    assert found(filled, "29.02.") == ["C-2"] and found(filled, "29 Feb") == ["C-2"]  # a leap day
    assert found(filled, "31.02.") == []  # no such day, no such MRN


def test_a_birthday_narrows_other_words_and_years(filled: Register) -> None:
    assert found(filled, "petrov 12 apr") == ["C-1"] and found(filled, "12/04 petrova") == ["L-1"]
    assert found(filled, "12 Apr 1961") == ["C-1"] and found(filled, "Apr 12 1961") == ["C-1"]
    assert found(filled, "12.04. 1975") == [] and found(filled, "4 Dec 1975") == ["L-1"]


def test_the_readings_that_were_there_stay(filled: Register) -> None:
    assert found(filled, "1961") == ["L-2", "G-1", "C-1"]  # a year: by name (Latin, Greek, Cyrillic)
    assert found(filled, "1001") == ["MRN-1001"] and found(filled, "mrn1001") == ["MRN-1001"]
    assert found(filled, "12.03.1961") == ["L-2"] and found(filled, "12/04/1961") == ["C-1"]
    assert found(filled, "obrien") == ["L-2"] and found(filled, "darcyng") == ["MRN-1001"]
    assert found(filled, "mar") == ["12-04-77"]  # a month alone is a word: Mary
    assert found(filled, "12.04.61") == ["C-1"]  # a two-digit year: 1961 (helper 76; it was the words 12, 04, 61)


def test_latin_finds_cyrillic_and_greek_and_the_other_way_round(filled: Register) -> None:
    assert found(filled, "petrov") == ["L-1", "C-1"] and found(filled, "Петров") == ["L-1", "C-1"]
    assert found(filled, "pet") == ["L-1", "C-1"] and found(filled, "Пет") == ["L-1", "C-1"]  # beginnings
    assert found(filled, "ivan petrov") == ["C-1"] and found(filled, "Анна") == ["L-1"]
    assert found(filled, "shchukin") == ["C-2"] and found(filled, "yuriy") == ["C-2"]
    assert found(filled, "papadopoulos") == ["G-1"] and found(filled, "giorgos") == ["G-1"]
    assert found(filled, "ΠΑΠΑΔ") == ["G-1"]  # capitals typed
    assert found(filled, "yurii") == ["C-2"] and found(filled, "schukin") == ["C-2"]  # other spellings too (helper 71)


def test_latin_spellings_combine_with_years_and_birthdays(filled: Register) -> None:
    assert found(filled, "petrov 1961") == ["C-1"] and found(filled, "Петрова 1975") == ["L-1"]
    assert found(filled, "pet 12/04") == ["L-1", "C-1"] and found(filled, "Пет 4 Dec") == ["L-1"]


def test_the_index_follows_renames_and_deletions(filled: Register) -> None:
    c2 = filled.patients.by_mrn("C-2")
    filled.patients.update("t", c2.id, name="Юрий Жуков")
    assert found(filled, "zhukov") == ["C-2"] and found(filled, "shchukin") == []
    conn = filled.database.conn
    conn.execute("DELETE FROM patients WHERE mrn = 'G-1'")  # raw SQL too: the triggers keep the index
    assert found(filled, "papadop") == []
    conn.execute("INSERT INTO patients_fts (patients_fts) VALUES ('integrity-check')")  # raises when out of step


def test_latin_spells_each_letter_as_the_register_does(register: Register) -> None:
    conn = register.database.conn
    assert dict(conn.execute("SELECT src, dst FROM latin_letters").fetchall()) == LATIN
    names = [f"Ab{src}c" for src in LATIN] + [name for _, name, _ in PATIENTS] + ["ΟΥΡΑΝΊΑ Ευαγγελία", "Müller"]
    add = "INSERT INTO patients (mrn, name, created_at, updated_at) VALUES (?, ?, 'x', 'x')"
    conn.executemany(add, [(f"S{i}", name) for i, name in enumerate(names)])
    stored = conn.execute("SELECT name, name_latin FROM patients_search ORDER BY id").fetchall()
    assert [spelt or name for name, spelt in stored] == [latin(name) for name in names]
    assert latin("Щукин Петров") == "Shchukin Petrov" and latin("Ευαγγελία Παπαδοπούλου") == "Evangelia Papadopoulou"
    assert latin("Игорь Ёлкин") == "Igor Elkin" and latin("O'Brien 1961") == "O'Brien 1961"


def test_an_older_register_is_indexed_again_when_it_opens(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    old = Database(path)
    migrate(old.db, upto=10)  # before m011
    for mrn, name, born in PATIENTS:
        old.conn.execute("INSERT INTO patients (mrn, name, birth_date, created_at, updated_at) "
                         "VALUES (?, ?, ?, 'x', 'x')", (mrn, name, born))  # fmt: skip
    old.close()
    with Register(tmp_path, open_db(path)) as reg:
        assert found(reg, "petrov") == ["L-1", "C-1"] and found(reg, "Пет 12 apr") == ["C-1"]
        assert found(reg, "obrien 12.03.") == ["L-2"] and found(reg, "1001") == ["MRN-1001"]
        reg.patients.add("t", "C-3", "Пётр Сидоров", "1950-04-12")  # a new row through the new triggers
        assert found(reg, "sidorov") == ["C-3"] and found(reg, "12 Apr") == ["C-1", "C-3"]
        sql = "SELECT group_concat(name, ' ') FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%patients_fts%'"
        triggers = sorted(reg.database.conn.execute(sql).fetchone()[0].split())  # the old ones are gone
        assert triggers == [f"patients_search_{what}" for what in ("delete", "insert", "reindex", "unindex")]
        reg.database.conn.execute("INSERT INTO patients_fts (patients_fts) VALUES ('integrity-check')")
