"""The patient summary's body map: every lesion of the patient on a front and a back figure side by side, numbered as
in the summary's table, each number on a leader line clear of its neighbours'; a lesion that asks for action (⚠ URGENT,
⚠ REFER, ⚠ CHANGED) has a heavier ring and its number on a dark box, told apart in grey print too; the lesions without
a position on the map are named under it. Where no lesion has a position the figures are drawn all the same, a line
beside them saying so (walkthrough 21: the summary had no map and only a line of small print, easily read as a map
left out)."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from dermadesk.domain.bodymap import has_position
from dermadesk.domain.leaders import spread
from dermadesk.reports import body_map as bm
from dermadesk.reports.data import LesionRow
from dermadesk.reports.lesion_report import _esc

HEIGHT = 70 * mm  # each figure (35 mm wide): room between the numbers of lesions near each other
SIDE = 9 * mm  # either side of a figure: a number (boxed where flagged) at its leader line's end
LABEL_GAP = 10.0  # pt between the middles of two numbers on one side of a figure
VIEWS = ("front", "back")
FLAG_MARKUP = "<font color='#b00020'><b>{}</b></font>"


def number(les: LesionRow) -> str:
    """The lesion's number as the table names it ("Lesion 3")."""
    return str(les.number or les.lesion_id)


def placed(les: LesionRow) -> bool:
    """Whether the lesion has a position on the body map."""
    return has_position(les.body_view, les.body_x, les.body_y)


def summary_map(lesions: list[LesionRow]) -> Drawing:
    """Front and back side by side, each placed lesion ringed with its number out on its side of the figure."""
    panel = HEIGHT / 2 + 2 * SIDE
    d = Drawing(2 * panel, bm.SIDE_BAND + HEIGHT + bm.CAPTION_BAND)
    for k, view in enumerate(VIEWS):
        left = k * panel + SIDE
        at = bm.draw_figure(d, view, left, HEIGHT)
        here, marks = [les for les in lesions if placed(les) and les.body_view == view], []
        for right in (False, True):  # as the lesion report: a number out on its lesion's side
            side = [les for les in here if ((les.body_x or 0) >= 0.5) == right]
            points = [at(les.body_x or 0, les.body_y or 0) for les in side]
            heights = spread([y for _, y in points], LABEL_GAP, 4, d.height - 4)
            marks += [(bool(les.flag), les, point, right, h) for les, point, h in zip(side, points, heights)]
        for flagged, les, (cx, cy), right, h in sorted(marks, key=lambda m: m[0]):  # flagged ones drawn on top
            bm.mark(d, cx, cy, right, bm.label_edges(left, HEIGHT), number(les), h, flagged)
    return d


def key(flagged: bool) -> Drawing:
    """The legend's sample of a marker."""
    d = Drawing(11 * mm, 12)
    bm.mark(d, 4, 6, True, (0, 6 * mm), "n", flagged=flagged)
    return d


NONE_PLACED = (
    "<b>No lesion placed on the map yet.</b> None of this patient's lesions has a position recorded on the body map; "
    "each lesion's site is in the table below."
)


def map_block(lesions: list[LesionRow], st: dict[str, Any]) -> list[Any]:
    """The map with its legend beside it and, under it, the lesions it cannot show; where none has a position, the
    map with a line saying so in the legend's place; nothing for no lesions."""
    if not lesions:
        return []
    out: list[Any] = []
    legend: Any = Paragraph(NONE_PLACED, st["small"])
    if any(placed(les) for les in lesions):
        rows = [
            [key(False), Paragraph("a lesion, numbered as in the table below", st["small"])],
            [
                Paragraph("<b>R</b>, <b>L</b>", st["small"]),
                Paragraph("the patient's right and left (the front view: the patient facing you)", st["small"]),
            ],
        ]
        if any(les.flag and placed(les) for les in lesions):
            text = (  # which of them: the table's flag beside the number (a letter on the map would read as R/L)
                "asks for action: an URGENT or REFER result, or a significant change (⚠ CHANGED), not acted on yet; "
                "the table below says which"
            )
            rows.insert(1, [key(True), Paragraph(text, st["small"])])
        legend = Table(rows, colWidths=[13 * mm, 52 * mm])
        legend.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    drawing = summary_map(lesions)
    table = Table([[drawing, legend]], colWidths=[drawing.width + 4 * mm, 67 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    out.append(table)
    off = [les for les in lesions if not placed(les)]
    if off and len(off) < len(lesions):  # none placed: the line beside the map says so
        named = ", ".join(
            (f"{FLAG_MARKUP.format(les.flag)} " if les.flag else "") + f"Lesion {number(les)} ({_esc(les.site)})"
            for les in off
        )
        out.append(Paragraph(f"<b>Not on the map</b> (no body-map position recorded): {named}", st["small"]))
    return [KeepTogether([*out, Spacer(1, 2 * mm)])]
