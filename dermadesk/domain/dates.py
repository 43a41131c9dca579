"""How DermaDesk writes dates and times for people: "22 Nov 2026 07:56", never "2026-11-22T07:56" (Qt-free: the
views and the services that word messages use it)."""

from __future__ import annotations

import datetime as dt

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
