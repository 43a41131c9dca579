"""The lesion report tells a referrer who reviewed the lesion and why it is flagged (walkthrough 24: a lesion reviewed
'monitor' twice and flagged ⚠ CHANGED for its growth since the reviewed capture printed "Decision: not recorded / No
notes." (the latest capture's), "NOT ASSESSABLE" under each earlier thumbnail, and no word of the change since the
reviewed capture). Its "Reviews" part gives the flag (in a report's words: test_report_flag_words.py) and every
decision with its notes, newest first; each earlier thumbnail says its decision; a sixth thumbnail ran 7 mm past the
right margin, and now a row of any length stays between the margins. Real register and comparisons, real PDFs read
back with pypdf (drawn image boxes from the page's content stream) and rendered with pdftoppm."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.records import Capture
from dermadesk.reports.common import page_size
from dermadesk.reports.data import LesionReportData, PatientInfo, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services.attention import lesion_flag, report_flag
from dermadesk.services.register_ops import review_capture
from dermadesk.services.reports import lesion_report_data
from dermadesk.storage.register import Register
from tests.services.test_significant_change import grown_lesion, visit
from tests.services.test_standing import pdf_text

MARGIN = 15 * mm  # the report's left and right margins: the header's rule runs between them

BY_TIER = "re-check as the tier suggests"  # a 'monitor' decision that left the interval to the tier's


def reviewed_lesion(register: Register, tmp_path: Path) -> tuple[int, list[int]]:
    """Walkthrough 24's lesion: a baseline (10 Jan 2026), reviewed 'monitor' on 3 Mar and 2 Jun with notes, grown
    by 2 Sep (not reviewed): ⚠ CHANGED for its growth since the reviewed capture of 2 Jun. Its captures' ids."""
    lid = grown_lesion(register, tmp_path)
    follow = register.captures.for_lesion(lid)[-1].id
    review_capture(register, "Dr Rev", follow, "monitor", "reviewed, re-check 3 months")
    same = visit(register, lid, tmp_path, 60, "2026-06-02")
    review_capture(register, "Dr Rev", same, "monitor", "unchanged since March; keep watching")
    visit(register, lid, tmp_path, 72, "2026-09-02")
    return lid, [c.id for c in register.captures.for_lesion(lid)]


def test_the_report_gives_the_flag_and_every_review_newest_first(register: Register, tmp_path: Path) -> None:
    lid, ids = reviewed_lesion(register, tmp_path)
    flag, why = lesion_flag(register, lid)
    assert flag == "⚠ CHANGED" and "since the reviewed capture of 2 Jun 2026" in why  # the situation reported
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert "Decision: not recorded" in text.split(" Reviews ", 1)[0]  # the visit reported (2 Sep) has none
    reviews = text.split(" Reviews ", 1)[1].split("About the model", 1)[0]  # the heading (page 1 names it “Reviews”)
    assert reviews.startswith(f"{flag}: {report_flag(register, lid)[1]}")  # the flag and why, in a report's words
    saved = human_date(local_day(register.audit.entries("capture", ids[2])[0].at) or "")
    june = f"2 Jun 2026: decision monitor, {BY_TIER}, by Dr Rev on {saved} Notes: unchanged since March; keep watching"
    march = f"3 Mar 2026: decision monitor, {BY_TIER}, by Dr Rev on {saved} Notes: reviewed, re-check 3 months"
    assert june in reviews and march in reviews and reviews.index(june) < reviews.index(march)  # newest first
    assert "(2 captures), newest first" in reviews and "10 Jan 2026" not in reviews  # no review: not listed
    earlier = text.split("Earlier captures (3, oldest first)", 1)[1].split("Trend over visits", 1)[0]
    assert "10 Jan 2026 (baseline) not assessed 3 Mar 2026 not assessed Decision: monitor" in earlier
    assert "2 Jun 2026 not assessed Decision: monitor" in earlier
    review_capture(register, "Dr Rev", ids[-1], "monitor", "")  # answered: no flag stands, the review is listed
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    reviews = text.split("Reviews", 1)[1]  # no flag: no line on page 1 names the part
    assert reviews.startswith(" No ⚠ flag stands on this lesion (status: monitoring).") and "⚠ CHANGED" not in text
    assert f"2 Sep 2026 (this visit): decision monitor, {BY_TIER}, by Dr Rev on {saved}" in reviews


