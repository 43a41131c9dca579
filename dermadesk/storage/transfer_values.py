"""A field's value in words, the two answers to a field changed on both sides, and such a conflict
(``FieldConflict``): what ``transfer_fields`` finds, ``transfer_review`` ties and ``transfer_answers`` answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dermadesk.domain.dates import human_date, human_datetime, local_day
from dermadesk.domain.follow_up import months_words

KEEP, TAKE = "keep", "take"  # the answers to a field changed on both sides
Stamp = tuple[str, str]  # (who, when: an audit time stamp) set a value: ``storage.who_set``


@dataclass
class FieldConflict:
    """A field changed on both sides since the registers last agreed (or different on both, never exchanged):
    ``agreed`` is the last agreed value when ``known``. ``answer`` (``KEEP``/``TAKE``) when answered at this
    import; ``number`` counts an import's field conflicts from 1, in the order the preview lists them.

    A capture's review (``transfer_review``) is one conflict of several fields: ``name`` "review", ``parts`` one
    conflict per field, and ``here``, ``package``, ``agreed`` and ``overruled`` theirs by field name.

    ``set_here`` and ``set_there``: who set a capture's review (or one of its fields) as it stands here and in the
    package's register, and when (``transfer_stamps``; None where the audit log does not tell, or another field)."""

    table: str
    uid: str  # the record's uid
    name: str
    here: Any
    package: Any
    agreed: Any
    known: bool
    what: str  # the record in words
    text: str
    answer: str | None = None
    number: int = 0
    overruled: dict[str, Any] = field(default_factory=dict)  # {yours, kept}: see ``transfer_fields.compare``
    parts: tuple[FieldConflict, ...] = ()  # the fields answered together (a review), () for one field
    set_here: Stamp | None = None
    set_there: Stamp | None = None

    @property
    def key(self) -> str:
        """The same conflict in any plan of the same package: table, record uid and field ("review")."""
        return f"{self.table}:{self.uid}:{self.name}"

    @property
    def fields(self) -> tuple[FieldConflict, ...]:
        """The one-field conflicts an answer to this one answers: its parts, or itself."""
        return self.parts or (self,)


def set_when(stamp: Stamp | None, other: Stamp | None = None) -> str:
    """When a side's value was set: its day on this workstation's calendar ("3 Mar 2026"), with the time there too
    ("24 Nov 2026 09:15") where ``other`` (the other side's stamp) falls on the same day, as two decisions of one day
    are told apart; "" where the log does not tell."""
    when = stamp[1] if stamp is not None else ""
    if not when:
        return ""
    other_when = other[1] if other is not None else ""
    same_day = bool(other_when) and local_day(when) is not None and local_day(when) == local_day(other_when)
    return human_datetime(when) if same_day else human_date(when)


def set_by(stamp: Stamp | None, other: Stamp | None = None) -> str:
    """ "by Dr Ames on 3 Mar 2026" (the day on this workstation's calendar, its time too where ``other``, the other
    side's stamp, is of the same day: "by Dr Ames on 24 Nov 2026 09:15"; "by dr.lee at LAPTOP-3 on ..." for a value
    saved on another workstation); "" where the log does not tell."""
    if stamp is None:
        return ""
    who, day = stamp[0], set_when(stamp, other)
    return " ".join(part for part in (f"by {who}" if who else "", f"on {day}" if day else "") if part)


def with_set_by(said: str, stamp: Stamp | None, other: Stamp | None = None) -> str:
    """``said`` (a side of a conflict) followed by who set it and when: "'excise' — by Dr Ames on 3 Mar 2026" (its
    time too where ``other``, the other side's stamp, is of the same day)."""
    by = set_by(stamp, other)
    return f"{said} — {by}" if by else said


def empty(value: Any) -> bool:
    return value is None or value == ""


def same(a: Any, b: Any) -> bool:
    return a == b or (empty(a) and empty(b))


DATES = ("taken_at", "birth_date")  # said as every date is said ("5 Jan 2026"), not as stored ('2026-01-05')
RECHECK = "recheck_months"  # a 'monitor' decision's re-check interval: "12 months", none "as the tier suggests"
LABELS = {RECHECK: "re-check interval"}


def shown(value: Any, name: str = "") -> str:
    """A field's value in words: "(empty)", a date of field ``name`` as people read it ("1 Jun 2025", its time where
    it has one), a re-check interval in months ("12 months", "(none: as the tier suggests)"), else the value quoted
    ('monitor'); a value on several lines on one, its lines joined by " / " ('Excise next week. / Consent
    taken.', as the app's preview shows it)."""
    if name == RECHECK and (empty(value) or isinstance(value, int)):
        return months_words(value) if isinstance(value, int) else "(none: as the tier suggests)"
    if empty(value):
        return "(empty)"
    said = human_datetime(value) if name in DATES and isinstance(value, str) else ""
    if isinstance(value, str) and not said and len(value.splitlines()) > 1:  # notes on several lines: on one
        value = " / ".join(line.strip() for line in value.splitlines() if line.strip()) or value
    return said if said and said != value else repr(value)  # a date that cannot be read: as it is, quoted


def label(name: str) -> str:
    """A field in words: "clinician notes", "re-check interval"."""
    return LABELS.get(name, name.replace("_", " "))
