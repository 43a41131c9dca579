"""How the lesion report names its dates of care and its captures, as the app and the CLI name them ("5 Jan 2026",
"the 17 Nov 2025 capture", "5 Jan 2026 10:32" where the lesion has another that day); de-identified, by their years
and the days since the lesion's first capture (HIPAA's Safe Harbor keeps years)."""

from __future__ import annotations

import datetime as dt

from dermadesk.domain.dates import capture_when, human_date, local_day
from dermadesk.reports.data import LesionReportData, VisitData


def when(data: LesionReportData, iso: str, short: bool = False, first: bool = False) -> str:
    """A date of care as the app writes it, "5 Jan 2026"; in a de-identified report only its year and the days since
    the lesion's first capture ("2026, 94 days after the first capture"; "day 94, 2026" read as a day of the year),
    since dates of care identify a patient (HIPAA's Safe Harbor keeps years). ``first``: the date is the first
    capture's own (another that day is "the day of the first capture"); ``short``: for a chart's axis."""
    if not data.patient.deidentified or not data.visits:
        return human_date(iso)
    day, first_day = local_day(iso) or iso[:10], local_day(data.visits[0].capture.taken_at) or ""
    days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(first_day)).days
    if short:  # a chart's axis, titled with what the days count from
        return f"day {days}"
    if days == 0:
        return f"{day[:4]}, {'the first capture' if first else 'the day of the first capture'}"
    return f"{day[:4]}, {abs(days)} day{'s' * (abs(days) != 1)} {'after' if days > 0 else 'before'} the first capture"


def on_day(data: LesionReportData, iso: str) -> str:
    """When something was done, in a sentence: "on 24 Nov 2026"; de-identified, by the days since the lesion's first
    capture alone ("561 days after the first capture", "on the day of the first capture"): "on 2026, 561 days after
    the first capture" read as a date that is none."""
    if not data.patient.deidentified or not data.visits:
        return f"on {human_date(iso)}"
    said = when(data, iso).split(", ", 1)[-1]
    return f"on {said}" if said.startswith("the day") else said


def the_capture(data: LesionReportData, capture_id: int) -> str:
    """A capture in a sentence: "the 17 Nov 2025 capture" (its time where the lesion has another that day);
    de-identified "the capture taken 189 days after the first" ("the first capture", "the capture taken the day of
    the first"), with its place that day where it has company."""
    v = next((p for p in data.visits if p.capture.id == capture_id), None)
    if v is None:
        return "an earlier capture"
    if not data.patient.deidentified:
        return f"the {named(data, v)} capture"
    place = place_that_day(data, v)
    days = when(data, v.capture.taken_at).split(", ", 1)[-1].removesuffix(" capture")  # "189 days after the first"
    said = "the first capture" if v is data.visits[0] else f"the capture taken {days}"
    return f"{said} ({place})" if place else said


def named(data: LesionReportData, v: VisitData) -> str:
    """A capture as the app and the CLI name it among its lesion's captures ("5 Jan 2026"; "5 Jan 2026 10:32" where
    another was taken that day); de-identified, by its year and days from the first capture (``when``), with its
    place that day where the lesion has another that day (no time of day)."""
    if data.patient.deidentified:
        place = place_that_day(data, v)
        return when(data, v.capture.taken_at, first=v is data.visits[0]) + (f", {place}" if place else "")
    return capture_when(v.capture, [x.capture for x in data.visits])


def place_that_day(data: LesionReportData, v: VisitData) -> str:
    """ "2 of 3 that day" where the lesion has other captures on the capture's day, else ""."""
    day = local_day(v.capture.taken_at)
    same = sorted((p.capture for p in data.visits if local_day(p.capture.taken_at) == day),
                  key=lambda c: (c.taken_at, c.id))  # fmt: skip
    return f"{[c.id for c in same].index(v.capture.id) + 1} of {len(same)} that day" if len(same) > 1 else ""


def short_name(data: LesionReportData, v: VisitData) -> tuple[str, str]:
    """A capture's name in a chart's two lines: its day ("5 Jan 2026"; de-identified "day 94") and, where the lesion
    has another capture that day, its time or place that day ("10:32", "2 of 3 that day"); else ""."""
    if data.patient.deidentified:
        return when(data, v.capture.taken_at, short=True), place_that_day(data, v)
    day, full = human_date(v.capture.taken_at), named(data, v)
    return day, full[len(day) :].lstrip(", ")
