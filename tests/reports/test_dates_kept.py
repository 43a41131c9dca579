"""A date in the reports' running text stays on one line: a patient's long name wrapped "Born: 1 Dec" / "1959" in both
reports' patient line, and the patient summary's narrow columns split "was due 8 Jun" / "2026" in Next follow-up,
"URGENT on 10 Mar" / "2026" under the tier and "significant change on 3 Mar" / "2026" in Change. Now a line wraps
before or after a date, never inside it. Real PDFs (the real ``report`` command on a real register, and the summary's
builder), words' places read back with pdftotext -bbox."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from dermadesk.domain.dates import MONTHS
from dermadesk.domain.follow_up import FollowUp
from dermadesk.reports.data import LesionRow, PatientInfo, PatientSummaryData, ReportHeader
from dermadesk.reports.patient_summary import build_patient_summary
from tests.reports.test_notes_label_indent import Word, line_starting, words
from tests.services.test_standing import pdf_text
from tests.test_cli import run

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")

# as long as it is, the patient line wrapped right inside the birth date: "... Born: 1 Dec" / "1959 Sex: female"
NAME = "Maria Fernanda de los Santos Oliveira-Castellanos y Peña"


def dates(drawn: list[Word], after: int = 0) -> list[int]:
    """Where each date ("8 Jun 2026") begins among the words drawn after word ``after``, by its day's index."""
    return [
        i
        for i in range(after, len(drawn) - 2)
        if drawn[i][0].isdigit() and drawn[i + 1][0] in MONTHS and drawn[i + 2][0].rstrip(").,;")[:4].isdigit()
    ]


def one_line(drawn: list[Word], day: int) -> bool:
    """The date beginning at word ``day``: its day, month and year on one line."""
    return drawn[day][2] == drawn[day + 1][2] == drawn[day + 2][2]


def test_a_long_name_never_splits_the_birth_date(capsys, lesion_files: list[Path], tmp_path: Path) -> None:
    born = ("--birth-date", "1959-12-01", "--sex", "female")
    assert run(capsys, "patient", "add", "--mrn", "MRN-2026-000417", "--name", NAME, *born)[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "MRN-2026-000417", "--site", "anterior torso")[0] == 0
    for taken, image in (("2026-05-04", lesion_files[0]), ("2026-11-02", lesion_files[1])):
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", taken, str(image))[0] == 0
    for which in (("--lesion", "1"), ("--patient", "MRN-2026-000417")):
        pdf = tmp_path / "report.pdf"
        assert run(capsys, "report", *which, "--out", str(pdf), "--overwrite")[0] == 0
        assert f"Patient: {NAME} MRN: MRN-2026-000417 Born: 1 Dec 1959 Sex: female" in pdf_text(pdf.read_bytes())
        drawn = words(pdf.read_bytes(), tmp_path)
        at, patient = line_starting(drawn, "Patient:")
        day, born = line_starting(drawn, "Born:", at)
        day += 1
        assert [w[0] for w in drawn[day : day + 3]] == ["1", "Dec", "1959"] and one_line(drawn, day)
        # the whole date, with its label, begins the patient line's second
        assert born[1] == pytest.approx(patient[1], abs=0.5) and drawn[day][2] == born[2]


def row(n: int, due: dt.date, result: dt.date, change: dt.date) -> LesionRow:
    """A lesion overdue for its clinician's re-check, whose latest capture is not assessable (an URGENT result
    stands) and which grew significantly: three dates in three narrow columns."""
    result_day = f"{result.day} {MONTHS[result.month - 1]} {result.year}"
    return LesionRow(
        n, "anterior torso", "", "monitoring", None, "2026-11-02", "urgent", "61.2%", "cannot tell",
        FollowUp(due=due, interval="3 months", overdue=True, whose="clinician"), number=n,
        standing_note=f"latest capture not assessable; last assessable result: URGENT on {result_day}",
        decision="monitor", change_note=f"significant change on {change.isoformat()} (area grew by 44%)",
        name=(f"Lesion {n}", "anterior torso"),
    )  # fmt: skip


def test_summary_columns_never_split_a_date(tmp_path: Path) -> None:
    """Rows with dates of every width (a day of one or two digits, a narrow or a wide month), so that some wrap just
    where their date begins."""
    day = dt.date(2026, 1, 1)
    rows = [
        row(
            i + 1, day + dt.timedelta(days=37 * i), day + dt.timedelta(days=23 * i + 9), day + dt.timedelta(days=29 * i)
        )
        for i in range(12)
    ]
    head = ReportHeader("Northside Dermatology", None, "Nurse", "24 Nov 2026 10:12", "A4")
    pdf = build_patient_summary(PatientSummaryData(head, PatientInfo("Kim Key", "K-1", None, None), rows))
    text = pdf_text(pdf)
    assert "OVERDUE: was due 1 Jan 2026 (3-month re-check, clinician's decision)" in text
    assert "URGENT on 10 Jan 2026" in text and "significant change on 1 Jan 2026 (area grew by 44%)" in text
    drawn = words(pdf, tmp_path)
    found = dates(drawn, line_starting(drawn, "Next")[0])
    assert len(found) >= 4 * len(rows)  # the latest capture's, the result's, the change's and the follow-up's
    assert all(one_line(drawn, i) for i in found)
    overdue = [x for w, x, _ in drawn if w == "OVERDUE:"]
    # some follow-ups wrapped just before their date: it begins a line of the column, where "OVERDUE:" does
    assert any(drawn[i - 1][0] == "due" and drawn[i][1] == pytest.approx(overdue[0], abs=0.5) for i in found)
