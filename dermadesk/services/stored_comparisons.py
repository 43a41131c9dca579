"""The stored comparisons as the captures are now: which rows are current (never a stale row of a capture deleted,
moved, or with its date or scale corrected since), the areas they measured, a capture's one-line change since the
baseline and a lesion's trend chart. Read only: comparing and storing is ``tracking``'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from dermadesk.domain.records import Capture, Comparison
from dermadesk.domain.dates import capture_when
from dermadesk.domain.trend import AreaTrend
from dermadesk.services.comparison_scales import scales_match
from dermadesk.services.risk_record import risk_outdated
from dermadesk.services.since_review import latest_pairs, reviewed_before
from dermadesk.storage.register import Register


def interval_days(a: Capture, b: Capture) -> int | None:
    """Days between the two captures' dates (either order); None when a date cannot be read."""
    try:
        return abs((dt.date.fromisoformat(b.taken_at[:10]) - dt.date.fromisoformat(a.taken_at[:10])).days)
    except ValueError:
        return None


def current_comparisons(register: Register, lesion_id: int, baseline_only: bool = False) -> list[Comparison]:
    """The lesion's stored comparisons that still match its captures, by id. Left out as stale: a capture
    deleted or moved to another lesion, dates corrected (another interval or order), either capture's scale
    corrected (``scales_match``; a correction undone makes the rows of the scale restored current again).
    Every reader of stored comparisons (change line, trend chart, reports, the referral prompt) goes through
    this. ``baseline_only``: the pairs whose first capture is the lesion's baseline (its first capture) only, never
    a comparison with another capture (one with a reviewed capture, ``since_review``; a pair compared by hand)."""
    ordered = register.captures.for_lesion(lesion_id)
    captures, first = {c.id: c for c in ordered}, ordered[0].id if ordered else None
    out = []
    for row in register.comparisons.for_lesion(lesion_id):
        if baseline_only and row.baseline_capture_id != first:
            continue
        a, b = captures.get(row.baseline_capture_id), captures.get(row.followup_capture_id)
        if a is None or b is None or (a.taken_at, a.id) > (b.taken_at, b.id):
            continue
        if row.interval_days is not None and row.interval_days != interval_days(a, b):
            continue
        if scales_match(row.metrics, a, b):
            out.append(row)
    return out


def unmade_with_baseline(register: Register, lesion_id: int) -> list[Capture]:
    """The captures that a correction's comparing (``tracking.refresh_baseline_comparison``) compares with the
    lesion's baseline as they are now: the latest capture and every capture compared before, each without a current
    comparison of that pair stored (a date or scale corrected since, a capture moved in). Stored rows only."""
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 2:
        return []
    done = {
        c.followup_capture_id
        for c in current_comparisons(register, lesion_id)
        if c.baseline_capture_id == captures[0].id
    }
    compared = {
        i for c in register.comparisons.for_lesion(lesion_id) for i in (c.baseline_capture_id, c.followup_capture_id)
    }
    return [c for c in captures[1:] if c.id not in done and (c.id in compared or c is captures[-1])]


def reviewed_pairs(
    register: Register, lesion_id: int, followups: Collection[int] | None = None, missing: bool = True
) -> list[tuple[Capture, Capture]]:
    """(reviewed capture, follow-up) for each follow-up (``followups``: these only) that has a current comparison with
    the baseline and a reviewed capture before it (``since_review``) but (``missing``) no current comparison with that
    capture, or one whose risk part an assessment made since has outdated (``risk_record``). Reads stored rows only
    (no image): the app asks it before it starts comparing."""
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 3:
        return []
    rows = current_comparisons(register, lesion_id)
    verdicts = {r.followup_capture_id: r.verdict for r in rows if r.baseline_capture_id == captures[0].id}
    done, out = latest_pairs(rows), []
    for capture in captures[2:]:
        if capture.id not in verdicts or (followups is not None and capture.id not in followups):
            continue
        reviewed = reviewed_before(captures, verdicts, capture)
        row = done.get((reviewed.id, capture.id)) if reviewed is not None else None
        if reviewed is not None and (missing if row is None else risk_outdated(register, row)):
            out.append((reviewed, capture))
    return out


def after_review(register: Register, capture_id: int) -> tuple[int, set[int]]:
    """(the lesion, the captures dated after ``capture_id``): those whose reviewed capture a decision saved on it
    may have made, or unmade (``compare_since_review``)."""
    capture = register.captures.get(capture_id)
    captures = register.captures.for_lesion(capture.lesion_id)
    ids = [c.id for c in captures]
    return capture.lesion_id, set(ids[ids.index(capture_id) + 1 :] if capture_id in ids else [])