def test_the_de_identified_report_keeps_the_reviews_without_notes_names_or_dates(
    register: Register, tmp_path: Path
) -> None:
    lid, _ = reviewed_lesion(register, tmp_path)
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=True)))
    reviews = text.split(" Reviews ", 1)[1]  # the heading (page 1 names it “Reviews”)
    assert reviews.startswith("⚠ CHANGED: significant change in 2026 (area grew by 44% since the reviewed capture")
    # 2 Jun, by no name; when it was decided by the days alone ("on 2026, ..." read as a date that is none)
    assert re.search(
        rf"2026, 143 days after the first capture: decision monitor, {BY_TIER}, \d+ days after the first", reviews
    )
    assert "reviewed capture taken in 2026" in reviews  # not "of 2026"
    assert "Notes are left out of a de-identified report." in reviews
    for private in ("re-check 3 months", "keep watching", "Dr Rev", "2 Jun 2026", "3 Mar 2026"):
        assert private not in text


def test_the_de_identified_report_points_at_no_notes_it_left_out(register: Register, tmp_path: Path) -> None:
    """The visit reported, reviewed with notes: its review said "(this visit, its notes above)" where the
    de-identified report printed "Notes are left out of a de-identified report." instead of them; now "(this visit)"
    (the report with names keeps pointing at the notes it prints above)."""
    lid, ids = reviewed_lesion(register, tmp_path)
    review_capture(register, "Dr Rev", ids[-1], "monitor", "grown a little; Mrs Smith asks for a photo")
    text = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=True)))
    notes = text.split("Clinician notes", 1)[1].split(" Reviews ", 1)[0]
    assert "Notes are left out of a de-identified report." in notes and "Mrs Smith" not in text
    reviews = text.split(" Reviews ", 1)[1]
    assert re.search(r"\(this visit\): decision monitor", reviews) and "notes above" not in text
    named = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert "2 Sep 2026 (this visit, its notes above): decision monitor" in named and "Mrs Smith" in named


def jpeg(seed: int, width: int, height: int) -> bytes:
    return jpeg_bytes(synthetic_lesion(LesionSpec(seed=seed), width, height))


def report(paper: str, visits: list[VisitData]) -> bytes:
    data = LesionReportData(
        ReportHeader("Clinic", None, "Nurse", "22 Nov 2026 10:00", paper),
        PatientInfo("Row Wide", "R-1", "1970-01-01", "female"),
        1, "posterior torso", "", "monitoring", "back", 0.4, 0.3, visits, None, None, lesion_number=1,
    )  # fmt: skip
    return build_lesion_report(data)


def image_boxes(pdf: bytes) -> list[tuple[int, float, float]]:
    """(page, left, right) in points of every image drawn, from the pages' content streams (each ``cm`` applied)."""
    reader, boxes = PdfReader(io.BytesIO(pdf)), []
    for number, page in enumerate(reader.pages):
        xobjects = page["/Resources"].get("/XObject", {})
        ctm, saved = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                saved.append(ctm)
            elif op == b"Q":
                ctm = saved.pop()
            elif op == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                p, q, r, s, t, u = ctm
                ctm = [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]
            elif op == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                xs = [ctm[4], ctm[4] + ctm[0], ctm[4] + ctm[2], ctm[4] + ctm[0] + ctm[2]]
                boxes.append((number, min(xs), max(xs)))
    return boxes


