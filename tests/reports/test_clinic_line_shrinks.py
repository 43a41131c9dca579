"""A clinic line too long for three header lines at 9 pt (name, address and phone: its end, the phone number a
referring GP calls, was cut with "…" without a word) is printed whole in a smaller face, down to 7 pt (helper 156);
where three lines at 7 pt cannot hold it (a 200-character line beside a logo and the operator's name, in every named
report's header), a fourth runs under "Generated ..." and the operator, across the header; only where that cannot
hold it is it cut, and then the report command says on stderr what was left out and how to shorten it (the app's
save says it in its status bar: tests/ui/test_report_clinic_cut.py)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.main import main
from dermadesk.reports.common import (
    BOLD,
    CLINIC_MOST,
    CLINIC_SMALLEST,
    CLINIC_WRAPPED,
    ReportDoc,
    clinic_left_out,
    wrapped,
)
from dermadesk.reports.data import PatientInfo, PatientSummaryData, ReportHeader
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.reports import clinic_cut, shortened
from tests.reports.test_clinic_header import assert_laid_out, header
from tests.test_cli import run

PHONE = "+44 20 7946 0000"
# four lines at 9 pt beside "Generated ..." and the operator on A4 and Letter: its end, the phone, was cut with "…"
LONG = (
    "Northside Dermatology and Skin Cancer Screening Clinic, Department of Dermatology, St Bartholomew's General "
    f"Hospital, 14 Harbour Road, Greater Manchester M1 4BT, referrals (weekdays) and the dermatology nurse line {PHONE}"
)
# too long for four lines even at 7 pt (three beside "Generated ..." and the operator, the fourth under them)
EXTREME = (
    "Northside Dermatology and Skin Cancer Screening Clinic, Department of Dermatology, St Bartholomew's General "
    "Hospital NHS Foundation Trust, Outpatients Building B, Second Floor (lifts from the main entrance, follow the "
    "green signs), 14 Harbour Road, Ancoats, Greater Manchester M1 4BT, United Kingdom; parking in the multi-storey "
    f"car park on Harbour Street; referrals Monday to Friday 8:30 to 17:00 and dermatology nurse line {PHONE}"
)
PAPERS = ["A4", "Letter"]


def layout(clinic: str, paper: str) -> ReportDoc:
    return ReportDoc(io.BytesIO(), "Lesion report", header(clinic, paper))


@pytest.mark.parametrize("paper", PAPERS)
def test_a_clinic_line_too_long_at_9_pt_prints_whole_in_a_smaller_face(paper: str) -> None:
    doc = layout(LONG, paper)
    room = doc.width + doc.leftMargin - doc.left - doc.right_room - 4 * 72 / 25.4  # the clinic's column, as laid out
    assert len(wrapped(LONG, BOLD, CLINIC_WRAPPED, room, most=9)) > 3  # at 9 pt it needs a fourth line
    assert CLINIC_SMALLEST <= doc.clinic_size < CLINIC_WRAPPED and len(doc.clinic_lines) == 3
    top = assert_laid_out(header(LONG, paper))  # apart, within the margins, above the body
    assert " ".join(b[0] for b in top if b[5] == BOLD) == LONG  # whole: the phone number printed, no "…"
    assert clinic_left_out(header(LONG, paper)) == ""


# 224 characters: three lines at 7 pt beside a logo and a long operator's name cut it after "Outpatients Building B"
WIDE = (
    "Northside Dermatology and Skin Cancer Screening Clinic, Department of Dermatology, St Bartholomew's General "
    f"Hospital NHS Foundation Trust, Outpatients Building B, Second Floor, 14 Harbour Road, Manchester M1 4BT, {PHONE}"
)


def logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 40), "teal").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("paper", PAPERS)
def test_a_line_three_lines_cannot_hold_at_7_pt_goes_on_under_the_operator_in_both_reports(paper: str) -> None:
    head = ReportHeader(WIDE, logo(), "Dr. Alexandra Montgomery-Fitzwilliam", "24 Nov 2026 10:12", paper)
    doc = ReportDoc(io.BytesIO(), "Lesion report", head)
    room = doc.width + doc.leftMargin - doc.left - doc.right_room - 4 * 72 / 25.4  # the clinic's column beside
    assert len(wrapped(WIDE, BOLD, CLINIC_SMALLEST, room, most=9)) > 3  # three lines beside could not hold it
    assert doc.clinic_size == CLINIC_SMALLEST and len(doc.clinic_lines) == CLINIC_MOST
    assert clinic_left_out(head) == ""  # nothing for the report command to warn about
    summary = PatientSummaryData(head, PatientInfo("Kim Keep", "K-1", "1970-01-01", "female"))
    for pdf in (None, build_patient_summary(summary)):  # the lesion report, then the patient summary
        top = assert_laid_out(head, pdf)  # apart (the fourth line under the operator's), within the margins
        clinic = [b for b in top if b[5] == BOLD]
        assert " ".join(b[0] for b in clinic) == WIDE  # whole, the phone number on it
        operator = next(b for b in top if b[0].startswith("Operator:"))
        assert clinic[-1][2] > operator[1] and clinic[-1][4] < operator[3]  # under it, running on past its left
        assert all(b[2] < operator[1] for b in clinic[:-1])  # the three above beside it


@pytest.mark.parametrize("paper", PAPERS)
def test_a_clinic_line_too_long_at_7_pt_is_cut_and_what_is_left_out_is_told(paper: str) -> None:
    doc = layout(EXTREME, paper)
    lines, cut = doc.clinic_lines, doc.clinic_layout.left_out
    assert doc.clinic_size == CLINIC_SMALLEST and len(lines) == CLINIC_MOST and lines[-1].endswith("…")
    assert assert_laid_out(header(EXTREME, paper))  # still apart and within the margins
    assert cut.endswith(PHONE) and EXTREME.endswith(" " + cut)  # from a word's start to the end
    printed = "".join("".join(lines).removesuffix("…").split())

    def bare(text: str) -> str:
        return "".join(text.split())

    assert bare(EXTREME).startswith(printed)  # what is printed is the start of the line ...
    assert printed.startswith(bare(EXTREME[: -len(cut)]))  # ... and all of it up to what is said to be left out
    assert clinic_left_out(header(EXTREME, paper)) == cut


def test_what_is_left_out_is_said_in_whole_words() -> None:
    """Quoted whole where it is short (up to 80 characters); else its first and last whole words with " … " between:
    "'…dermatology.appointm … artholomew-regional-hospital.example.org' left out" cut words in two."""
    cut = clinic_left_out(header(EXTREME, "A4"))
    assert len(cut) <= 80 and cut.endswith(PHONE)
    assert clinic_cut(Settings(clinic_name=EXTREME)) == (
        f"the clinic line is too long for the report header: '{cut}' left out"  # whole, its phone number in it
    )
    assert clinic_cut(Settings(clinic_name=LONG)) == "" and clinic_cut(Settings(clinic_name="")) == ""
    email = "dermatology.appointments@st-bartholomew-regional-hospital.example.org"
    said = clinic_cut(Settings(clinic_name=f"{EXTREME}; bookings by e-mail only at {email}"))
    quoted = said.removeprefix("the clinic line is too long for the report header: '").removesuffix("' left out")
    first, last = quoted.split(" … ")
    assert quoted.startswith("to 17:00") and last == email  # the first and the last words, each whole
    whole = clinic_left_out(header(f"{EXTREME}; bookings by e-mail only at {email}", "A4"))
    assert whole.startswith(first + " ") and whole.endswith(" " + last) and len(whole) > 80
    assert shortened(PHONE) == PHONE and shortened(email * 2) == email * 2  # one word: whole, however long
    assert shortened("to Friday 8:30 to 17:00 and dermatology nurse line " + PHONE) == (
        "to Friday 8:30 to 17:00 and dermatology nurse line +44 20 7946 0000"  # 68 characters: whole
    )
    words = " ".join(f"word{i:02d}" for i in range(20))  # 139 characters
    assert shortened(words) == "word00 word01 word02 word03 … word14 word15 word16 word17 word18 word19"


@pytest.fixture
def lesion(capsys, lesion_files: list[Path]) -> None:
    run(capsys, "patient", "add", "--mrn", "R-1", "--name", "Re Port")
    run(capsys, "lesion", "add", "--patient", "R-1", "--site", "head/neck")
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[0]))[0] == 0


def test_the_report_command_warns_where_the_clinic_line_is_cut(capsys, lesion, tmp_path: Path) -> None:
    pdf = tmp_path / "l.pdf"
    code, out, err = run(capsys, "report", "--lesion", "1", "--out", str(pdf), "--clinic", EXTREME)
    assert code == 0 and out.startswith(f"report written to {pdf}")  # written all the same
    assert err.startswith("dermadesk: warning: the clinic line is too long for the report header: 'to 17:00")
    assert f"{PHONE}' left out; shorten it with --clinic or in Edit > Settings" in err and err.count("\n") == 1
    code, _, err = run(capsys, "report", "--patient", "R-1", "--out", str(tmp_path / "s.pdf"), "--clinic", EXTREME)
    assert code == 0 and f"{PHONE}' left out" in err
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(pdf), "--overwrite", "--clinic", LONG)
    assert code == 0 and err == ""  # printed whole, in a smaller face: nothing to say
    assert PHONE in " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())


def test_the_warning_comes_before_the_line_that_says_where_the_report_is(
    lesion, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both streams as a terminal shows them: the warning, then "report written to ..." last."""
    both = io.StringIO()
    monkeypatch.setattr(sys, "stdout", both)
    monkeypatch.setattr(sys, "stderr", both)
    pdf = tmp_path / "l.pdf"
    assert main(["report", "--lesion", "1", "--out", str(pdf), "--clinic", EXTREME]) == 0
    lines = both.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("dermadesk: warning: the clinic line is too long")
    assert lines[1].startswith(f"report written to {pdf}")