def capture_areas(
    register: Register, lesion_id: int, rows: list[Comparison] | None = None
) -> dict[int, tuple[float | None, float]]:
    """Lesion area per capture id, (mm² or None, pixels), as measured by the latest stored comparison of each
    pair (a comparison redone, e.g. after a manual alignment was reset, replaces the pair's earlier ones). A
    follow-up's mm² is its area at its own mm per pixel (a corrected scale moves it); one without a scale has none
    (never the baseline's scale lent to it: the charts then show the area change in %, ``area_trend``); rows stored
    before own-scale areas keep their figure. Pixels are counted in the baseline's frame: comparisons with the
    baseline only (``rows``: such rows, already read)."""
    latest: dict[tuple[int, int], Comparison] = {}
    for cmp_ in current_comparisons(register, lesion_id, baseline_only=True) if rows is None else rows:
        latest[(cmp_.baseline_capture_id, cmp_.followup_capture_id)] = cmp_
    areas: dict[int, tuple[float | None, float]] = {}
    for cmp_ in sorted(latest.values(), key=lambda c: c.id):
        for key, cid in (("baseline", cmp_.baseline_capture_id), ("followup", cmp_.followup_capture_id)):
            m = (cmp_.metrics or {}).get(key) or {}
            mm2 = m.get("area_mm2")
            if key == "followup" and "followup_area_mm2_own_scale" in (cmp_.metrics or {}):
                mm2 = cmp_.metrics["followup_area_mm2_own_scale"]
            if m.get("area_px") is not None:
                areas[cid] = (mm2, float(m["area_px"]))
    return areas


def area_changes(
    register: Register, lesion_id: int, rows: list[Comparison] | None = None
) -> dict[int, tuple[str, float | None]]:
    """Each compared follow-up's (verdict, area change % since the baseline) from the latest current comparison of
    the pair: the verdict's own figure, measured with the follow-up aligned onto the baseline, so captures of any
    size or zoom compare (their pixel areas do not); None where the comparison could not measure it. ``rows``: the
    current comparisons with the baseline, already read."""
    rows = current_comparisons(register, lesion_id, baseline_only=True) if rows is None else rows
    return {r.followup_capture_id: (r.verdict, (r.metrics or {}).get("area_change_percent")) for r in rows}  # by id


def area_trend(
    register: Register,
    lesion_id: int,
    rows: list[Comparison] | None = None,
    latest: tuple[int, str, float | None, bool] | None = None,
) -> AreaTrend:
    """The lesion's area at each capture as the app's trend chart and the lesion report chart it, one rule for both:
    in mm² where every capture measured has its own scale and no comparison finds the recorded scales contradict
    the images (``explain.scales_disagree``, as the Change tab says); else the area change since the baseline in %
    from the comparisons with the baseline (``area_changes``), never areas in pixels, which do not compare between
    images of different resolutions. Nothing compared yet (one capture): mm² when every capture has its scale.
    ``rows``: the current comparisons with the baseline, already read; ``latest``: (capture id, verdict, area change
    %, cut off) of a comparison the caller computed that may not be stored (the report's for its visit). A value
    whose comparison found the lesion reaching the edge of an image (``cut_off``) is ``partial``: that of the part
    both images show (in mm², the comparison each capture's area is taken from, as ``capture_areas`` takes it)."""
    from dermadesk.services.explain import scales_disagree

    captures = register.captures.for_lesion(lesion_id)
    rows = current_comparisons(register, lesion_id, baseline_only=True) if rows is None else rows
    areas, changes = capture_areas(register, lesion_id, rows), area_changes(register, lesion_id, rows)
    cut = {r.followup_capture_id: bool((r.metrics or {}).get("cut_off")) for r in rows}  # as ``area_changes``
    if latest is not None:
        changes[latest[0]], cut[latest[0]] = latest[1:3], latest[3]
    in_mm2 = (
        all(v[0] is not None for v in areas.values())
        if areas
        else bool(captures) and all(c.mm_per_px for c in captures)
    ) and not any(scales_disagree(r.metrics or {}) for r in rows)
    if in_mm2:  # each capture's area as ``capture_areas`` takes it: from that comparison
        cut = _cut_off_areas(rows)
    values: list[float | None] = []
    why: list[str] = []
    partial = [False] * len(captures)
    for i, c in enumerate(captures):
        change = changes.get(c.id)
        if in_mm2:
            value = areas[c.id][0] if c.id in areas else None
        else:  # the baseline is the 0% the others are measured from, once there is another capture
            value = (0.0 if len(captures) > 1 else None) if i == 0 else change[1] if change else None
        values.append(value)
        partial[i] = value is not None and (in_mm2 or i > 0) and cut.get(c.id, False)  # the baseline's 0%: no part
        why.append(
            ""
            if value is not None
            else "it needs a second capture"
            if len(captures) == 1
            else "no comparison measured it"
            if i == 0
            else "not compared with the baseline"
            if change is None
            else "the comparison with the baseline could not tell"
            if change[0] == "cannot tell"
            else "not measured"
        )
    return AreaTrend(in_mm2, values, why, partial)


