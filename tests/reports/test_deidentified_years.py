"""A de-identified report says a date of care by its year in words that read as a year (walkthrough 25: "Decision:
refer, on 2026, 561 days after the first capture"; last session "since the reviewed capture of 2026"): every phrase
``year_only`` turns, and the decision's day said by the days since the first capture alone."""

from __future__ import annotations

import pytest

from dermadesk.reports.common import year_only


@pytest.mark.parametrize(
    "dated, years",
    [
        ("earlier result URGENT on 10 Mar 2026 without a recorded decision", "earlier result URGENT in 2026 without a "
         "recorded decision"),
        ("area grew by 44% since the reviewed capture of 2 Jun 2026", "area grew by 44% since the reviewed capture "
         "taken in 2026"),
        ("18% more area since the capture of 5 Jan 2026", "18% more area since the capture taken in 2026"),
        ("decision refer on the 2 Sep 2026 capture, the lesion not marked referred yet", "decision refer on the "
         "capture taken in 2026, the lesion not marked referred yet"),
        ("Clinician's decision: monitor (on the 3 Nov 2026 capture), after the significant change since 25 Aug 2026",
         "Clinician's decision: monitor (on the capture taken in 2026), after the significant change since 2026"),
        ("follow-up was due 8 Jun 2026 (3-month re-check)", "follow-up was due in 2026 (3-month re-check)"),
        ("reviewed on 30 Mar 2026 (decision monitor)", "reviewed in 2026 (decision monitor)"),
        ("the REFER result of 17 Nov 2025", "the REFER result from 2025"),
        ("2026-06-08 (3 months)", "2026 (3 months)"),
    ],
)  # fmt: skip
def test_each_dated_phrase_reads_by_its_year(dated: str, years: str) -> None:
    assert year_only(dated) == years
    assert " of 20" not in year_only(dated) and "on 20" not in year_only(dated)
