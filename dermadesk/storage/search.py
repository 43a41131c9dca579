"""Patient search: on the register's connection, or on a read-only connection of its own (a worker thread's,
so the GUI thread's page fetches never wait for a typed search).

Every word must match: as the beginning of a word of the name or the MRN (accents and case ignored, and
punctuation too: "obrien" finds O'Brien, "smithjones" Smith-Jones, "mrn1001" MRN-1001), or, written as a date
(1961-03-12, 12.03.1961, 12-03-1961, 12/03/1961, 12 Mar 1961) or a year (1961), the birth date.

A birth date with a two-digit year (12.03.61, 12.3.61, 12-03-61, 12/03/61, 12 Mar 61) or in six figures, day, month
and year (120361), finds patients born that day in the 1900s, and in the 2000s unless that day is still to come
(12.03.25: 1925 and 2025; 12.03.61 only 1961), or, as a birthday does, whose name or MRN words begin with what
was typed (an MRN 120361-7). 12/03/61 is read both ways, as 12/03/1961 is; 610312 (year first) and 12031961 (eight
figures) are read as words only.

A birthday without its year (12 Apr, 12 April, Apr 12, 12.04., 12-04, 12/04) finds patients born that day of
any year, or, as before, whose name or MRN words begin with what was typed; 12/04 and 12-04 are read both ways
(12 April and 4 December, as 12/04/1961 is, and as 04-12 ends an ISO date, 1961-04-12), 12.04. day first only.

A name is found typed without the letters a keyboard may lack (``domain.umlauts``): ue, oe and ae for ü, ö and ä
("mueller" and "muel": Müller, "goethe": Göthe), ss for ß ("strasse", "stras": Straße), aa for å ("aasen": Åsen),
oe or o for ø ("joergensen", "jorgensen": Jørgensen), ae for æ; "muller" finds Müller too, as before. A typed ue
finds a ü only where the name has one (Manuel, Samuel and Rueda are found as typed, "rueda" is no Ruda); these are
read within one word of a name only, not across its punctuation ("muellerluedenscheidt" is no Müller-Lüdenscheidt,
"mullerludenscheidt" is), and a name spelt with ue is not found by u ("muller" is no Mueller).

A Cyrillic or Greek name is found typed in Latin and a Latin name typed in Cyrillic or Greek, by the register's
spelling letter by letter (``domain.text.latin``: Щ shch, Ж zh, Х kh, Ц ts, Й and Ы y, Ь and Ъ nothing, Ё e, Greek
ου ou, η i, χ ch): "petrov" and "pet" find Петров, "Пет" finds Petrov, "papadop" Παπαδόπουλος; and as both are
spelt in Latin, "мар" finds Μαρία. A typed Latin word also finds a name with Cyrillic or Greek letters by the
common other spellings of ``domain.spellings`` ("julia", "yulia" and "jul" Юлия, "pyotr" Пётр, "scherbakova"
Щербакова, "Petroff" Петров, "Andrei" Андрей, "Alexander" Александр, "Dmitry" and "Dmitrii" Дмитрий, "Mihail"
Михаил, "Hristos" Χρήστος); a name written in Latin letters only is found as typed ("julia" is no Yulia there).
"pyotr", like "petr", also begins Петров (Ё is spelt e). Other spellings do not match: y for и or ы inside a
word ("Hryhoriy" for Григорий, Grigoriy; "Krilov" for Крылов, Krylov), "Yiannis" for Γιάννης (Giannis), o for
Ё ("Gorbachov" for Горбачёв)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from dermadesk.domain.dates import (
    SHORT_DATE,
    WRITTEN_DATE,
    WRITTEN_DAY,
    date_readings,
    day_readings,
    short_date_readings,
)
from dermadesk.domain.search_hint import none_found
from dermadesk.domain.spellings import spellings
from dermadesk.domain.text import latin
from dermadesk.domain.umlauts import index_spellings, typed_as

IN_FTS = "p.rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?)"
# also the names whose index holds a spelling with u, o or a for a letter ("mueller": muller), where the name itself
# has the letter there (a letter past ASCII, then ``domain.umlauts.typed_as``: Müller, not Muller)
IN_FTS_OR_TYPED = (
    "p.rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ? UNION ALL SELECT id FROM patients WHERE "
    "id IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?) AND name GLOB '*[^ -~]*' AND typed_as(name, ?))"
)


def _fts_word(word: str) -> str:
    """The FTS5 query for one typed word: a prefix of a token, or (punctuation left out) of two adjacent ones
    ("obrien": O'Brien, "mrn1001": MRN-1001), or of three for a short word ("darcyng": D'Arcy-Ng)."""
    options = [f'"{word}"*']
    n = len(word)
    if 3 <= n <= 30:
        options += [f'"{word[:i]} {word[i:]}"*' for i in range(1, n)]
    if 3 <= n <= 12:
        options += [f'"{word[:i]} {word[i:j]} {word[j:]}"*' for i in range(1, n - 1) for j in range(i + 1, n)]
    return " OR ".join(options)


def _word(word: str) -> tuple[str, list[str]]:
    """The clause and parameters for one typed word: in the name or MRN, as typed or spelt in Latin; a year
    also as the birth date's."""
    query = _fts_word(word)
    spelt = latin(word)
    if spelt != word:  # "Пет": also Petrov (the index holds Петров spelt in Latin, so "pet" finds Петров)
        query += " OR " + _fts_word(spelt)
    others = spellings(word.lower())
    if others:  # "julia": also Yuliya, but only as a Cyrillic or Greek name is spelt (Julia Smith is found as typed)
        query += " OR name_latin : (" + " OR ".join(f'"{s}"' + ("" if whole else "*") for s, whole in others) + ")"
    kept, loose = index_spellings(word.lower())
    if kept:  # "strasse": also Straße, "jorgensen" Jørgensen (the index keeps ß, ø and æ)
        query += " OR name : (" + " OR ".join(f'"{s}"*' for s in kept) + ")"
    if loose:  # "mueller": also Müller (muller in the index), but not Muller
        return IN_FTS_OR_TYPED, [query, "name : (" + " OR ".join(f'"{s}"*' for s in loose) + ")", word.lower()]
    if re.fullmatch(r"(19|20)\d\d", word):  # a year: of the birth date, or the beginning of an MRN
        return f"({IN_FTS} OR p.birth_date LIKE ?)", [query, f"{word}-%"]
    return IN_FTS, [query]