def _cut_off_areas(rows: list[Comparison]) -> dict[int, bool]:
    """Capture id -> whether the comparison ``capture_areas`` takes the capture's area from (the pair's latest row,
    the latest such row for the baseline) found the lesion reaching the edge of an image: that area is of the part
    both images show."""
    latest = {(r.baseline_capture_id, r.followup_capture_id): r for r in rows}
    cut: dict[int, bool] = {}
    for row in sorted(latest.values(), key=lambda r: r.id):
        for key, cid in (("baseline", row.baseline_capture_id), ("followup", row.followup_capture_id)):
            if ((row.metrics or {}).get(key) or {}).get("area_px") is not None:
                cut[cid] = bool((row.metrics or {}).get("cut_off"))
    return cut


def latest_change(register: Register, capture_id: int) -> Comparison | None:
    """The newest stored comparison of ``capture_id`` with the lesion's baseline (None when there is none)."""
    capture = register.captures.get(capture_id)
    rows = [c for c in current_comparisons(register, capture.lesion_id, True) if c.followup_capture_id == capture_id]
    return max(rows, key=lambda c: c.id) if rows else None


@dataclass(frozen=True)
class ChangeLine:
    """The capture's change since the baseline, in one line: verdict, its first reason, the baseline's date."""

    verdict: str
    first_reason: str
    since: str  # the baseline's taken_at, as stored
    baseline: str = ""  # the baseline named for people, among its lesion's captures now (``capture_when``)


def change_line(register: Register, capture_id: int) -> ChangeLine | None:
    """From the newest stored comparison with ``capture_id`` as the follow-up (None: none stored)."""
    change = latest_change(register, capture_id)
    return None if change is None else line_of(register, change)


def line_of(register: Register, change: Comparison) -> ChangeLine:
    """A stored comparison's one line (verdict, first reason, its first capture's date)."""
    first = register.captures.get(change.baseline_capture_id)
    named = capture_when(first, register.captures.for_lesion(first.lesion_id))
    return ChangeLine(change.verdict, change.reasons[0] if change.reasons else "", first.taken_at, named)


@dataclass(frozen=True)
class LesionTrend:
    """A lesion's area (``area_trend``) and malignant probability per capture (None where not measured), from
    stored rows."""

    dates: list[str]
    area: AreaTrend
    malignant_percent: list[float | None]
    assessed: list[bool] = field(default_factory=list)  # an assessment stored, assessable or not (none: not yet)


def lesion_trend(register: Register, lesion_id: int) -> LesionTrend:
    """The lesion's trend chart data: the area as every chart of it plots it (``area_trend``), the latest
    assessments' malignant probability (none for a capture the model could not assess)."""
    captures = register.captures.for_lesion(lesion_id)
    latest = [register.assessments.latest(c.id) for c in captures]
    # a not-assessable capture has no probability to show: the model could not back one
    malignant = [
        100 * a.malignant_probability
        if a is not None and a.assessable and a.malignant_probability is not None
        else None
        for a in latest
    ]
    return LesionTrend(
        [c.taken_at for c in captures],
        area_trend(register, lesion_id),
        malignant,
        [a is not None for a in latest],
    )


def in_use(register: Register, lesion_ids: Collection[int]) -> dict[tuple[int, int], int]:
    """(first capture id, second capture id) -> the id of the pair's comparison in use (its latest current row), for
    every pair of ``lesion_ids`` compared. Taken before a correction, it tells afterwards which stored comparison the
    correction put back in use (``in_use_again``)."""
    return {
        pair: row.id for lid in lesion_ids for pair, row in latest_pairs(current_comparisons(register, lid)).items()
    }


def in_use_again(
    register: Register, before: dict[tuple[int, int], int], lesion_ids: Collection[int], made: Collection[int]
) -> list[Comparison]:
    """The comparisons of ``lesion_ids`` in use now that were not before a correction (``before``: ``in_use`` then)
    and that were not made after it (``made``: the ids of the rows it stored): stored comparisons that the correction
    made current again (a date or scale corrected back to what they were made with, a capture restored), which
    nothing compares again, so their verdict comes back without a comparison being made. By lesion, in date order of
    the second capture, then of the first."""
    out = []
    for lid in sorted(lesion_ids):
        if register.lesions.get(lid).deleted_at is not None:
            continue
        order = {c.id: k for k, c in enumerate(register.captures.for_lesion(lid))}
        now = latest_pairs(current_comparisons(register, lid)).items()
        back = [row for pair, row in now if before.get(pair) != row.id and row.id not in made]
        out += sorted(back, key=lambda r: (order[r.followup_capture_id], order[r.baseline_capture_id]))
    return out
