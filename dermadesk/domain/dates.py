"""How DermaDesk writes dates and times for people: "22 Nov 2026 07:56", never "2026-11-22T07:56" (Qt-free: the
views and the services that word messages use it)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol, Sequence

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# A date as people write it: 1961-03-12, 12.03.1961, 12-03-1961, 12/03/1961, 12 Mar 1961 (``date_readings``)
WRITTEN_DATE = re.compile(
    r"\b(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"|(?P<td>\d{1,2})\.?\s+(?P<tm>[^\W\d_]{3,})\.?\s+(?P<ty>\d{4}))\b"
)


def date_readings(match: re.Match[str]) -> list[dt.date]:
    """The real dates a ``WRITTEN_DATE`` match can mean, day first before month first: 12.03.1961 is 12 March,
    12/03/1961 also 3 December (the American way), 31/12/1999 only 31 December; [] when none is a date."""
    g = match.groupdict()
    if g["iy"]:
        parts = [(g["iy"], g["im"], g["id"])]
    elif g["y"]:
        parts = [(g["y"], g["b"], g["a"])] + ([(g["y"], g["a"], g["b"])] if g["sep"] == "/" else [])
    else:
        month = next((i for i, m in enumerate(MONTHS, 1) if g["tm"].lower().startswith(m.lower())), 0)
        parts = [(g["ty"], str(month), g["td"])]
    days: list[dt.date] = []
    for year, month_, day in parts:
        try:
            days.append(dt.date(int(year), int(month_), int(day)))
        except ValueError:
            continue
    return list(dict.fromkeys(days))


MONTH_NAMES = tuple("January February March April May June July August September October November December".split())
# A month as a word: its first three letters or more ("Apr", "Apri", "April"), or "Sept"
_MONTH_WORD = "|".join(
    sorted({name[:k].lower() for name in MONTH_NAMES for k in range(3, len(name) + 1)} | {"sept"}, key=len)[::-1]
)
# A birthday without its year: 12.04. 12.04 12-04 12/04, 12 Apr, 12th April, Apr 12 (``day_readings``); never part
# of a longer date or number (12.04.61 is not one)
WRITTEN_DAY = re.compile(
    r"(?<![\w./-])(?:(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)?(?![./-]?\d)"
    rf"|(?P<td>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?P<tm>{_MONTH_WORD})\.?"
    rf"|(?P<mt>{_MONTH_WORD})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?)(?!\w)",
    re.IGNORECASE,
)


# A birth date with a two-digit year: 12.03.61, 12.3.61, 12/03/61, 12-03-61, 12 Mar 61, or six figures, 120361 (day,
# month, year: ``short_date_readings``); never part of a longer date or number (MRN-120361 is not one)
SHORT_DATE = re.compile(
    r"(?<![\w./-])(?:(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{2})"
    rf"|(?P<td>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?P<tm>{_MONTH_WORD})\.?\s+(?P<ty>\d{{2}})"
    r"|(?P<sd>\d{2})(?P<sm>\d{2})(?P<sy>\d{2}))(?!\w|[./-]\d)",
    re.IGNORECASE,
)


def short_date_readings(match: re.Match[str], today: dt.date | None = None) -> list[dt.date]:
    """The birth dates a ``SHORT_DATE`` match can mean, earliest first: day first, 12/03/61 also month first (3
    December) as ``date_readings`` reads 12/03/1961; each in the 1900s and, unless that day is still to come
    (``today``), the 2000s (12.03.25: 1925 and 2025; 12.03.61 only 1961): a birth date may be 1925's or 2025's, and a
    clinic would rather see both than have one guessed. [] when none is a date (31.02.61, 123456)."""
    g = match.groupdict()
    today = today or dt.date.today()
    if g["sep"]:
        parts = [(g["b"], g["a"])] + ([(g["a"], g["b"])] if g["sep"] == "/" else [])
        year = g["y"]
    elif g["tm"]:
        parts, year = [(str(_month(g["tm"])), g["td"])], g["ty"]
    else:
        parts, year = [(g["sm"], g["sd"])], g["sy"]
    days: list[dt.date] = []
    for month, day in parts:
        for century in (1900, 2000):
            try:
                days.append(dt.date(century + int(year), int(month), int(day)))
            except ValueError:
                continue
    return sorted(d for d in dict.fromkeys(days) if d <= today)


def _month(word: str) -> int:
    return next(i for i, name in enumerate(MONTH_NAMES, 1) if name.lower().startswith(word.lower()[:3]))


def day_readings(match: re.Match[str]) -> list[tuple[int, int]]:
    """The (month, day) pairs a ``WRITTEN_DAY`` match can mean, day first before month first: 12.04. is 12 April,
    12/04 also 4 December (as ``date_readings`` reads 12/04/1961), and so is 12-04, a dash also being how a date's
    month and day end in ISO (1961-04-12: 04-12); 31/12 only 31 December, 29.02. a leap day; [] when none is a day."""
    g = match.groupdict()
    if g["sep"]:
        parts = [(g["b"], g["a"])] + ([(g["a"], g["b"])] if g["sep"] in "/-" else [])
    else:
        parts = [(str(_month(g["tm"] or g["mt"])), g["td"] or g["md"])]
    days: list[tuple[int, int]] = []
    for month, day in parts:
        try:
            dt.date(2000, int(month), int(day))  # a leap year: 29 Feb is someone's birthday
        except ValueError:
            continue
        days.append((int(month), int(day)))
    return list(dict.fromkeys(days))


def _parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:  # stored in UTC: shown in the workstation's time
        stamp = stamp.astimezone().replace(tzinfo=None)
    return stamp


def local_day(value: str | None) -> str | None:
    """The workstation's calendar day (ISO) of a stored stamp: ``2026-06-01T23:30:00+00:00`` is 2 June in Sydney;
    a bare date as it is; None where unreadable."""
    stamp = _parse(value)
    return stamp.date().isoformat() if stamp is not None else None


def human_date(value: str | None) -> str:
    """``2026-11-22`` or a date-time -> ``22 Nov 2026``; an unreadable value is shown as it is."""
    stamp = _parse(value)
    if stamp is None:
        return value or ""
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"


def human_datetime(value: str | None) -> str:
    """``2026-11-22T07:56:03`` -> ``22 Nov 2026 07:56``; a bare date (no time) -> ``22 Nov 2026``."""
    stamp = _parse(value)
    if stamp is None:
        return value or ""
    if len(value or "") <= 10:
        return human_date(value)
    return f"{human_date(value)} {stamp:%H:%M}"


class Dated(Protocol):
    """A capture as ``capture_when`` reads it (``records.Capture``)."""

    @property
    def id(self) -> int: ...
    @property
    def taken_at(self) -> str: ...


def capture_when(capture: Dated, lesion_captures: Sequence[Dated] = ()) -> str:
    """How a capture is named for people, among its lesion's captures as they are now (``lesion_captures``, in date
    order as the register lists them): its day, "5 Jan 2026"; with its time, "5 Jan 2026 10:32", where another was
    taken that day; where times do not tell that day's captures apart (dates typed without one), its place among
    them, "5 Jan 2026, 2 of 3 that day". Never a register-wide id, never a place in the lesion that shifts when an
    earlier date is added. Worded where it is shown (counted then), never stored."""
    day = local_day(capture.taken_at)
    same = [c for c in lesion_captures if local_day(c.taken_at) == day and c.id != capture.id]
    if not same:
        return human_date(capture.taken_at)
    that_day = sorted([*same, capture], key=lambda c: (c.taken_at, c.id))  # a deleted capture counted in its place
    stamps = [human_datetime(c.taken_at) for c in that_day]
    if all(len(c.taken_at) > 10 for c in that_day) and len(set(stamps)) == len(stamps):
        return human_datetime(capture.taken_at)
    place = [c.id for c in that_day].index(capture.id) + 1
    return f"{human_date(capture.taken_at)}, {place} of {len(that_day)} that day"
