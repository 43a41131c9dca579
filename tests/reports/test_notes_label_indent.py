"""Clinician notes in the lesion report are labelled and keep the indentation they were typed with: in "Clinician
notes and decision" they stood under "Decision:" and "Next follow-up:" with no word of what they were, and in
"Reviews" under an entry's decision; an indented list ("Plan:" / "  - refer to dermatology" / "    - photo sent")
printed flush left, its levels lost. Now "Notes:" leads them, as "Decision:" leads the decision, their further lines
under their first (a hanging indent), each indented as typed (a tab as four spaces). Real PDFs: words' places read
back with pdftotext -bbox, text with pypdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from dermadesk.domain.text import typed_lines
from dermadesk.reports.common import FONT, register_fonts
from tests.reports.test_notes_lines import report
from tests.services.test_standing import pdf_text

LATEST = "Grown since January.\nPlan:\n  - refer to dermatology\n    - photo sent with referral\n  - review in 2 weeks"
EARLIER = "Flat, even brown.\nDifferential:\n  - benign naevus\n\tcheck border next time"

Word = tuple[str, float, float]  # text, left, top (points from the page's top)

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")


def words(pdf: bytes, tmp_path: Path) -> list[Word]:
    """Every word the report draws, in reading order, with its left edge and top (pages one after another)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found: list[Word] = []
    for page, body in enumerate(xml.split("<page ")[1:]):
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', body):
            found.append((text, float(x), page * 10_000 + float(y)))
    return found


def body_text(pdf: bytes) -> str:
    """The text of the report's pages, one after another, without each page's header and footer (which pypdf reads
    before the page's body): a block that runs on to the next page reads as one."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(re.split(r"Page \d+ of \d+ ?", " ".join(p.extract_text().split()), maxsplit=1)[-1] for p in pages)


def space() -> float:
    """A space's width in the body's 9 pt face."""
    register_fonts()
    return stringWidth(" ", FONT, 9)


def line_starting(drawn: list[Word], first: str, after: int = 0) -> tuple[int, Word]:
    """The first word ``first`` at or after ``after`` (an index into ``drawn``), with its index."""
    at = next(i for i in range(after, len(drawn)) if drawn[i][0] == first)
    return at, drawn[at]


def test_notes_are_labelled_with_their_lines_under_the_first(tmp_path: Path) -> None:
    pdf = report(LATEST, EARLIER)
    text = pdf_text(pdf)
    part = text.split("Clinician notes", 1)[1].split("Reviews", 1)[0]  # the decision: under the tier on page 1
    assert part.startswith(" Notes: Grown since January. Plan:") and "Decision: not recorded" not in part
    reviews = text.split("Reviews", 1)[1]
    assert (
        "16 Jan 2026: decision monitor, re-check as the tier suggests Notes: Flat, even brown. Differential:" in reviews
    )

    drawn = words(pdf, tmp_path)
    at, decision = line_starting(drawn, "Decision:")
    at, label = line_starting(drawn, "Notes:", line_starting(drawn, "Clinician", at)[0])
    first, plan = drawn[at + 1], line_starting(drawn, "Plan:", at)[1]
    assert label[1] == pytest.approx(decision[1]) and label[2] > decision[2]  # at the margin "Decision:" is at
    assert first[0] == "Grown" and first[2] == pytest.approx(label[2])  # the notes' first line beside it
    assert plan[1] == pytest.approx(first[1], abs=0.2) and plan[1] > label[1] + 20  # the next under the first
    at, label = line_starting(drawn, "Notes:", line_starting(drawn, "Reviews")[0])  # the earlier capture's
    assert drawn[at + 1][0] == "Flat," and line_starting(drawn, "Differential:", at)[1][1] == pytest.approx(
        drawn[at + 1][1], abs=0.2
    )


def test_lines_keep_the_indentation_they_were_typed_with(tmp_path: Path) -> None:
    drawn, width = words(report(LATEST, EARLIER), tmp_path), space()
    at, plan = line_starting(drawn, "Plan:")
    levels = {}
    for first_word in ("refer", "photo", "review"):
        i = line_starting(drawn, first_word, at)[0]
        assert drawn[i - 1][0] == "-"  # "- refer to dermatology": the dash begins the line
        levels[first_word] = (drawn[i - 1][1] - plan[1]) / width  # in spaces, beyond the line typed flush
    assert levels == pytest.approx({"refer": 2, "photo": 4, "review": 2}, abs=0.05)
    at, differential = line_starting(drawn, "Differential:", line_starting(drawn, "Reviews")[0])
    naevus = line_starting(drawn, "benign", at)[0] - 1
    check = line_starting(drawn, "check", at)[1]
    assert (drawn[naevus][1] - differential[1]) / width == pytest.approx(2, abs=0.05)
    assert (check[1] - differential[1]) / width == pytest.approx(4, abs=0.05)  # a tab: four spaces


def test_no_notes_say_so_under_the_same_label() -> None:
    text = body_text(report(""))
    assert "Clinician notes Notes: none Reviews" in text and "No notes." not in text


def test_indentation_is_kept_from_the_first_line_and_blank_lines_around_are_dropped() -> None:
    assert typed_lines("\n\n  - first\n\tsecond\n\n") == [(2, "- first"), (4, "second")]
    assert typed_lines(" \t- mixed") == [(4, "- mixed")]  # a tab to the next stop of four
