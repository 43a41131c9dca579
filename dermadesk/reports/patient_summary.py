"""Patient summary: every lesion on one row with site, latest tier, change verdict, next follow-up."""

from __future__ import annotations

from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from dermadesk.reports.common import (
    BOLD,
    FONT,
    TIER_COLOURS,
    ReportDoc,
    build_with_page_count,
    image_flowable,
    human_dates,
    styles,
    text_width,
    year_only,
)
from dermadesk.reports.data import LesionRow, PatientSummaryData
from dermadesk.reports.lesion_report import DEIDENTIFIED_SUMMARY, _esc, patient_lines
from dermadesk.reports.notes import dates_kept
from dermadesk.reports.reviews import follow_up_text
from dermadesk.reports.summary_map import FLAG_MARKUP, map_block
from dermadesk.reports.tier_key import SUMMARY_INTRO, KeySlot, placed_key, tier_key
from dermadesk.domain.dates import human_date
from dermadesk.domain.text import counted


THUMB = 22 * mm  # a lesion's picture in its row
CELL_PADDING = 6  # points: a table cell's padding left and right (reportlab's own)
# the width beside the pictures shared: Lesion, Latest capture, Risk tier, Change, Next follow-up; the last with room
# for "8 Jun 2027 (12 months, clinician's decision)" on two lines
SHARES = (40, 22, 26, 27, 32)


def column_widths(width: float) -> list[float]:
    """The lesion table's columns, ``width`` points in all (the frame's: fixed widths ran 1.6 mm past each margin on
    A4): the picture's column as wide as the picture, the others sharing the rest (``SHARES``)."""
    picture = THUMB + 2 * CELL_PADDING
    rest = width - picture
    return [picture, *(rest * share / sum(SHARES) for share in SHARES)]


def overdue_count(data: PatientSummaryData) -> str:
    """ "; <red>1 follow-up overdue</red>" where follow-up dates have passed, else ""."""
    late = sum(les.next_follow_up.overdue for les in data.lesions)
    return f"; <font color='#b00020'>{counted(late, 'follow-up')} overdue</font>" if late else ""


def change_text(les: LesionRow, dated: Callable[[str], str]) -> str:
    """The Change column: the verdict, or a SIGNIFICANT change nobody answered in the app's words, in bold ("significant
    change on 3 Mar 2026 (area grew by 44%)"), under the latest verdict where that is another capture's."""
    note = f"<b>{dates_kept(_esc(dated(les.change_note)))}</b>" if les.change_note else ""
    if note and les.latest_verdict == "significant":  # the latest capture's own change: said once
        return note
    return _esc(les.latest_verdict or "no comparison") + (f"<br/>{note}" if note else "")


def story(data: PatientSummaryData) -> list[Any]:
    st = styles()
    out: list[Any] = [Paragraph("Patient summary", st["h1"]), Paragraph(patient_lines(data.patient), st["body"])]
    if data.patient.deidentified:
        out.append(Paragraph(DEIDENTIFIED_SUMMARY, st["small"]))
    out.append(Paragraph(f"{counted(len(data.lesions), 'lesion')} under record{overdue_count(data)}.", st["small"]))
    out += map_block(data.lesions, st)  # where each lesion is, by its number in the table
    header = ["", "Lesion", "Latest capture", "Risk tier", "Change", "Next follow-up"]
    rows: list[list[Any]] = [[Paragraph(f"<b>{h}</b>", st["small"]) for h in header]]
    dated = year_only if data.patient.deidentified else human_dates  # de-identified: the years of its dates only
    for les in data.lesions:
        tier = les.latest_tier or "-"
        colour = TIER_COLOURS.get(tier, "#444444")
        rows.append(
            [
                image_flowable(les.thumbnail_jpeg, THUMB, 17 * mm)
                if les.thumbnail_jpeg
                else Paragraph("-", st["small"]),
                Paragraph(
                    (f"{FLAG_MARKUP.format(les.flag)} " if les.flag else "")  # flagged as the app's list
                    + "".join(f"{_esc(part)}<br/>" for part in les.name)  # its name's parts, a line each
                    + f"<i>{les.status}</i>",
                    st["small"],
                ),
                Paragraph(dates_kept(dated(les.latest_date[:10])) if les.latest_date else "none", st["small"]),
                Paragraph(
                    f"<font color='{colour}'><b>{tier.upper()}</b></font>"
                    + (f"<br/>malignant {les.latest_malignant}" if les.latest_malignant is not None else "")
                    + (f"<br/><i>{dates_kept(_esc(dated(les.standing_note)))}</i>" if les.standing_note else "")
                    + (f"<br/>clinician: {les.decision}" if les.decision else ""),
                    st["small"],
                ),
                Paragraph(change_text(les, dated), st["small"]),
                Paragraph(
                    follow_up_text(les.next_follow_up, year_only if data.patient.deidentified else human_date),
                    st["small"],
                ),
            ]
        )
    table = Table(rows, colWidths=column_widths(text_width(data.header.paper_size)), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    return [*out, table, KeySlot(0)]  # the tiers' key under the table


def build_patient_summary(data: PatientSummaryData) -> bytes:
    def doc(buffer: Any) -> ReportDoc:
        return ReportDoc(buffer, "Patient summary", data.header)

    def key() -> Any:
        return tier_key(styles(), text_width(data.header.paper_size), SUMMARY_INTRO)

    placed = placed_key(doc, lambda: story(data), key)  # the tiers' key under the table
    return build_with_page_count(doc, lambda: placed(story(data)))