def assert_nothing_past_the_margin(pdf: bytes, paper: str, folder: Path) -> None:
    """Every page rendered (pdftoppm, 100 dpi): white right of the right margin, and not blank left of it."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-gray", str(folder / "report.pdf"), str(folder / "page")],
                   check=True, timeout=60)  # fmt: skip
    pages = sorted(folder.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    edge = round((page_size(paper)[0] - MARGIN) / 72 * 100) + 2  # 2 px (0.5 mm) right of the margin
    for png in pages:
        grey = np.asarray(Image.open(png), dtype=int)
        assert (grey[:, edge:] > 230).all(), f"{png.name}: something printed past the right margin"
        assert (grey[:, : edge - 2] < 200).mean() > 0.005, f"{png.name} looks blank"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_seven_earlier_captures_stay_between_the_margins(paper: str, tmp_path: Path) -> None:
    """Eight captures, wide images (each thumbnail as wide as its column lets it): the earlier seven in a row of six
    and one more, every picture drawn between the margins, and nothing printed right of the right margin."""
    days = [f"2025-{m:02d}-10" for m in range(1, 9)]
    visits = [
        VisitData(Capture(i + 1, 1, day, f"{i:02d}" * 32, 400, 200, 1, "JPEG", decision="monitor" if i else None),
                  None, jpeg(i, 400, 200))
        for i, day in enumerate(days)
    ]  # fmt: skip
    pdf = report(paper, visits)
    width = page_size(paper)[0]
    boxes = image_boxes(pdf)
    thumbnails = [b for b in boxes if b[2] - b[1] < 35 * mm]  # the visit's own capture is 62 mm wide
    assert len(thumbnails) == 7
    assert all(left >= MARGIN - 0.01 and right <= width - MARGIN + 0.01 for _, left, right in boxes), boxes
    assert min(right - left for _, left, right in thumbnails) > 27 * mm  # shrunk by a little, not to a stamp
    text = pdf_text(pdf)
    earlier = text.split("Earlier captures (7, oldest first)", 1)[1].split("Trend over visits", 1)[0]
    assert earlier.count("Decision: monitor") == 6  # under each earlier capture with one, not the baseline
    assert "10 Jan 2025 (baseline) not assessed 10 Feb 2025 not assessed Decision: monitor" in earlier
    assert_nothing_past_the_margin(pdf, paper, tmp_path)


def test_long_notes_wrap_and_many_reviews_go_on_to_the_next_page(tmp_path: Path) -> None:
    """Forty reviewed captures, each with a long note (one a word longer than a line): every review is printed,
    newest first, across pages, each note whole and inside the margins."""
    day0 = np.datetime64("2022-01-03")
    days = [str(day0 + np.timedelta64(30 * i, "D")) for i in range(40)]
    note = "asymmetric pigment network at the lower pole, " * 8
    image = jpeg(5, 96, 96)
    visits = [
        VisitData(Capture(i + 1, 1, day, f"{i:02d}" * 32, 96, 96, 1, "JPEG", decision="monitor",
                          clinician_notes=f"review {i + 1}: {note}" + ("x" * 300 if i == 20 else "")),
                  None, image)
        for i, day in enumerate(days)
    ]  # fmt: skip
    pdf = report("A4", visits)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    first = next(i for i, page in enumerate(pages) if "Reviews" in page)
    assert any(f"review 1: {note[:40]}" in page for page in pages[first + 1 :])  # the oldest: on a later page
    text = " ".join(pages).split("Clinician notes", 1)[1]  # the visit's own notes, then the reviews
    at = [text.index(f"review {i + 1}: ") for i in range(40)]
    assert at == sorted(at, reverse=True) and text.count("review 40: ") == 1  # newest first, each note once
    reviews = text.split("Reviews", 1)[1]
    assert reviews.count("decision monitor") == 40 and "(this visit, its notes above): decision monitor" in reviews
    assert_nothing_past_the_margin(pdf, "A4", tmp_path)  # the long word too
