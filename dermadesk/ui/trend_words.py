"""The trend chart's words (``trend_chart``): its lines' legend names, its axes' titles, its tooltip, and its title
saying which captures a line leaves out and why, each longest first where the chart keeps the longest that fits."""

from __future__ import annotations

from dermadesk.domain.trend import CHANGE, MM2
from dermadesk.domain.trend import partial_note as hollow_note

MALIGNANT = ("malignant probability (%)", "malignant %")
AREA = {MM2: ("area (mm²)", "area mm²"), CHANGE: ("area change since baseline (%)", "area change (%)", "area change %")}
# each value axis' title, longest first, the longest that fits the plot's height (none where none fits)
AXIS_TITLES = {MM2: ("area, mm²", "mm²"), CHANGE: ("area change", "change"), "malignant": ("malignant", "")}
TIP = "Lesion over time: area and malignant probability at each capture"
AREA_TIP = {  # plain text, so a line each: a tooltip does not wrap it
    MM2: "Lesion over time at each capture: its area in mm² (at the capture's own\n"
    "recorded scale, mm per pixel) and the malignant probability",
    CHANGE: "Lesion over time at each capture: its area change since the baseline (the\n"
    "first capture, 0%), as each comparison with the baseline measured it, and the\n"
    "malignant probability. Not in mm²: not every capture has a recorded scale\n"
    "(mm per pixel) that matches its image",
}
LONG_TITLE = "Lesion over time"  # left out on a narrow chart
# the legend's name of the hollow points (``partial_note``), longest first: none where even the shortest does not fit
PARTIAL = ("hollow: lesion reaches the image edge", "hollow: at image edge")
# why a line is not drawn, longest first: the title says the longest that fits (the legend names only lines drawn)
# each says what is NOT drawn: a bold "Malignant probability: ..." over an area line read as that line's name
NOT_ASSESSABLE = ("no malignant probability: no assessable capture", "no assessable capture", "none assessable")
NOT_ASSESSED = ("no malignant probability: not assessed yet", "not assessed yet")
NO_AREA = ("no area: not measured", "no area")
ONE_CAPTURE_AREA = ("no area: it needs a second capture", "no area yet")


def partly_missing(days: list[str], why: str) -> tuple[str, ...]:
    """Why the probability line skips some captures (``days``, human dates), longest first."""
    n = len(days)
    named = f" on {' and '.join(days)}" if n <= 2 else f" at {n} captures"
    return (f"no malignant probability{named} ({why})", f"no malignant probability at {n} ({why})", f"{n} {why}")


def area_names(unit: str) -> tuple[str, ...]:
    """The area line's legend names, longest first: "area (mm²)", "area change since baseline (%)"."""
    return AREA.get(unit, (f"area ({unit})", f"area {unit}"))


def area_missing(days: list[str], whys: list[str], unit: str, all_missing: bool) -> tuple[str, ...] | None:
    """Why the area line skips the captures of ``days`` (human dates; ``whys``: each one's reason, from
    ``area_trend``), longest first; ``all_missing``: no line is drawn at all. None where none is skipped."""
    if not days:
        return None
    what = "no area change" if unit == CHANGE else "no area"
    reasons = dict.fromkeys(w for w in whys if w)
    why = next(iter(reasons)) if len(reasons) == 1 else "not measured"  # each one's own in the tooltip
    if all_missing:
        return (f"{what}: {why}", what)
    n = len(days)
    named = f" on {' and '.join(days)}" if n <= 2 else f" at {n} captures"
    return (f"{what}{named} ({why})", f"{what}{named}", f"{what} at {n}")


def partial_note(days: list[str], unit: str) -> str:
    """The tooltip's line on the hollow points: the captures (``days``, human dates) whose area is of the part of
    the lesion both images show, the lesion reaching the edge of an image (as the comparison's words say it); "" for
    none."""
    if not days:
        return ""
    said = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
    return hollow_note(said, len(days) > 1, unit == MM2, "\n")  # as the lesion report says it under its chart


def missing_lines(what: str, days: list[str], whys: list[str]) -> list[str]:
    """The tooltip's lines, a reason each: "No area change on 2 Mar 2026 and 9 Apr 2026 (not compared with the
    baseline)"."""
    by_why: dict[str, dict[str, None]] = {}
    for day, why in zip(days, whys):
        by_why.setdefault(why or "not measured", {})[day] = None  # two captures of a day: one date
    lines = []
    for why, named in by_why.items():
        listed = list(named)
        said = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
        lines.append(f"{what} on {said} ({why})")
    return lines


def missing_titles(
    once: str, area: tuple[str, ...] | None, malignant: tuple[str, ...] | None, empty: bool = False
) -> list[str]:
    """The chart's title, longest first: the one capture date (``once``) and which captures a line leaves out, or
    why it is not drawn (``area``, ``malignant``: wordings longest first, None where it leaves out none); the date
    alone last (a narrow chart keeps it: the axis does not say it); [""] when there is nothing to say. ``empty``:
    neither line is drawn."""
    if empty:  # "nothing measured": the chart is empty
        if malignant is NOT_ASSESSABLE:
            titles = [f"{once or LONG_TITLE}: nothing measured (no assessable capture)"]
            titles += [f"{once or 'Nothing measured'}: {why}" for why in NOT_ASSESSABLE[1:]]
            titles += [once or "No assessable capture"]
        else:
            titles = [f"{once or LONG_TITLE}: nothing measured yet", once or "Nothing measured yet"]
    else:
        notes = [n for n in (area, malignant) if n]
        wordings = [[n[min(i, len(n) - 1)] for n in notes] for i in range(max(map(len, notes), default=1))]
        titles = [" · ".join([once, *words] if once else words) for words in wordings] + [once]
    return [t[:1].upper() + t[1:] for t in titles if t] or [""]
