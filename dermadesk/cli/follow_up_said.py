"""A lesion's next follow-up as ``lesion show`` and ``patient show`` say it, always (not only once overdue): "next
follow-up: 24 Nov 2027 (12 months, clinician's decision)", "next follow-up: specialist review now"; one overdue in
the flag's line, its date once: "⚠ OVERDUE: next follow-up was due 10 Jun 2026 (3-month re-check)"; --json the same as
``{"due": "2027-11-24", "interval": "12 months", "whose": "clinician", "overdue": false, "action": null}``. The date the
patient summary and the app give (``services.follow_up.lesion_next_follow_up``), from stored rows only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dermadesk.domain.dates import human_date
from dermadesk.domain.follow_up import FollowUp
from dermadesk.domain.records import Lesion
from dermadesk.storage.register import Register

OVERDUE = "⚠ OVERDUE"  # the flag a follow-up whose date has passed raises (services.attention.flag_state)


def lesion_next(reg: Register, lesion: Lesion, today: dt.date | None = None) -> FollowUp:
    """The lesion's next follow-up as of ``today`` (the computer's day where not given): the result that stands, the
    decision and interval on it, its status and a SIGNIFICANT change nobody answered."""
    from dermadesk.services.follow_up import lesion_next_follow_up

    return lesion_next_follow_up(reg, lesion.id, today)


def next_line(follow_up: FollowUp) -> str:
    """ "next follow-up: 24 Nov 2027 (12 months, clinician's decision)", "next follow-up: was due 10 Jun 2026
    (3-month re-check)", "next follow-up: with the specialist (lesion referred)"."""
    return f"next follow-up: {follow_up.words(human_date)}"


def flag_and_next(flag: str, why: str, follow_up: FollowUp | None) -> tuple[str, str]:
    """The flag's line ("⚠ CHANGED: significant change on ...", ``attention.flag_line``) and the next follow-up's
    (``next_line``), '' for one not said. An overdue follow-up's flag says that follow-up ("⚠ OVERDUE: follow-up was
    due 10 Jun 2026 (3-month re-check)"): said once, one line, "⚠ OVERDUE: next follow-up was due 10 Jun 2026 (3-month
    re-check)", not its date a second time under it."""
    from dermadesk.services.attention import flag_line

    if follow_up is None:
        return (flag_line(flag, why) if flag else ""), ""
    if flag == OVERDUE and follow_up.overdue:
        return f"{flag}: next follow-up {follow_up.words(human_date)}", ""
    return (flag_line(flag, why) if flag else ""), next_line(follow_up)


def next_json(follow_up: FollowUp) -> dict[str, Any]:
    """The follow-up for --json: its date (ISO) and interval with whose it is ("clinician": a 'monitor' decision's
    own; "tier": the result's), overdue, or the action to take instead (no date then); ``also``: what to do besides
    ("retake the image (latest not assessable)"), null where nothing."""
    dated = follow_up.due is not None
    return {
        "due": follow_up.due.isoformat() if follow_up.due is not None else None,
        "interval": follow_up.interval if dated else None,
        "whose": follow_up.whose if dated else None,
        "overdue": follow_up.overdue,
        "action": follow_up.action or None,
        "also": follow_up.also or None,
    }
