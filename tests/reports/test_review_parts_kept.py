"""The lesion report's "Clinician notes" and "Reviews" never split at a page's end (helper 167): the "Reviews"
heading and its intro sat at the foot of a page with the one entry alone on the next; "Decision: ..." ended a page and
"Next follow-up: ..." began the next (they now stand under the tier, still on one page). Each heading is kept with
what it says first; long notes run on to the next page (they do not leave the rest of a page empty). The result's
reasons grow sentence by sentence, moving everything below them down, until the decision and both parts have crossed
a page's end (as tests/reports/test_tier_key_page.py moves the tiers' key); at every step each part's pieces share a
page, read back from the PDF's text page by page."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from dermadesk.contract import RECOMMENDATIONS
from dermadesk.domain.follow_up import FollowUp
from dermadesk.domain.records import Assessment, Capture
from dermadesk.reports.data import LesionReportData, PatientInfo, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report
from tests.conftest import lesion_jpeg

NOTES = "Seen with the patient; she will photograph it monthly."
LONG_NOTES = " ".join(
    f"Note {i:02d}: the border looked even and the colour the same as before, no itch, no bleeding." for i in range(25)
)


def lesion_report(reason: int, notes: str = NOTES) -> list[str]:
    """A MONITOR result, two captures ('refer' then 'monitor', each with notes), a flag that stands and the next
    follow-up; ``reason`` sentences of why under the result. The text of each page."""
    image = lesion_jpeg(3)
    a = Assessment(model_name="tiny", model_version="1.0", provider="CPU", probabilities={"nv": 0.9, "mel": 0.1},
                   top_class="nv", malignant_probability=0.1, melanoma_probability=0.1, risk_tier="monitor",
                   recommendation=RECOMMENDATIONS["monitor"])  # fmt: skip
    why = " ".join(["The melanoma probability is below its threshold but the malignant one is close to it."] * reason)
    visits = [
        VisitData(Capture(i, 1, f"2026-0{i}-16", "ab" * 32, 96, 96, len(image), "JPEG",
                          decision="monitor" if i == 2 else "refer",
                          clinician_notes=notes if i == 2 else "Earlier note: flat, even brown."),
                  a, image, tier_reason=why)
        for i in (1, 2)
    ]  # fmt: skip
    head = ReportHeader("Northside Dermatology, tel. 0161 555 0142", None, "Nurse", "24 Nov 2026 10:12", "A4")
    data = LesionReportData(head, PatientInfo("Kim Key", "K-1", None, None), 1, "anterior torso", "", "monitoring",
                            None, None, None, visits, None, None, lesion_number=1, flag="⚠ CHANGED",
                            flag_why="significant change on 16 Feb 2026; not yet answered by a clinician's decision",
                            next_follow_up=FollowUp(due=dt.date(2026, 5, 16), interval="3 months"))  # fmt: skip
    pdf = build_lesion_report(data)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def page_of(pages: list[str], pattern: str) -> int:
    """The one page ``pattern`` (a regular expression) is found on."""
    found = [i for i, text in enumerate(pages) if re.search(pattern, text)]
    assert len(found) == 1, f"{pattern!r} on pages {found}"
    return found[0]


REVIEWS = r"(?<!“)\bReviews\b(?!”)"  # the heading (page 1's line names “Reviews” in quotes)


def test_the_decision_part_and_the_reviews_part_each_stay_on_one_page() -> None:
    decided, reviewed = set(), set()
    for reason in range(34, 58):  # the decision crosses page 1's end on the way, both parts page 2's
        pages = lesion_report(reason)
        heading = page_of(pages, "Clinician notes")
        decision = page_of(pages, "Decision: monitor")
        assert page_of(pages, r"Next follow-up: 16 May 2026 \(3 months\)") == decision, f"{reason}: next follow-up"
        assert page_of(pages, re.escape(NOTES)) == heading, f"{reason}: the notes left their heading"
        decided.add(decision)
        reviews = page_of(pages, REVIEWS)
        assert page_of(pages, "CHANGED: significant change on 16 Feb 2026") == reviews, f"{reason}: the flag"
        assert page_of(pages, r"\(2 captures\), newest first") == reviews, f"{reason}: the intro"
        first = page_of(pages, r"16 Feb 2026 \(this visit, its notes above\): decision monitor")
        assert first == reviews, f"{reason}: the first entry alone on the next page"
        reviewed.add(reviews)
    assert decided == {0, 1} and reviewed == {1, 2}  # each crossed the end of a page


def test_long_notes_run_on_to_the_next_page_under_their_heading() -> None:
    """The heading and the notes' first lines at the foot of a page; the rest of
    the notes on the next (not all of it moved there, leaving the page's foot empty)."""
    ran_on = 0
    for reason in range(20, 50, 6):
        pages = lesion_report(reason, LONG_NOTES)
        heading = page_of(pages, "Clinician notes")
        assert page_of(pages, "Decision: monitor") == page_of(pages, "Next follow-up: 16 May") <= heading
        assert page_of(pages, "Note 00: the border") == heading, f"{reason}: the notes left their heading"
        if page_of(pages, "Note 24: the border") == heading + 1:
            ran_on += 1
            assert page_of(pages, "Trend over visits") == heading  # run on from where they start, not moved
    assert ran_on >= 2
