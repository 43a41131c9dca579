"""A line that must stay one (a page header's lesion name) is cut at its end with "…": the longest start that fits,
found by halving, so that a label of thousands of characters costs a few width measurements per page, not one per
character (the lesion report of a 4,000-character label took seconds a page)."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from dermadesk.reports.common import cut_to


@pytest.mark.parametrize("text", ["Lesion 1 · left scapula · posterior torso (left), mole by the strap", "x" * 5000])
def test_the_longest_start_that_fits_with_an_ellipsis(text: str) -> None:
    room = 150.0
    cut = cut_to(text, "Helvetica", 9, room)
    assert cut.endswith("…") and text.startswith(cut[:-1].rstrip())
    assert pdfmetrics.stringWidth(cut, "Helvetica", 9) <= room
    one_more = text[: len(cut[:-1]) + 1].rstrip() + "…"
    assert pdfmetrics.stringWidth(one_more, "Helvetica", 9) > room  # nothing more would have fitted


def test_a_text_that_fits_is_whole() -> None:
    assert cut_to("Lesion 2 · chest", "Helvetica", 9, 150.0) == "Lesion 2 · chest"
