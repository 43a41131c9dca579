"""What the patient list says when a search finds nobody (Qt-free): one line that begins "No patient" and says what
was looked for or what to try instead, the same for a name, an MRN, a birth date, a birthday or a year."""

from __future__ import annotations

import re
from collections.abc import Callable

from dermadesk.domain.dates import (
    MONTHS,
    SHORT_DATE,
    WRITTEN_DATE,
    WRITTEN_DAY,
    date_readings,
    day_readings,
    human_date,
    short_date_readings,
)


def _terms(text: str) -> tuple[list[str], list[str], list[str]]:
    """What ``text`` asks for, read as patient search reads it: birth dates in words ("12 Mar 1961", "12 Apr (any
    year)", "in 1961"), what was typed as a date that is none ("31.02."), and the other words."""
    born: list[str] = []
    no_date: list[str] = []
    for match in WRITTEN_DATE.finditer(text):
        days = date_readings(match)
        (born.append(" or ".join(human_date(d.isoformat()) for d in days)) if days else no_date.append(match.group()))
    text = WRITTEN_DATE.sub(" ", text)
    for match in SHORT_DATE.finditer(text):
        days = short_date_readings(match)
        if days:
            born.append(" or ".join(human_date(d.isoformat()) for d in days))
        elif not match.group().isdigit():  # six figures that are no date are an MRN's, below
            no_date.append(match.group())
    text = SHORT_DATE.sub(lambda m: " " if not m.group().isdigit() or short_date_readings(m) else m.group(), text)
    for match in WRITTEN_DAY.finditer(text):
        birthdays = [f"{day} {MONTHS[month - 1]}" for month, day in day_readings(match)]
        (born.append(" or ".join(birthdays) + " (any year)") if birthdays else no_date.append(match.group()))
    words = re.findall(r"\w+", WRITTEN_DAY.sub(" ", text))
    born += [f"in {w}" for w in words if re.fullmatch(r"(19|20)\d\d", w)]
    return born, no_date, [w for w in words if not re.fullmatch(r"(19|20)\d\d", w)]


def _longest_found(word: str, finds: Callable[[str], bool]) -> str:
    """A beginning of ``word`` that ``finds`` someone, one letter more finding nobody ("" when the first letter finds
    nobody): the gap halved each time, a few searches however long the word. The longest such, as a shorter beginning
    begins the same names and more (other spellings aside: "mue" is also Mü..., which "muel" is too)."""
    found, missed = 0, len(word)
    while missed - found > 1:
        mid = (found + missed) // 2
        found, missed = (mid, missed) if finds(word[:mid]) else (found, mid)
    return word[:found]


def none_found(text: str, finds: Callable[[str], bool]) -> str:
    """The list's line for a search for ``text`` that found nobody: a birth date said back ("No patient born 12 Mar
    1961"), a date that is none named, a beginning of a single word that finds someone (``finds``: whether a search
    for it finds anyone) suggested, "try fewer words" for several."""
    born, no_date, words = _terms(text)
    if no_date:
        return f'No patients: "{no_date[0].strip()}" is not a date'
    if len(born) + len(words) > 1:
        return "No patients: try fewer words"
    if born:
        return f"No patient born {born[0]}"
    if not words:
        return "No patients"
    shorter = _longest_found(words[0], finds)
    if not shorter:
        return f'No patients: no name or MRN begins with "{words[0][:1]}"'
    what = "letters" if re.search(r"[^\W\d_]", words[0][len(shorter) :]) else "figures"
    return f'No patients: try fewer {what}, e.g. "{shorter}"'
