"""A report never ends on a page with nothing but its header and footer (walkthrough 25: ``report --paper Letter``
printed "Page 3 of 3" blank, the lesion report's closing Spacer having fallen past a page filled to its end).
The body here is filled to exactly the page's end, then something that draws nothing follows."""

from __future__ import annotations

import io
from typing import Any, Callable

import pytest
from pypdf import PdfReader
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer

from dermadesk.reports.common import ReportDoc, build_with_page_count, styles
from dermadesk.reports.data import ReportHeader


class Fill(Flowable):
    """As tall as the room left in the frame, to the point: the page's body ends exactly where it ends."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, available_height
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFont("Helvetica", 9)
        self.canv.drawString(0, self.height - 12, "body filled to the page end")


def pages(paper: str, story: Callable[[], list[Any]]) -> list[str]:
    """The text of each page of ``story`` laid out as a report (new flowables each layout, as the reports make)."""
    header = ReportHeader("Clinic", None, "Nurse", "24 Nov 2026 10:12", paper)
    pdf = build_with_page_count(lambda buffer: ReportDoc(buffer, "Lesion report", header), story)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize(
    "after",
    [lambda: [Spacer(1, 12)], lambda: [PageBreak()], lambda: [CondPageBreak(40)], lambda: [Spacer(1, 4), PageBreak()]],
    ids=["spacer", "page break", "conditional page break", "spacer and page break"],
)
def test_nothing_drawn_after_a_full_page_makes_no_page(paper: str, after: Callable[[], list[Any]]) -> None:
    said = pages(paper, lambda: [Paragraph("Lesion report", styles()["h1"]), Fill(), *after()])
    assert len(said) == 1 and "body filled to the page end" in said[0] and "Page 1 of 1" in said[0]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_page_whose_body_is_full_still_lets_what_follows_start_the_next(paper: str) -> None:
    said = pages(paper, lambda: [Fill(), Spacer(1, 12), Paragraph("About the model", styles()["h2"]), Spacer(1, 12)])
    assert len(said) == 2 and "body filled to the page end" in said[0]
    assert "About the model" in said[1] and "Page 2 of 2" in said[1]  # the last page holds the text that is on it
