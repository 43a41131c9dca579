"""A report heading never ends a page with its content on the next (issue 16: "Earlier captures" sat at the
foot of a page, its thumbnails on the next; walkthrough 21: "Trend over visits" ended page 1, its chart on page 2).
The lesion's label grows line by line, moving everything below it down, until the heading has passed the page end;
at every step the heading and its first row share a page."""

from __future__ import annotations

import io

from pypdf import PdfReader

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.domain.records import Assessment, Capture
from dermadesk.reports.data import LesionReportData, PatientInfo, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report

DATES = ("2024-02-29", "2024-08-31", "2025-03-01")  # the earlier two are printed only under their thumbnails


def _assessed(malignant: float) -> Assessment:
    return Assessment(
        model_name="tiny",
        model_version="1.0",
        provider="CPU",
        probabilities={"nv": 1 - malignant, "mel": malignant},
        top_class="nv",
        malignant_probability=malignant,
        melanoma_probability=malignant,
        risk_tier="monitor",
        recommendation="Re-check in 3 months.",
    )


def _report(label_lines: int, image: bytes, assessed: bool = False) -> list[str]:
    visits = [
        VisitData(
            Capture(i + 1, 1, day, "ab" * 32, 96, 96, len(image), "JPEG", clinician_notes="watch"),
            _assessed(0.1 + 0.05 * i) if assessed else None,
            image,
        )
        for i, day in enumerate(DATES)
    ]
    label = " ".join(f"line{i:02d} " + "x" * 64 for i in range(label_lines))  # one wrapped line each (bold)
    data = LesionReportData(
        ReportHeader("Clinic", None, "Nurse", "2026-11-22 10:00", "A4"),
        PatientInfo("Kim Keep", "K-1", "1970-01-01", "female"),
        1, "posterior torso", label, "monitoring", "back", 0.4, 0.3, visits, None, None, lesion_number=1,
    )  # fmt: skip
    reader = PdfReader(io.BytesIO(build_lesion_report(data)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _page(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if text in page)


def test_earlier_captures_and_clinician_notes_headings_stay_with_what_follows() -> None:
    image = jpeg_bytes(synthetic_lesion(LesionSpec(seed=3)))
    heading_pages = set()
    for lines in range(12, 58):  # from 12: the tiers' key stands above "Earlier captures" where it fits
        pages = _report(lines, image)
        heading = _page(pages, "Earlier captures")
        heading_pages.add(heading)
        first = _page(pages, "29 Feb 2024 (baseline) not assessed")  # its thumbnail's caption
        assert first == heading, f"{lines} label lines: the table left its heading"
        notes = _page(pages, "Clinician notes")
        assert _page(pages, "Notes: watch") == notes, f"{lines} label lines: notes left their heading"
        result = _page(pages, "This capture has not been assessed.")
        assert _page(pages, "Decision: not recorded") == result  # under the result, on its page
    assert heading_pages == {0, 1}  # the heading did cross the page end on the way


def test_the_trend_heading_stays_with_its_chart() -> None:
    """The trend's charts are each kept whole (a KeepTogether), which reportlab did not keep a heading with."""
    image = jpeg_bytes(synthetic_lesion(LesionSpec(seed=3)))
    heading_pages = set()
    for lines in range(30, 62, 2):  # the heading crosses from page 2 to page 3 (about 36 lines with the tiers' key)
        pages = _report(lines, image, assessed=True)
        heading = _page(pages, "Trend over visits")
        heading_pages.add(heading)
        chart = _page(pages, "Malignant probability (%)")  # the first chart's title
        assert chart == heading, f"{lines} label lines: the chart left its heading"
        assert "10%" in pages[chart] and "20%" in pages[chart]  # its points' values: the chart itself
    assert heading_pages == {1, 2}  # the heading did cross the page end on the way