def _words(text: str) -> tuple[list[str], list[str]]:
    clauses: list[str] = []
    params: list[str] = []
    for word in re.findall(r"\w+", text, flags=re.UNICODE):
        clause, values = _word(word)
        clauses.append(clause)
        params += values
    return clauses, params


def _or_words(typed: str, born: str, days: list[str]) -> tuple[str, list[str]]:
    """The clause for a date or birthday typed: born on one of ``days`` (``born``'s placeholders), or the words."""
    as_words, values = _words(typed)
    either = [born] if days else []
    return f"({' OR '.join([*either, '(' + ' AND '.join(as_words) + ')'])})", days + values


def search_patient_ids(
    conn: sqlite3.Connection, text: str = "", limit: int | None = None, include_deleted: bool = False
) -> list[int]:
    """Patient ids matching every word of ``text`` (see the module's docstring), by name, on ``conn``."""
    conn.create_function("typed_as", 2, typed_as, deterministic=True)
    clauses: list[str] = [] if include_deleted else ["p.deleted_at IS NULL"]
    params: list[str] = []
    for match in WRITTEN_DATE.finditer(text):
        days = sorted(d.isoformat() for d in date_readings(match))
        clauses.append(f"p.birth_date IN ({','.join('?' * len(days))})" if days else "0")
        params += days
    text = WRITTEN_DATE.sub(" ", text)
    for match in SHORT_DATE.finditer(text):  # a birth date, or the words as typed (120361 may begin an MRN)
        days = [d.isoformat() for d in short_date_readings(match)]
        clause, values = _or_words(match.group(), f"p.birth_date IN ({','.join('?' * len(days))})", days)
        clauses.append(clause)
        params += values
    text = SHORT_DATE.sub(" ", text)
    for match in WRITTEN_DAY.finditer(text):  # a birthday, or the words as typed ("12-04" may begin an MRN)
        days = sorted(f"{month:02d}-{day:02d}" for month, day in day_readings(match))
        clause, values = _or_words(match.group(), f"substr(p.birth_date, 6, 5) IN ({','.join('?' * len(days))})", days)
        clauses.append(clause)
        params += values
    as_words, values = _words(WRITTEN_DAY.sub(" ", text))
    clauses += as_words
    params += values
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    lim = f" LIMIT {int(limit)}" if limit else ""
    # with a birth date read, the table is scanned and its hits sorted (+p.name), rather than the name index walked
    # with a lookup of each row (100,000 patients: "12 Apr", "1961" or "12.04.1961" 100 ms, now 10-20 ms)
    name = "+p.name" if "birth_date" in where else "p.name"
    rows = conn.execute(f"SELECT p.id FROM patients p{where} ORDER BY {name}, p.id{lim}", params).fetchall()
    return [r[0] for r in rows]


def _read_only(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True, timeout=10)


def search_read_only(db_path: Path, text: str = "", include_deleted: bool = False) -> list[int]:
    """``search_patient_ids`` on a new read-only connection to ``db_path`` ([] when the file cannot be read)."""
    try:
        conn = _read_only(db_path)
    except sqlite3.Error:
        return []
    try:
        return search_patient_ids(conn, text, None, include_deleted)
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def none_found_read_only(db_path: Path, text: str, include_deleted: bool = False) -> str:
    """The patient list's line for a search for ``text`` that found nobody (``domain.search_hint.none_found``), its
    shorter beginnings tried on a new read-only connection to ``db_path`` (a worker thread's: a beginning with ue for
    ü is checked name by name, 100,000 patients: 20-50 ms)."""
    try:
        conn = _read_only(db_path)
    except sqlite3.Error:
        return none_found(text, lambda typed: False)
    try:
        return none_found(text, lambda typed: bool(search_patient_ids(conn, typed, 1, include_deleted)))
    except sqlite3.Error:
        return none_found(text, lambda typed: False)
    finally:
        conn.close()
