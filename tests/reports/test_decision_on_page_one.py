"""The clinician's decision on the visit and the lesion's next follow-up stand on page 1, right under the risk tier, as
the app shows the follow-up under the tier: a referrer reading (or faxed) page 1 alone saw "Risk tier: URGENT" and the
model's "Consider urgent specialist review", while "Decision: monitor, re-check in 3 months, by Dr Fresh" and "Next
follow-up: 24 Feb 2027" stood on page 2 under "Clinician notes and decision". Said once: the notes further down keep
their own heading, "Clinician notes". Real register, real PDFs read back page by page with pdftotext."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.follow_up import months_after
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services.reports import lesion_report_data
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")


def pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """Each page's text as pdftotext reads it, its whitespace made single spaces."""
    path = tmp_path / "lesion.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def report(register: Register, lid: int, tmp_path: Path, deidentified: bool = False) -> list[str]:
    return pages(build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified)), tmp_path)


def reviewed_urgent(register: Register, tmp_path: Path) -> tuple[int, dt.date]:
    """Three URGENT captures (10 Mar, 2 Jun, 1 Jul 2026), the latest reviewed 'monitor, 3 months' with notes: the
    earlier captures and the trend fill page 1, the notes go to page 2. The day the review was saved."""
    lid = lesion_with_results(register, tmp_path, ["urgent", "urgent", "urgent"])
    latest = register.captures.for_lesion(lid)[-1]
    register.captures.review("Dr Fresh", latest.id, "monitor", "benign on dermoscopy", 3)
    return lid, dt.date.fromisoformat(local_day(register.audit.entries("capture", latest.id)[0].at) or "")


def test_the_decision_and_next_follow_up_are_on_page_one_under_the_tier(register: Register, tmp_path: Path) -> None:
    lid, day = reviewed_urgent(register, tmp_path)
    first, *rest = report(register, lid, tmp_path)
    decision = f"Decision: monitor, re-check in 3 months, by Dr Fresh on {human_date(day.isoformat())}"
    follow_up = f"Next follow-up: {human_date(months_after(day, 3).isoformat())} (3 months, clinician's decision)"
    at = [first.index(text) for text in ("Risk tier: URGENT", decision, follow_up, "Melanoma (mel)")]
    assert at == sorted(at)  # under the tier and its reasons, before the probabilities
    everything = " ".join([first, *rest])
    assert everything.count("Decision:") == 1 and everything.count("Next follow-up:") == 1  # said once
    notes = next(page for page in rest if "Clinician notes" in page)  # the notes on a later page, under their heading
    assert "Clinician notes Notes: benign on dermoscopy" in notes and "Clinician notes" not in first


def test_no_decision_yet_says_so_once_beside_the_flag(register: Register, tmp_path: Path) -> None:
    """An URGENT result nobody answered: page 1 says no decision is recorded and the follow-up the result asks for;
    the flag line already says a flag stands (no second line about it)."""
    lid = lesion_with_results(register, tmp_path, ["urgent", "urgent", "urgent"])
    first, *rest = report(register, lid, tmp_path)
    said = first.split("Risk tier: URGENT", 1)[1].split("Melanoma (mel)", 1)[0]
    assert "Decision: not recorded Next follow-up: specialist review now" in said
    assert said.count("flagged ⚠ URGENT") == 1 and "not yet acted on" not in first  # the reasons: under "Reviews"


def test_a_not_assessable_capture_says_retake_on_page_one(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, [None])  # one capture, NOT ASSESSABLE: no tier, no interval
    (first,) = report(register, lid, tmp_path)
    said = first.split("NOT ASSESSABLE: no risk tier, no recommendation", 1)[1]
    said = said.split("Class probabilities are not printed", 1)[0]
    assert said.endswith("Decision: not recorded Next follow-up: retake the image (not assessable), then assess ")


def test_a_deidentified_report_dates_them_as_it_dates_care(register: Register, tmp_path: Path) -> None:
    """Days after the first capture for the decision, the year for the follow-up; no clinician's name (the header's
    operator is left out too, unless the settings ask)."""
    lid, day = reviewed_urgent(register, tmp_path)
    first, *rest = report(register, lid, tmp_path, deidentified=True)
    days = (day - dt.date(2026, 3, 10)).days
    said = first.split("Risk tier: URGENT", 1)[1].split("Melanoma (mel)", 1)[0]
    follow_up = f"Next follow-up: {months_after(day, 3).year} (3 months, clinician's decision)"
    assert f"Decision: monitor, re-check in 3 months, {days} days after the first capture {follow_up}" in said
    everything = " ".join([first, *rest])
    assert "Dr Fresh" not in everything and not re.search(r"\d{1,2} [A-Z][a-z]{2} 20\d\d", everything)
    assert "Clinician notes Notes are left out of a de-identified report." in everything


def test_a_refer_result_answered_monitor_by_tier_says_where_its_interval_comes_from(
    register: Register, tmp_path: Path
) -> None:
    """A REFER result answered 'monitor' with the re-check left to the tier: page 1 said "Decision: monitor" and "Next
    follow-up: ... (3 months)" while the tier key gives REFER no interval; now both say where the 3 months come from."""
    lid = lesion_with_results(register, tmp_path, ["refer"])
    (capture,) = register.captures.for_lesion(lid)
    register.captures.review("Dr Fresh", capture.id, "monitor", "", None)
    day = dt.date.fromisoformat(local_day(register.audit.entries("capture", capture.id)[0].at) or "")
    first, *_ = report(register, lid, tmp_path)
    decision = f"Decision: monitor, re-check as the tier suggests, by Dr Fresh on {human_date(day.isoformat())}"
    due = human_date(months_after(day, 3).isoformat())
    follow_up = f"Next follow-up: {due} (3 months: the re-check for a REFER result answered 'monitor')"
    assert f"{decision} {follow_up}" in first
