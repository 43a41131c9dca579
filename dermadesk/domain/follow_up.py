"""A lesion's next follow-up as the services work it out (``services.follow_up``), its date kept a date: each
surface words it, writing the date its own way (the app, the CLI and the PDF as ``dates.human_date``, "was due 8 Jun
2026 (3-month re-check)"; a de-identified report its year)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

CLINICIANS = "clinician's decision"  # an interval the clinician's 'monitor' decision set, not the tier's
TIERS_RECHECK = ", re-check as the tier suggests"  # a 'monitor' decision that left the interval to the tier's


def months_words(months: int) -> str:
    """ "1 month", "12 months"."""
    return f"{months} month{'' if months == 1 else 's'}"


def recheck_words(decision: str | None, recheck_months: int | None, tiers: bool = True) -> str:
    """What follows a decision: ", re-check in 12 months" after a 'monitor' the clinician gave its own interval, ",
    re-check as the tier suggests" after one left to the tier's (``tiers``; a referrer read "monitor" and a date 3
    months on and could not tell where the 3 months came from), '' otherwise (an interval counts with 'monitor' only:
    one a transfer left beside another decision is not said)."""
    if decision != "monitor":
        return ""
    if recheck_months:
        return f", re-check in {months_words(recheck_months)}"
    return TIERS_RECHECK if tiers else ""


def decision_words(decision: str, recheck_months: int | None, tiers: bool = False) -> str:
    """A decision as the clinician gave it: "monitor, re-check in 12 months", "refer"; "monitor, re-check as the tier
    suggests" where ``tiers`` and no interval of its own (``recheck_words``)."""
    return decision + recheck_words(decision, recheck_months, tiers)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (18 Nov 2026 + 12: 18 Nov 2027); the month's last day where it
    is shorter (31 Jan + 1: 28 or 29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class FollowUp:
    """What to do next for a lesion: see it again by a date (``due``, ``interval`` after the capture or the decision:
    "3 months"; ``overdue`` once that date has passed), or what to do instead, with no date (``action``: "specialist
    review now", "none (discharged)"); ``also``: what to do besides ("retake the image (latest not assessable)").
    ``whose`` interval set the date: "clinician" (a 'monitor' decision's own re-check interval: the words say
    "12 months, clinician's decision"), "tier" (the result's tier's), '' with no date. ``answered``: the tier
    ("refer", "urgent") of a result the clinician answered 'monitor' without an interval of its own: monitoring's 3
    months set the date, which that tier's advice does not name (the words say "3 months: the re-check for a REFER
    result answered 'monitor'"); '' otherwise."""

    action: str = ""
    due: dt.date | None = None
    interval: str = ""
    overdue: bool = False
    also: str = ""
    whose: str = ""
    answered: str = ""

    def words(self, date: Callable[[str], str]) -> str:
        """ "8 Jun 2027 (12 months, clinician's decision)", "was due 8 Jun 2026 (3-month re-check)", "24 Feb 2027 (3
        months: the re-check for a REFER result answered 'monitor')" or the action,
        then what else to do; ``date`` writes the due date (given as ISO). Past its date the interval is said to be
        the re-check's: "was due 8 Jun 2026 (3 months)" read as three months overdue."""
        said = self.action
        if self.due is not None:
            interval = f"{self.interval.split()[0]}-month re-check" if self.overdue else self.interval
            interval = f"{interval}, {CLINICIANS}" if self.whose == "clinician" else interval
            if self.whose == "tier" and self.answered:  # not the tier's own: its advice names no interval
                tier = self.answered.upper()
                answered = f"for {'an' if tier[:1] in 'AEIOU' else 'a'} {tier} result answered 'monitor'"
                interval = f"{interval} {answered}" if self.overdue else f"{interval}: the re-check {answered}"
            said = f"{'was due ' if self.overdue else ''}{date(self.due.isoformat())} ({interval})"
        return "; ".join(text for text in (said, self.also) if text)
