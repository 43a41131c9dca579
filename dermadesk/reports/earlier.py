"""The lesion report's earlier captures: each one's thumbnail, named as the app names it, with its result and the
clinician's decision; how each of the lesion's captures was taken, as recorded (``recorded_table``); and the notes
saved with each capture (``visit_capture_notes``, ``earlier_capture_notes``)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from dermadesk.domain.recorded import EDITED, RECORDED, field_value_text
from dermadesk.reports.capture_names import named
from dermadesk.reports.common import BOLD, image_flowable, text_width
from dermadesk.reports.data import LesionReportData, VisitData
from dermadesk.reports.notes import dates_kept, esc, notes_paragraph

PER_ROW = 6  # earlier captures' thumbnails in a row, sharing the width between the margins (~30 mm each)
THUMB_GAP = 3  # points between two thumbnails
CELL_GAP = 6  # points between a column's widest text in the acquisition table and the next column
NOTES_LEFT_OUT = "Capture notes are left out of a de-identified report."  # free text may name the patient or a date


def earlier_captures(data: LesionReportData, v: VisitData, st: dict[str, Any]) -> list[Any]:
    """Every capture before the visit reported, oldest first (the baseline always), in rows of six: each named as
    the app names it (by its day, as the trend charts' axes; never a number, which the command line gives a capture's
    register id), with its result and the clinician's decision where one was saved. A long history takes more rows
    (and pages) rather than leaving out the baseline or a capture between (a printed history cannot be scrolled).
    Six share the width between the margins on either paper (six of 30 mm ran 2 mm past A4's right margin)."""
    earlier = [(i, p) for i, p in enumerate(data.visits) if p.capture.id != v.capture.id]  # never the visit above
    if not earlier:
        return []
    out: list[Any] = [Paragraph(f"Earlier captures ({len(earlier)}, oldest first)", st["h2"])]
    column = text_width(data.header.paper_size) / PER_ROW
    for start in range(0, len(earlier), PER_ROW):
        cells = []
        for i, p in earlier[start : start + PER_ROW]:
            base = " (baseline)" if i == 0 else ""
            decided = f"<br/>Decision: {esc(p.capture.decision)}" if p.capture.decision else ""
            caption = f"<b>{dates_kept(esc(named(data, p)))}</b>{base}<br/>{visit_tier(p)}{decided}"
            picture = image_flowable(p.image_jpeg, column - THUMB_GAP, 22 * mm)
            cells.append([picture, Paragraph(caption, st["small"])])
        row = Table([cells], colWidths=[column] * len(cells), hAlign="LEFT")
        row.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), THUMB_GAP),
                ]
            )
        )
        out.append(row)  # a row per table: a page breaks between rows, never between a picture and its caption
    return [*out, recorded_table(data, v, st), *earlier_capture_notes(data, v, st)]


def noted(v: VisitData) -> bool:
    """Whether the capture has notes of its own (``Capture.notes``), more than blank lines."""
    return bool((v.capture.notes or "").strip())


def visit_capture_notes(data: LesionReportData, v: VisitData, st: dict[str, Any]) -> list[Any]:
    """The notes saved with the visit reported, typed as it was added or edited ("Seen again." / "- patient reports
    itching ..."), under its pictures as "Capture notes:" (``lesion show``'s name for them): the report never printed
    them, and the "Notes: none" of "Clinician notes and decision" (the clinician's review notes, another text) read as
    nothing noted. Nothing where there are none; de-identified, a line saying they are left out, as review notes are."""
    if not noted(v):
        return []
    gap = Spacer(1, 6)  # apart from the risk tier under them: they are no part of the result
    if data.patient.deidentified:
        return [left_out(st), gap]
    return [notes_paragraph(v.capture.notes, st["body"].clone("capture_notes", spaceBefore=4), "Capture notes:"), gap]


def left_out(st: dict[str, Any]) -> Paragraph:
    """The line a de-identified report prints where capture notes would be (review notes' words)."""
    return Paragraph(NOTES_LEFT_OUT, st["small"].clone("notes_left_out", spaceBefore=4))


def earlier_capture_notes(data: LesionReportData, v: VisitData, st: dict[str, Any]) -> list[Any]:
    """Under the acquisition table, each earlier capture's notes (``visit_capture_notes``), oldest first, after its
    name ("4 May 2026: Seen with daughter.", further lines hanging under the first); captures without notes left
    out, and the whole part where none has any. De-identified, a line saying they are left out."""
    earlier = [p for p in data.visits if p is not v and noted(p)]
    if not earlier:
        return []
    if data.patient.deidentified:
        return [left_out(st)]
    intro = st["small"].clone("capture_notes_intro", spaceBefore=6, spaceAfter=2, keepWithNext=1)
    style = st["body"].clone("earlier_notes", spaceAfter=2)
    return [
        Paragraph("Capture notes of the earlier captures, oldest first:", intro),
        *(notes_paragraph(p.capture.notes, style, f"{named(data, p)}:") for p in earlier),
    ]


def recorded_table(data: LesionReportData, v: VisitData, st: dict[str, Any]) -> Table:
    """How each of the lesion's captures was taken, oldest first and the visit reported last, as recorded with it
    (``domain.recorded``, the words of ``lesion show``; "not recorded" where nobody entered it), a column a field: a
    referrer comparing visits sees whether two were taken alike (a change of polarisation changes the colours)."""
    head = ["Capture", *(EDITED.get(field, field).capitalize() for field in RECORDED)]
    said: list[list[str]] = []  # each capture's name and fields, as its row says them
    for i, p in enumerate([*(p for p in data.visits if p is not v), v]):
        which = " (this visit)" if p is v else " (baseline)" if i == 0 else ""
        said.append(
            [named(data, p) + which, *(field_value_text(field, getattr(p.capture, field)) for field in RECORDED)]
        )
    rows = [[Paragraph(f"<b>{text}</b>", st["small"]) for text in head]]
    rows += [[Paragraph(dates_kept(esc(text)), st["small"]) for text in row] for row in said]
    widths = fitted_widths(head, said, st["small"], text_width(data.header.paper_size))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.25, colors.grey),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_GAP),
            ]
        )
    )
    table.spaceBefore = 6
    return table


def fitted_widths(head: list[str], rows: list[list[str]], style: ParagraphStyle, width: float) -> list[float]:
    """Columns ``width`` points in all, each as wide as its widest text (the header's bold) and ``CELL_GAP``, the room
    left over shared evenly; where they do not all fit, the first column (the capture's name) takes what the others
    leave and wraps. Fixed shares wrapped a de-identified name ("2026, 92 days after the first" / "capture") while the
    fields' columns stood half empty."""
    size = style.fontSize
    needs = [
        max([stringWidth(name, BOLD, size)] + [stringWidth(row[j], style.fontName, size) for row in rows]) + CELL_GAP
        for j, name in enumerate(head)
    ]
    spare = width - sum(needs)
    if spare < 0:
        return [width - sum(needs[1:]), *needs[1:]]
    return [need + spare / len(needs) for need in needs]


def visit_tier(v: VisitData) -> str:
    """What a thumbnail caption says, as the app's capture list and in capitals as the report says a result: "REFER
    result", "NOT ASSESSABLE" or "not assessed" (a bare "refer" under a date read as a decision nobody made)."""
    a = v.assessment
    if a is None:
        return "assessment out of date" if v.outdated else "not assessed"
    if not a.assessable:
        return "NOT ASSESSABLE"
    return f"{a.risk_tier.upper()} result" if a.risk_tier else "-"
