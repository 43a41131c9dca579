"""The report header with a long clinic name (walkthrough 25: Settings' "Clinic name" of 90 characters, name, address
and phone, ran over "Generated 24 Nov 2026" and off the page's right edge; 45 characters fitted). The name wraps in
its column, the header growing by its lines, on A4 and Letter; past four lines it is cut with "…" (smaller faces and
the fourth line: test_clinic_line_shrinks.py). Every piece of header text is checked where the PDF draws it: none
overlaps another or runs past the margins, and the body starts below the header."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from dermadesk.reports.common import BOLD, MARGIN, ReportDoc, page_size, wrapped
from dermadesk.reports.data import LesionReportData, PatientInfo, ReportHeader
from dermadesk.reports.lesion_report import build_lesion_report

WALKTHROUGH = "Northside Dermatology Clinic, 14 Harbour Road, tel. 0161 555 0142 (dermatology nurse line)"
Box = tuple[str, float, float, float, float, str]  # text, left, right, bottom, top (points), face


def header(clinic: str, paper: str, operator: str = "Dr. Lena Brandt") -> ReportHeader:
    return ReportHeader(clinic, None, operator, "24 Nov 2026 10:12", paper)


def report(head: ReportHeader) -> bytes:
    data = LesionReportData(
        head, PatientInfo("Kim Keep", "K-1", "1970-01-01", "female"), 1, "anterior torso", "", "monitoring",
        "front", 0.4, 0.3, [], None, None, lesion_number=1,
    )  # fmt: skip
    return build_lesion_report(data)


def boxes(pdf: bytes) -> list[Box]:
    """Each piece of text on page 1 with the box its glyphs take."""
    found: list[Box] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        text = text.strip()
        if text and font is not None:
            face = str(font["/BaseFont"]).split("+")[-1]
            x, y = cm[4] + tm[4], cm[5] + tm[5]
            found.append((text, x, x + stringWidth(text, face, size), y - 0.25 * size, y + 0.75 * size, face))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def header_boxes(pdf: bytes, head: ReportHeader) -> tuple[list[Box], list[Box]]:
    """The header's pieces (above the body's frame) and the body's."""
    top = page_size(head.paper_size)[1] - ReportDoc(io.BytesIO(), "Lesion report", head).topMargin
    found = [b for b in boxes(pdf) if b[3] > 20 * 72 / 25.4]  # not the footer
    return [b for b in found if b[3] > top], [b for b in found if b[3] <= top]


def assert_laid_out(head: ReportHeader, pdf: bytes | None = None) -> list[Box]:
    """The header's pieces: apart, within the margins, above the body (of ``pdf``, a report with ``head``; by default
    a lesion report); returned for more checks."""
    pdf = pdf or report(head)
    top, body = header_boxes(pdf, head)
    width = page_size(head.paper_size)[0]
    for text, left, right, *_ in top:
        assert MARGIN - 0.5 <= left and right <= width - MARGIN + 0.5, f"{text!r} runs past a margin"
    for i, a in enumerate(top):
        for b in top[i + 1 :]:
            apart = a[2] <= b[1] or b[2] <= a[1] or a[4] <= b[3] or b[4] <= a[3]
            assert apart, f"{a[0]!r} overlaps {b[0]!r}"
    assert body and max(b[4] for b in body) < min(b[3] for b in top)  # "Lesion report" starts below the header
    return top


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_walkthroughs_clinic_name_wraps_beside_generated_and_the_operator(paper: str) -> None:
    top = assert_laid_out(header(WALKTHROUGH, paper))
    clinic = [b for b in top if b[5] == BOLD]  # the clinic's lines: the header's only bold text
    assert " ".join(b[0] for b in clinic) == WALKTHROUGH  # whole, on two lines, nothing cut
    assert len(clinic) == 2 and clinic[0][3] > clinic[1][3]
    generated = next(b for b in top if b[0].startswith("Generated"))
    assert all(b[2] < generated[1] for b in clinic)  # left of "Generated ...", never over it
    title = next(b for b in top if b[0] == "Lesion report, Lesion 1 · anterior torso")
    assert title[4] < clinic[-1][3]  # under the name


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_clinic_name_that_fits_stays_one_line_in_the_large_face(paper: str) -> None:
    head = header("Northside Dermatology, tel. 0161 555 0142", paper)
    top = assert_laid_out(head)
    assert [b[0] for b in top if b[5] == BOLD] == ["Northside Dermatology, tel. 0161 555 0142"]
    assert ReportDoc(io.BytesIO(), "Lesion report", head).topMargin == pytest.approx(24 * 72 / 25.4)  # as before


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize(
    "clinic",
    [" ".join(["Northside Dermatology Clinic, 14 Harbour Road"] * 8), "https://" + "x" * 300],
    ids=["many words", "one long word"],
)
def test_an_extreme_name_takes_four_lines_at_most_then_is_cut(paper: str, clinic: str) -> None:
    top = assert_laid_out(header(clinic, paper, operator="Dr. " + "Longname-" * 12))
    lines = [b[0] for b in top if b[5] == BOLD]
    assert len(lines) == 4 and clinic.startswith(lines[0]) and lines[-1].endswith("…")
    assert any(b[0].startswith("Operator: Dr. Longname") for b in top)  # a very long operator's name is cut too


def test_wrapped_breaks_between_words_and_inside_a_word_too_long_for_a_line() -> None:
    room = stringWidth("Northside Dermatology", BOLD, 9)
    assert wrapped("Northside Dermatology Clinic", BOLD, 9, room) == ["Northside Dermatology", "Clinic"]
    long = wrapped("a" * 200, BOLD, 9, room, most=20)
    assert "".join(long) == "a" * 200 and all(stringWidth(line, BOLD, 9) <= room for line in long)
    cut = wrapped("word " * 100, BOLD, 9, room)
    assert len(cut) == 3 and cut[-1].endswith("…") and stringWidth(cut[-1], BOLD, 9) <= room
