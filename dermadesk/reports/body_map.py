"""The body-map figure on paper: the app's drawing with the patient's sides (R/L) and the view named as the app
names them, and the lesion marked by a ring (the anatomy shows through it) with a leader line to its number."""

from __future__ import annotations

import math
from typing import Any, Callable

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from dermadesk.domain.bodymap import SHAPES, patient_side
from dermadesk.reports.common import BOLD, FONT

CAPTION_SIZE = 8  # pt, as the report's small print
CAPTION_BAND = 8 * mm  # the caption's lines under the feet (drawn at the figure's foot, a caption ran over them)
SIDE_BAND = 4.5 * mm  # the R and L over the shoulders, above the head
MARGIN = 6 * mm  # either side of the figure: room for a marker's number
CAPTIONS = {"front": ("FRONT", "(patient facing you)"), "back": ("BACK", "")}  # as the app's body map says them
SIDE_AT = (0.27, 0.73)  # where the app writes the patient's sides across the figure (ui.body_map)
MARKER = colors.HexColor("#d81b60")
MARKER_RADIUS = 1.9  # pt: a ring over a hand or a face, not a disc hiding it
FLAG, FLAG_RADIUS = colors.HexColor("#b00020"), 2.6  # a lesion asking for action: the reports' red, a wider ring
LABEL_SIZE = 8  # pt: a marker's number
Point = tuple[float, float]
SKIN, OUTLINE = colors.HexColor("#e9d3c3"), colors.HexColor("#8a6d5c")  # the app's drawing (bodymap.svg)


def side_letters(view: str) -> tuple[str, str]:
    """The patient's sides at the viewer's left and right: ("R", "L") in front (the patient facing you)."""
    left, right = (patient_side(view, x)[0].upper() for x in SIDE_AT)
    return left, right


def body_map_drawing(
    view: str | None, x: float | None, y: float | None, height: float = 55 * mm, label: str = ""
) -> Drawing:
    """The body-map figure with the lesion at (x, y) ringed, ``label`` (its number) beside the figure on a leader
    line; the patient's R and L above it and the view's name under the feet."""
    d = Drawing(height / 2 + 2 * MARGIN, SIDE_BAND + height + CAPTION_BAND)
    at = draw_figure(d, view, MARGIN, height)
    if x is not None and y is not None:
        mark(d, *at(x, y), right=x >= 0.5, edge=label_edges(MARGIN, height), label=label)
    return d


def draw_figure(d: Drawing, view: str | None, left: float, height: float) -> Callable[[float, float], Point]:
    """The figure into ``d`` with its left edge at ``left`` and its feet over the caption band: the patient's R and L
    above it, the view's name under it. Returns where a point of the figure (fractions, y down) lies on ``d``."""
    w, bottom = height / 2, CAPTION_BAND

    def at(fx: float, fy: float) -> Point:
        return left + fx * w, bottom + height - fy * height

    for s in reversed([shape for shape in SHAPES if shape.drawn]):  # as the app draws it (bodymap.svg)
        sx, sy = at(s.x, s.y + s.h)
        sw, sh = s.w * w, s.h * height
        shape = (
            Ellipse(sx + sw / 2, sy + sh / 2, sw / 2, sh / 2)
            if s.kind == "ellipse"
            else Rect(sx, sy, sw, sh, rx=min(sw, sh) / 3, ry=min(sw, sh) / 3)
        )
        shape.fillColor, shape.strokeColor, shape.strokeWidth = SKIN, OUTLINE, 0.5
        d.add(shape)
    if view in CAPTIONS:
        for letter, fx in zip(side_letters(view), SIDE_AT):
            d.add(text(at(fx, 0)[0], bottom + height + 1.2 * mm, letter, 9, bold=True))
    name, meaning = CAPTIONS.get(view or "", ("position not recorded", ""))
    centre = left + w / 2
    d.add(text(centre, CAPTION_BAND - 3.5 * mm, name, CAPTION_SIZE if view else CAPTION_SIZE - 1, bold=bool(view)))
    if meaning:
        d.add(text(centre, CAPTION_BAND - 6.8 * mm, meaning, CAPTION_SIZE - 1))
    return at


def label_edges(left: float, height: float) -> tuple[float, float]:
    """Where a number's leader line ends, left and right of a figure drawn at ``left``."""
    return left - 1 * mm, left + height / 2 + 1 * mm


def mark(
    d: Drawing,
    cx: float,
    cy: float,
    right: bool,
    edge: tuple[float, float],
    label: str,
    label_y: float | None = None,
    flagged: bool = False,
) -> None:
    """A hollow ring with a dot at the lesion; its number out beside the figure (on the lesion's side), joined by a
    thin leader line, so neither hides a small part (a face, a hand, a foot). ``label_y``: the number's height where
    it is moved off the lesion's (clear of a neighbour's number). ``flagged``: a lesion that asks for action, told
    apart without colour: a heavier, wider ring and the number white on a dark box."""
    colour, radius = (FLAG, FLAG_RADIUS) if flagged else (MARKER, MARKER_RADIUS)
    d.add(Circle(cx, cy, radius, fillColor=None, strokeColor=colour, strokeWidth=1.6 if flagged else 0.9))
    d.add(Circle(cx, cy, 0.5, fillColor=colour, strokeColor=None))
    if not label:
        return
    end = edge[1] if right else edge[0]
    ty = cy if label_y is None else label_y
    reach = math.hypot(end - cx, ty - cy) or 1.0
    start = radius + 0.6  # from the ring's edge, toward the number
    line = Line(cx + (end - cx) / reach * start, cy + (ty - cy) / reach * start, end, ty)
    line.strokeColor, line.strokeWidth = colors.HexColor("#333333"), 0.5
    d.add(line)
    tx, anchor = (end + 0.8, "start") if right else (end - 0.8, "end")
    if flagged:
        width = stringWidth(label, BOLD, LABEL_SIZE)
        x0 = tx if right else tx - width
        d.add(Rect(x0 - 1, ty - 3.9, width + 2, 8.2, fillColor=FLAG, strokeColor=None))
    d.add(text(tx, ty - 2.8, label, LABEL_SIZE, True, anchor, colors.white if flagged else MARKER))


def text(
    x: float, y: float, words: str, size: float, bold: bool = False, anchor: str = "middle", colour: Any = colors.black
) -> String:
    """A line of the report's type at (x, y)."""
    return String(x, y, words, fontName=BOLD if bold else FONT, fontSize=size, textAnchor=anchor, fillColor=colour)
