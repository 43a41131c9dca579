"""A list item in clinician notes that wraps goes on under its text, not under its mark, as a word processor hangs
it: "- refer to dermatology with ..." went on under the "-", and so did "* " and "1. " items. Now each wrapped line
starts under the item's first word, at any indentation and on the notes' first line (beside "Notes:") too; a line
that is no list item wraps under its own start as before. Real PDFs from the report builder, words' places read back
with pdftotext -bbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reports.test_notes_label_indent import Word, line_starting, words
from tests.reports.test_notes_lines import report

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")

LONG = "with the photographs, the measurements from both visits and a letter to the practice that referred her"
NOTES = (
    f"- first {LONG}\nPlan:\n- dash {LONG}\n* star {LONG}\n  12. number {LONG}\n    2) bracket {LONG}\n"
    f"-not a list item, no space after its dash, {LONG}"
)


def hangs(drawn: list[Word], first: str, after: int) -> tuple[float, float]:
    """The left of the item's first word ``first`` and of the first word its line wrapped to."""
    at, word = line_starting(drawn, first, after)
    wrapped = next(w for w in drawn[at:] if w[2] > word[2] + 1)
    return word[1], wrapped[1]


def test_a_wrapped_list_item_goes_on_under_its_text(tmp_path: Path) -> None:
    drawn = words(report(NOTES), tmp_path)
    notes = line_starting(drawn, "Notes:", line_starting(drawn, "Decision:")[0])[0]
    for first in ("first", "dash", "star", "number", "bracket"):
        text, wrapped = hangs(drawn, first, notes)
        assert wrapped == pytest.approx(text, abs=0.2), f"the item '{first} ...' went on elsewhere than under its text"
        mark = drawn[line_starting(drawn, first, notes)[0] - 1]
        assert mark[1] < text - 3  # its mark before it, hanging out
    start, wrapped = hangs(drawn, "-not", notes)  # no list item: under its own start
    assert wrapped == pytest.approx(start, abs=0.2)
    plan = line_starting(drawn, "Plan:", notes)[1]
    assert drawn[line_starting(drawn, "dash", notes)[0] - 1][1] == pytest.approx(plan[1], abs=0.2)  # as typed
