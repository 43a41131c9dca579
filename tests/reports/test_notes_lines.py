"""Clinician notes typed on several lines keep their lines in the lesion report: "Seen with daughter.", "Patient
reports itching." and "Re-check after holiday." ran together in "Clinician notes" (a paragraph joins
lines), while "Reviews" kept them. Both parts print notes the one way (``notes_paragraph``): escaped, each line on its
own, a run of blank lines as one empty line; long notes still wrap between the margins and run on to the next page.
Real PDFs read back with pypdf, each line where the page draws it."""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from dermadesk.domain.records import Capture
from dermadesk.domain.text import typed_lines
from dermadesk.reports.common import MARGIN, page_size
from dermadesk.reports.data import LesionReportData, PatientInfo, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report
from tests.conftest import lesion_jpeg

NOTES = "Seen with daughter.\nPatient reports itching.\nRe-check after holiday."
Line = tuple[str, float, float, float]  # text, baseline (points from the page's foot), left, right


def report(latest: str, earlier: str = "Earlier: flat, even brown.\nNo itch.") -> bytes:
    """Two captures, the earlier one reviewed 'monitor' with ``earlier`` notes ("Reviews"), the latest with
    ``latest`` notes ("Clinician notes")."""
    image = lesion_jpeg(3)
    visits = [
        VisitData(Capture(1, 1, "2026-01-16", "ab" * 32, 96, 96, len(image), "JPEG", decision="monitor",
                          clinician_notes=earlier), None, image),
        VisitData(Capture(2, 1, "2026-02-16", "cd" * 32, 96, 96, len(image), "JPEG", clinician_notes=latest),
                  None, image),
    ]  # fmt: skip
    head = ReportHeader("Northside Dermatology, tel. 0161 555 0142", None, "Nurse", "24 Nov 2026 10:12", "A4")
    data = LesionReportData(head, PatientInfo("Kim Key", "K-1", None, None), 1, "anterior torso", "", "monitoring",
                            None, None, None, visits, None, None, lesion_number=1)  # fmt: skip
    return build_lesion_report(data)


def lines(pdf: bytes) -> list[list[Line]]:
    """Each page's pieces of text as drawn, top to bottom."""
    return [page_lines(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def page_lines(page: PageObject) -> list[Line]:
    found: list[Line] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if text.strip() and font is not None:
            x, face = cm[4] + tm[4], str(font["/BaseFont"]).split("+")[-1]
            found.append((text.strip(), cm[5] + tm[5], x, x + stringWidth(text.strip(), face, size)))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda line: -line[1])


def texts(pdf: bytes) -> list[str]:
    return [line[0] for page in lines(pdf) for line in page]


def test_notes_on_several_lines_keep_their_lines_in_both_parts() -> None:
    drawn = texts(report(NOTES))
    part = drawn[drawn.index("Clinician notes") :]
    at = part.index("Seen with daughter.")  # a line of its own: not "Seen with daughter. Patient reports ..."
    assert part[at : at + 3] == ["Seen with daughter.", "Patient reports itching.", "Re-check after holiday."]
    reviews = drawn[drawn.index("Reviews") :]
    at = reviews.index("Earlier: flat, even brown.")  # "Reviews" as before: the earlier capture's notes
    assert reviews[at + 1] == "No itch."


def test_a_run_of_blank_lines_is_one_empty_line() -> None:
    page = next(p for p in lines(report("Seen with daughter.\n\n\n\nRe-check after holiday.\n")) if p)
    y = {text: base for text, base, *_ in page}
    gap = y["Seen with daughter."] - y["Re-check after holiday."]
    assert gap == 2 * 12  # the body's leading is 12 pt: one empty line between, not three
    assert typed_lines("a\r\n\r\n\r\nb  \n c") == [(0, "a"), (0, ""), (0, "b"), (1, "c")]  # its indentation kept
    assert typed_lines("  \n\n ") == [] and typed_lines("") == []


def test_notes_are_printed_as_typed_never_read_as_markup() -> None:
    typed = "BP < 140/90 & <b>not</b> bold\nAsk about <br/> sun"
    drawn = texts(report(typed))
    assert "BP < 140/90 & <b>not</b> bold" in drawn and "Ask about <br/> sun" in drawn


def test_long_notes_wrap_between_the_margins_and_run_on_to_the_next_page() -> None:
    typed = "\n".join(f"Line {i:02d}: " + "the border looked even and the colour the same as before. " * 3
                      for i in range(60))  # fmt: skip
    pages = lines(report(typed))
    width = page_size("A4")[0]
    on = [i for i, page in enumerate(pages) if any(text.startswith("Line ") for text, *_ in page)]
    assert len(on) >= 2  # run on to the next page
    typed_lines = [line for page in pages for line in page if line[0].startswith("Line ")]
    assert [line[0][:7] for line in typed_lines] == [f"Line {i:02d}" for i in range(60)]  # each begins a line
    drawn = [line for page in pages for line in page]
    wraps = [line for line in drawn if line[0] in typed and not line[0].startswith("Line ")]
    assert len(wraps) >= 60  # each typed line is longer than the page is wide: it wraps
    assert all(MARGIN - 0.5 <= left and right <= width - MARGIN + 0.5 for _, _, left, right in drawn)
