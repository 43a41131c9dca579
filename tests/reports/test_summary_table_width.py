"""The patient summary's lesion table runs between the margins, on A4 and Letter, with one lesion and with six (its
fixed column widths ran 1.6 mm past each margin on A4): each of its lines across, as the PDF draws it, from the
frame's left edge to its right."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from dermadesk.domain.follow_up import FollowUp
from dermadesk.reports.common import FRAME_PADDING, MARGIN, page_size
from dermadesk.reports.data import LesionRow, PatientInfo, PatientSummaryData, ReportHeader
from dermadesk.reports.patient_summary import build_patient_summary
from tests.conftest import lesion_jpeg

PAPERS = ["A4", "Letter"]


def grid_lines(pdf: bytes) -> list[tuple[float, float, float]]:
    """Each horizontal line page 1 draws: (left, right, height), in points on the page."""
    found: list[tuple[float, float, float]] = []
    at: list[tuple[float, float]] = []

    def visit(op: bytes, args: list, cm: list[float], tm: list[float]) -> None:
        if op in (b"m", b"l"):
            x, y = (float(v) for v in args)
            point = (cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5])
            if op == b"l" and at and abs(at[-1][1] - point[1]) < 0.01:
                found.append((min(at[-1][0], point[0]), max(at[-1][0], point[0]), point[1]))
            at.append(point)

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_operand_before=visit)
    return found


def summary(paper: str, lesions: int) -> bytes:
    rows = [
        LesionRow(i, "posterior torso", "", "monitoring", lesion_jpeg(i), "2026-11-16", "monitor", "8%",
                  "not significant", FollowUp(action="8 Jun 2027 (12 months, clinician's decision)"), i + 1,
                  name=(f"Lesion {i + 1}", "posterior torso"))
        for i in range(lesions)
    ]  # fmt: skip
    head = ReportHeader(
        "Northside Dermatology, tel. 0161 555 0142", None, "Dr. Lena Brandt", "24 Nov 2026 10:12", paper
    )
    return build_patient_summary(PatientSummaryData(head, PatientInfo("Six Lesions", "P-6", None, None), rows))


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lesions", [1, 6])
def test_the_summary_table_runs_between_the_margins(paper: str, lesions: int) -> None:
    width, height = page_size(paper)
    left, right = MARGIN + FRAME_PADDING, width - MARGIN - FRAME_PADDING  # the frame's text runs between these
    drawn = grid_lines(summary(paper, lesions))
    rules = [ln for ln in drawn if not 20 * 72 / 25.4 < ln[2] < height - 30 * 72 / 25.4]  # the header's, the footer's
    assert len(rules) == 2 and all(ln[:2] == pytest.approx((MARGIN, width - MARGIN)) for ln in rules)
    table = [ln for ln in drawn if ln not in rules and ln[1] - ln[0] > width / 2]
    assert len(table) == lesions + 2  # the table's lines across: above and under its header, under each row
    for line_left, line_right, _ in table:
        assert line_left == pytest.approx(left, abs=0.1) and line_right == pytest.approx(right, abs=0.1)
