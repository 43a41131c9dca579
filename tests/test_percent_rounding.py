"""One rounding for every change in percent, half away from zero and from its figure to one decimal
(``domain.text.rounded``): walkthrough 25's report and command line printed "+6.5%" and "+6%" for one change (6.46),
"+6.6%" and "+7%" for another, which read as two rules. The verdict's words, the figures line, the chart's labels and
the change since a reviewed capture all round alike."""

from __future__ import annotations

import numpy as np
import pytest

from dermadesk.analysis.change_verdict import ChangeResult, judge
from dermadesk.domain.text import amount, change_figures, in_view, rounded, signed
from dermadesk.domain.trend import change_text
from dermadesk.services.since_review import new_since_review


@pytest.mark.parametrize(
    "value, places, shown",
    [
        (6.5, 0, 7.0),  # Python's round(6.5) is 6
        (-6.5, 0, -7.0),
        (2.5, 0, 3.0),
        (6.46, 1, 6.5),
        (6.46, 0, 7.0),  # as its "+6.5%" reads, never "+6%" beside it
        (6.44, 0, 6.0),
        (6.63, 0, 7.0),
        (0.05, 1, 0.1),  # float 0.05 is a little above it, 0.15 a little below: both away from zero
        (0.15, 1, 0.2),
        (-0.04, 0, -0.0),
    ],
)
def test_a_change_rounds_half_away_from_zero_from_its_tenth(value: float, places: int, shown: float) -> None:
    assert rounded(value, places) == shown


def test_every_way_a_change_is_written_rounds_alike() -> None:
    assert signed(6.46) == "+7" and signed(6.46, 1) == "+6.5" and signed(-0.04) == "+0" and signed(-0.45) == "-0.5"
    assert amount(-13.44) == "13" and amount(-13.46) == "14" and amount(12.5) == "13"
    assert change_figures(6.46, 1.75, 2.3) == "area +7%, diameter +2%, ΔE 2.3"  # ΔE: one decimal
    assert change_figures(6.46, 1.75, 2.3, places=1) == "area +6.5%, diameter +1.8%, ΔE 2.3"
    assert change_text(6.46) == "+7%" and change_text(-0.04) == "0%" and change_text(2.5) == "+3%"
    assert in_view(-10.5, True).startswith("11% less area")


def test_the_verdicts_words_and_its_figures_agree() -> None:
    """Long-term, the area up 6.46 % (the walkthrough's Lesion 1): "area +7%" in the verdict, as in the figures."""
    r = ChangeResult(
        "cannot tell", [], None, 553, "long-term", area_change_percent=6.46, outlined_area_change_percent=6.0,
        diameter_change_percent=1.79,
    )  # fmt: skip
    judge(r, 0.9, None, np.zeros(16))
    assert r.reasons[0].endswith("): area +7%, diameter +2%"), r.reasons


def test_an_even_long_term_growth_is_said_not_towards_one_side() -> None:
    """Walkthrough 25's Lesion 2: "area grew by 13%, symmetrically" beside "diameter +0%" read as a contradiction; the
    growth was measured not towards one side, which is what is said now, and only of a growth that is."""
    r = ChangeResult(
        "cannot tell", [], None, 553, "long-term", area_change_percent=13.31, outlined_area_change_percent=12.0,
        diameter_change_percent=-0.49,
    )  # fmt: skip
    judge(r, 0.9, None, np.zeros(16))
    assert r.verdict == "not significant" and "area grew by 13%, not towards one side" in r.reasons, r.reasons
    assert not any("symmetrically" in reason for reason in r.reasons)
    shrank = ChangeResult(
        "cannot tell", [], None, 553, "long-term", area_change_percent=-13.5, outlined_area_change_percent=-12.0,
        diameter_change_percent=-4.0,
    )  # fmt: skip
    judge(shrank, 0.9, None, np.zeros(16))
    assert "area shrank by 14%" in shrank.reasons, shrank.reasons


def test_the_change_since_a_reviewed_capture_rounds_alike() -> None:
    since = "since the reviewed capture of 1 Jun 2026"
    grown = new_since_review({"area_change_percent": 21.0}, {"area_change_percent": 0.0}, since)
    assert grown == [f"area grew by 21% {since}"]
    longer = new_since_review(
        {"area_change_percent": 0.0, "diameter_change_percent": 16.5},
        {"area_change_percent": 0.0, "diameter_change_percent": 0.0},
        since,
    )
    assert longer == [f"longest diameter changed by +17% {since}"]  # written as every change is (signed)


@pytest.mark.parametrize(
    "value, written, size",
    [
        (-0.49, "-0.5", "0.5"),  # whole percent wrote "-1%": rounded to -0.5 first, then away from zero
        (0.0, "+0", "0"),
        (-0.04, "+0", "0"),  # no change at one decimal: none, as before
        (0.5, "+0.5", "0.5"),  # not "+1%"
        (0.96, "+1", "1"),  # 1.0 at one decimal: whole percent again
        (-12.3, "-12", "12"),
    ],
)
def test_a_change_under_1_percent_is_written_to_one_decimal_where_whole_percent_are_shown(
    value: float, written: str, size: str
) -> None:
    """A change of -0.49 % read "-1%" in the report's figures, twice what was measured: under 1 % a change is written
    to one decimal, as the command line writes it, and every surface alike."""
    assert signed(value) == written and amount(value) == size and rounded(value) == float(written)
    assert change_figures(value, value, None) == f"area {written}%, diameter {written}%"
    assert change_text(value) == ("0%" if float(written) == 0 else f"{written}%")  # the charts' labels
    shown = in_view(value, True)
    assert shown.startswith("about the same area" if float(written) == 0 else f"{size}% ")
    assert signed(value, 1) == f"{float(f'{value:.1f}') + 0.0:+.1f}"  # one decimal asked: as before
