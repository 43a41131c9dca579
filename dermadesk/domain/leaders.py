"""Numbers of lesions on a body map kept readable: beside a marker where there is room, else out beside the figure
on a leader line, the numbers of a crowd spread apart at about their lesions' heights. Shared by the app's body map
(ui.body_map) and the printed ones (reports.summary_map); plain numbers, no drawing library."""

from __future__ import annotations

import math
from typing import NamedTuple

from dermadesk.domain.bodymap import SHAPES


class Box(NamedTuple):
    """An axis-aligned rectangle, y down."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two share more than an edge."""
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def within(self, other: Box) -> bool:
        """Whether this lies wholly inside ``other``."""
        return (
            other.left <= self.left
            and self.right <= other.right
            and other.top <= self.top
            and self.bottom <= other.bottom
        )


class Mark(NamedTuple):
    """A lesion's marker (its centre and reach, a flag ring included) and the size of its number's label."""

    key: int
    x: float
    y: float
    radius: float
    width: float
    height: float


class Label(NamedTuple):
    """Where a marker's number goes; ``leader``: out beside the figure, joined to its marker by a line."""

    box: Box
    leader: bool


def spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Heights for numbers wanted at ``wanted``: at least ``gap`` apart, each crowd of numbers centred on its lesions'
    heights, all within [low, high] (closer than ``gap`` only where more numbers than fit)."""
    if not wanted:
        return []
    gap = min(gap, (high - low) / max(len(wanted) - 1, 1))
    groups: list[list[int]] = []  # runs of numbers, bottom up, each laid ``gap`` apart from its lowest
    bottoms: list[float] = []
    for i in sorted(range(len(wanted)), key=lambda i: wanted[i]):
        groups.append([i])
        bottoms.append(min(max(wanted[i], low), high))
        while len(groups) > 1 and bottoms[-2] + len(groups[-2]) * gap > bottoms[-1]:
            merged = groups[-2] + groups[-1]
            centre = sum(wanted[j] for j in merged) / len(merged)
            span = (len(merged) - 1) * gap
            groups[-2:], bottoms[-2:] = [merged], [min(max(centre - span / 2, low), high - span)]
    out = [0.0] * len(wanted)
    for group, bottom in zip(groups, bottoms):
        for k, i in enumerate(group):
            out[i] = bottom + k * gap
    return out


def silhouette(figure: Box) -> list[Box]:
    """The drawn figure's parts (head, arms, legs...) as boxes, for a figure drawn in ``figure`` (the drawing's
    1:2 box): where a number beside the figure must not go."""
    w, h = figure.right - figure.left, figure.bottom - figure.top
    return [
        Box(figure.left + s.x * w, figure.top + s.y * h, figure.left + (s.x + s.w) * w, figure.top + (s.y + s.h) * h)
        for s in SHAPES
        if s.drawn
    ]


def crowded(marks: list[Mark], room: float = 2.0) -> set[int]:
    """The markers closer to another than their reaches and ``room``: they cover each other."""
    return {
        a.key
        for a in marks
        if any(b.key != a.key and math.hypot(a.x - b.x, a.y - b.y) < a.radius + b.radius + room for b in marks)
    }


def place_labels(
    marks: list[Mark],
    area: Box,
    figure: Box,
    avoid: list[Box],
    off: set[int] | None = None,
    taken: list[Box] | None = None,
    gap: float = 1.0,
    pad: float = 3.0,
) -> dict[int, Label]:
    """A label for each marker of one figure drawn in ``figure``, all inside ``area``, none over another, a marker,
    a box of ``avoid`` (the R/L letters) or of ``taken`` (the other figure's labels). Beside its marker where that is
    free, on the marker's half of the figure (``own_half``: a number over the other half reads as a lesion there),
    and the marker is not crowded; else out on its side of the figure (left of it for a marker on the viewer's
    left), clear of the drawn parts at its height where there is room, crowds spread apart (``spread``) about their
    lesions' heights, each joined to its marker by a leader line. ``off``: the markers whose numbers go out beside
    the figure in any case (``crowded`` by default)."""
    centre = (figure.left + figure.right) / 2
    discs = {m.key: Box(m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius) for m in marks}
    parts = silhouette(figure)
    off = set(crowded(marks) if off is None else off)
    others = list(taken or [])
    while True:
        out = [m for m in marks if m.key in off]
        labels = _beside_figure(out, area, figure, parts + list(discs.values()), avoid, others, gap, pad)
        used = [label.box for label in labels.values()]
        refused = None
        for m in sorted((m for m in marks if m.key not in off), key=lambda m: (m.y, m.x)):
            blocked = used + others + avoid + [d for k, d in discs.items() if k != m.key]
            beside = (b for b in _beside_marker(m, pad) if b.within(area) and own_half(b, m, centre))
            spot = next((b for b in beside if not _hits(b, blocked)), None)
            if spot is None:
                refused = m.key
                break
            labels[m.key] = Label(spot, False)
            used.append(spot)
        if refused is None:
            return labels
        off.add(refused)


def _beside_marker(m: Mark, pad: float) -> tuple[Box, Box]:
    """A label right of its marker, or left of it."""
    top, bottom = m.y - m.height / 2, m.y + m.height / 2
    right = Box(m.x + m.radius + pad, top, m.x + m.radius + pad + m.width, bottom)
    return right, Box(m.x - m.radius - pad - m.width, top, m.x - m.radius - pad, bottom)


def own_half(label: Box, m: Mark, centre: float) -> bool:
    """Whether a number beside its marker keeps to the marker's half of a figure whose midline is at ``centre``
    (either half for a marker on the midline): left of a marker on the patient's left arm, "1 ⚠" reached over the
    torso to the patient's right."""
    if abs(m.x - centre) <= m.radius:
        return True
    return label.left >= centre if m.x > centre else label.right <= centre


def _hits(box: Box, others: list[Box]) -> bool:
    return any(box.overlaps(o) for o in others)


def _beside_figure(
    marks: list[Mark],
    area: Box,
    figure: Box,
    parts: list[Box],
    avoid: list[Box],
    taken: list[Box],
    gap: float,
    pad: float,
) -> dict[int, Label]:
    """Labels out beside the figure on the markers' sides, as near the figure as its ``parts`` (the drawn ones and
    every marker) at that height allow; under a letter of ``avoid`` where a number or its line would cross it."""
    centre = (figure.left + figure.right) / 2
    sides = {right: [m for m in marks if (m.x >= centre) == right] for right in (False, True)}
    tops = {right: _top(sides[right], right, area, centre, avoid, gap, pad) for right in (False, True)}
    h = max((m.height for m in marks), default=0.0) + gap
    lowest = {
        right: max([tops[right]] + [b.bottom + gap for b in avoid if (b.left >= centre) == right]) for right in sides
    }
    room = {right: int((area.bottom - lowest[right] + gap) // h) if h else 0 for right in sides}  # under the letters
    for right in (False, True):  # more than fit on one side: those nearest the middle go to the other
        while len(sides[right]) > room[right] and len(sides[not right]) < room[not right]:
            moved = min(sides[right], key=lambda m: abs(m.x - centre))
            sides[right].remove(moved)
            sides[not right].append(moved)
    out: dict[int, Label] = {}
    for right, side in sides.items():
        if not side:
            continue
        top = tops[right]
        for _ in range(len(avoid) + 1):
            labels = _column(side, right, top, area, centre, parts, avoid + taken, gap, pad)
            ends = {m.key: leader_end(labels[m.key].box, right) for m in side}
            crossed = [b.bottom + gap for m in side for b in avoid if _crosses((m.x, m.y), ends[m.key], b)]
            if not crossed or max(crossed) <= top:
                break
            top = max(crossed)
        out.update(labels)
    return out


def _top(side: list[Mark], right: bool, area: Box, centre: float, avoid: list[Box], gap: float, pad: float) -> float:
    """Where a side's numbers may start: under a letter (R/L) on that side with no room for a number beside it."""
    top, w = area.top, max((m.width for m in side), default=0.0)
    for box in avoid:
        on_side = ((box.left + box.right) / 2 >= centre) == right
        beside = area.right - box.right if right else box.left - area.left
        if on_side and beside < w + pad:
            top = max(top, box.bottom + gap)
    return top


def _column(
    side: list[Mark],
    right: bool,
    top: float,
    area: Box,
    centre: float,
    parts: list[Box],
    avoid: list[Box],
    gap: float,
    pad: float,
) -> dict[int, Label]:
    """One side's labels from ``top`` down, spread about their markers' heights, each outside the figure's
    ``parts`` (and markers) at its height, in the free room nearest the figure between the ``avoid`` boxes; where
    none is wide enough, as far out as the room between them allows (over an arm rather than another number), else
    against the figure's outermost part, kept inside ``area``."""
    h = max(m.height for m in side)
    out = {}
    for m, y in zip(side, spread([m.y for m in side], h + gap, top + h / 2, area.bottom - h / 2)):
        band = Box(area.left, y - h / 2, area.right, y + h / 2)
        near = [b for b in parts if b.overlaps(band)]
        w = m.width
        if right:  # the stretches between letters and numbers; of those, the room off the figure nearest to it
            edge = max([b.right for b in near if b.right > centre] + [centre]) + pad
            spans = [(lo, hi) for lo, hi in _free(centre, area.right, avoid, band) if hi - lo >= w]
            clear = [max(lo, edge) for lo, hi in spans if hi - max(lo, edge) >= w]
            left = clear[0] if clear else spans[-1][1] - w if spans else max(min(edge, area.right - w), area.left)
        else:
            edge = min([b.left for b in near if b.left < centre] + [centre]) - pad
            spans = [(lo, hi) for lo, hi in _free(area.left, centre, avoid, band) if hi - lo >= w]
            clear = [min(hi, edge) - w for lo, hi in spans if min(hi, edge) - lo >= w]
            left = clear[-1] if clear else spans[0][0] if spans else min(max(edge, area.left + w), area.right) - w
        out[m.key] = Label(Box(left, band.top, left + m.width, band.bottom), True)
    return out


def _free(low: float, high: float, blockers: list[Box], band: Box) -> list[tuple[float, float]]:
    """The stretches of [low, high] across ``band`` that no blocker covers, left to right."""
    out, start = [], low
    for b in sorted((b for b in blockers if b.overlaps(band)), key=lambda b: b.left):
        if b.left > start:
            out.append((start, min(b.left, high)))
        start = max(start, b.right)
    if start < high:
        out.append((start, high))
    return [(lo, hi) for lo, hi in out if hi > lo]


def leader_end(label: Box, right: bool) -> tuple[float, float]:
    """Where a leader line meets its number: the middle of the label's edge toward the figure."""
    return (label.left if right else label.right), (label.top + label.bottom) / 2


def _crosses(start: tuple[float, float], end: tuple[float, float], box: Box) -> bool:
    """Whether the segment from ``start`` to ``end`` passes through ``box`` (Liang-Barsky clipping)."""
    (x0, y0), (x1, y1) = start, end
    low, high = 0.0, 1.0
    edges = ((x0 - x1, x0 - box.left), (x1 - x0, box.right - x0), (y0 - y1, y0 - box.top), (y1 - y0, box.bottom - y0))
    for p, q in edges:
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True
