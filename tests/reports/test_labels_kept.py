"""Each label of the reports' patient line stays with its value: a long name wrapped the line right after "MRN:",
leaving it at the line's end and "MRN-0042" at the next line's start (and so for "Born:", "Sex:", "Status:"). Now a
line wraps before a label or inside its value. Real PDFs from the report builders, words' places read back with
pdftotext -bbox; names of every length, so that the line wraps at each label in turn."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dermadesk.domain.records import Capture
from dermadesk.reports.data import LesionReportData, PatientInfo, PatientSummaryData, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.reports.patient_summary import build_patient_summary
from tests.conftest import lesion_jpeg
from tests.reports.test_notes_label_indent import Word, line_starting, words

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")

HEAD = ReportHeader("Northside Dermatology", None, "Nurse", "24 Nov 2026 10:12", "A4")
LABELS = ("Patient:", "MRN:", "Born:", "Sex:")


def patient(stretch: int) -> PatientInfo:
    """A patient whose name grows by a letter a step: a line's end falls at each label in turn."""
    name = "Maria Fernanda de los Santos Oliveira-Castellanos y Pe" + "ñ" * stretch + "a"
    return PatientInfo(name, "MRN-0042", "1959-12-01", "female")


def lesion_report(stretch: int, label: str = "") -> bytes:
    image = lesion_jpeg(3)
    visits = [VisitData(Capture(1, 1, "2026-01-16", "ab" * 32, 96, 96, len(image), "JPEG"), None, image)]
    data = LesionReportData(HEAD, patient(stretch), 1, "anterior torso", label, "monitoring", None, None, None,
                            visits, None, None, lesion_number=1)  # fmt: skip
    return build_lesion_report(data)


def kept(drawn: list[Word], labels: tuple[str, ...], margin: float) -> set[str]:
    """Asserts that each of ``labels`` is on one line with the word after it (its value's first); returns those that
    begin a line (at the ``margin``): the line wrapped just before them."""
    begun = set()
    for label in labels:
        at, word = line_starting(drawn, label)
        assert drawn[at + 1][2] == pytest.approx(word[2], abs=0.5), f"{label} ends a line, its value on the next"
        if word[1] == pytest.approx(margin, abs=0.5) and label != labels[0]:
            begun.add(label)
    return begun


@pytest.mark.parametrize("report", ["lesion", "summary"])
def test_labels_of_the_patient_line_keep_their_values(report: str, tmp_path: Path) -> None:
    begun: set[str] = set()
    for stretch in range(0, 64, 3):  # a letter "ñ" is about 5 points: each label meets the line's end
        if report == "lesion":
            pdf = lesion_report(stretch)
        else:
            pdf = build_patient_summary(PatientSummaryData(HEAD, patient(stretch), []))
        drawn = words(pdf, tmp_path)
        begun |= kept(drawn, LABELS, line_starting(drawn, "Patient:")[1][1])
    assert begun == {"MRN:", "Born:", "Sex:"}  # each was where a line wrapped, and went on to the next with its value


def test_status_keeps_its_value(tmp_path: Path) -> None:
    begun: set[str] = set()
    for stretch in range(0, 64, 3):
        drawn = words(lesion_report(0, label="left shoulder, the mole under the strap " + "m" * stretch), tmp_path)
        begun |= kept(drawn, ("Lesion", "Status:"), line_starting(drawn, "Patient:")[1][1])
    assert begun == {"Status:"}
