"""An indented line of clinician notes that wraps goes on under its own text in the lesion report: "  - refer to
dermatology, with the photo ..." continued at the notes' margin, under "Plan:", as if a new line were typed there;
and an indented first line kept its indentation ("Notes: Indented first line." lost its two spaces when stored). In
"Reviews" an entry's line wrapped inside a date ("on 24 Nov" / "2026"); a date is now kept on one line. Real PDFs
(the real ``report`` command on a real register, and the report builder), words' places read back with pdftotext
-bbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dermadesk.domain.records import Capture
from dermadesk.reports.data import LesionReportData, PatientInfo, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report
from tests.conftest import lesion_jpeg
from tests.reports.test_notes_label_indent import Word, body_text, line_starting, space, words
from tests.test_cli import run

NOTES = (
    "  Indented first line.\nGrew about a third since May.\nPlan:\n  - refer to dermatology, with the photo and the "
    "measurements from both visits, the patient's own photographs from the summer and a letter\n    - photo sent"
)

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")


def reported(capsys, lesion_files: list[Path], tmp_path: Path) -> bytes:
    """The lesion report of two captures, both with ``NOTES``: the earlier reviewed ('Reviews'), the latest's in
    'Clinician notes'."""
    assert run(capsys, "patient", "add", "--mrn", "W-1", "--name", "Wren Wrap")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "W-1", "--site", "anterior torso")[0] == 0
    for taken, image in (("2026-05-04", lesion_files[0]), ("2026-11-02", lesion_files[1])):
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", taken, str(image))[0] == 0
    assert run(capsys, "capture", "review", "--capture", "1", "--decision", "monitor", "--notes", NOTES)[0] == 0
    assert run(capsys, "capture", "review", "--capture", "2", "--notes", NOTES)[0] == 0
    pdf = tmp_path / "lesion.pdf"
    assert run(capsys, "report", "--lesion", "1", "--out", str(pdf))[0] == 0
    return pdf.read_bytes()


def check_notes(drawn: list[Word], after: int) -> None:
    """The notes after word ``after``: the first line two spaces in, the wrapped list item under its own text."""
    width = space()
    at, label = line_starting(drawn, "Notes:", after)
    first, grew = drawn[at + 1], line_starting(drawn, "Grew", at)[1]
    assert first[0] == "Indented" and first[2] == pytest.approx(label[2])  # beside the label
    assert (first[1] - grew[1]) / width == pytest.approx(2, abs=0.05)  # two spaces in from the line typed flush
    refer = line_starting(drawn, "refer", at)[0]
    dash = drawn[refer - 1]
    assert dash[0] == "-" and (dash[1] - grew[1]) / width == pytest.approx(2, abs=0.05)
    wrapped = next(i for i in range(refer, len(drawn)) if drawn[i][2] > dash[2] + 1)  # the first word wrapped
    # under its own text, after the dash (a list item's wrapped lines hang under its text, not its mark)
    assert drawn[wrapped][0] != "-" and drawn[wrapped][1] == pytest.approx(drawn[refer][1], abs=0.2)
    assert drawn[wrapped][1] > grew[1] + 1.5 * width  # not back at the notes' margin
    photo = line_starting(drawn, "photo", wrapped + 1)[0]
    assert drawn[photo - 1][0] == "-" and (drawn[photo - 1][1] - grew[1]) / width == pytest.approx(4, abs=0.05)


def test_a_wrapped_indented_line_goes_on_under_its_own_text(capsys, lesion_files: list[Path], tmp_path: Path) -> None:
    pdf = reported(capsys, lesion_files, tmp_path)
    text = body_text(pdf)  # the notes may run on to the next page
    assert "Clinician notes Notes: Indented first line. Grew about a third since May. Plan: - refer" in text
    assert "4 May 2026: decision monitor" in text.split("Reviews", 1)[1]
    drawn = words(pdf, tmp_path)
    check_notes(drawn, line_starting(drawn, "Clinician")[0])  # "Clinician notes"
    check_notes(drawn, line_starting(drawn, "Reviews")[0])  # the earlier capture's, in "Reviews"


def test_a_date_in_reviews_is_never_split_over_two_lines(tmp_path: Path) -> None:
    """Entries of several lengths (who decided: "Dr e e e ..."), so that some wrap just where their date begins."""
    image = lesion_jpeg(3)
    visits = [
        VisitData(
            Capture(i + 1, 1, f"2026-{i % 9 + 1:02d}-16", f"{i:064x}", 96, 96, len(image), "JPEG", decision="monitor",
                    recheck_months=12),
            None, image, decided=("Dr" + " e" * i, "2026-11-24T10:00:00"),
        )
        for i in range(16)
    ]  # fmt: skip
    head = ReportHeader("Northside Dermatology", None, "Nurse", "24 Nov 2026 10:12", "A4")
    data = LesionReportData(head, PatientInfo("Kim Key", "K-1", None, None), 1, "anterior torso", "", "monitoring",
                            None, None, None, visits, None, None, lesion_number=1)  # fmt: skip
    drawn = words(build_lesion_report(data), tmp_path)
    start = line_starting(drawn, "Reviews")[0]
    days = [i for i in range(start, len(drawn) - 2) if drawn[i][0] == "24" and drawn[i + 1][0] == "Nov"]
    assert len(days) == 16 and all(drawn[i + 2][0] == "2026" for i in days)
    for i in days:
        assert drawn[i][2] == drawn[i + 1][2] == drawn[i + 2][2]  # day, month and year on one line
    margin = drawn[line_starting(drawn, "Clinician", start)[0]][1]
    assert any(drawn[i][1] == pytest.approx(margin, abs=0.5) for i in days)  # some wrapped just before their date
