"""A lesion cut off by the frame that grew never reads as shrinking, nor as "no significant change" where the part
both images show changed by several per cent; its changes are said to be of the part both images show, more area
as less ("35% more area where both images show the lesion", never "area grew by 35%"), and its diameter, whose whole
length is out of view, is never given as the lesion's. The verdicts are those of a lesion in view: only words differ.

The lesion fills most of the view, its paler centre in view and its pigmented rim running off the frame (as HAM10000
ISIC_0031967's outline, whose centre lies outside it). Grown evenly about its centre, its pigment moves beyond the
frame, so less of it lies where both images show it: grown 20 % it read "area shrank by 13%" (significant), grown
10 % "no significant change where both images show the lesion" with the area there -6 %.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from dermadesk.analysis.change import compare
from dermadesk.analysis.change_verdict import ChangeResult, judge
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.domain.text import EDGE_OF_IMAGE

SIZE = (320, 240)
CENTRE = (200.0, 180.0)  # the lesion's centre, in its paler part, towards the lower right of the view
SPEC = LesionSpec(seed=1, radius=1.0)  # radius 240 px: the pigment runs off the top and left of the view
PALE = 130.0  # radius of the paler centre (skin), reaching the right and bottom edges


def pale_centred(growth: float) -> np.ndarray:
    """The lesion grown by ``growth`` of its area (pigment and paler centre alike), on the same skin."""
    scale = float(np.sqrt(1 + growth))
    lesion = synthetic_lesion(LesionSpec(seed=SPEC.seed, radius=SPEC.radius, scale=scale), *SIZE, center=CENTRE)
    skin = synthetic_lesion(SPEC, *SIZE, center=(-1e5, -1e5))  # the same skin, no lesion in view
    yy, xx = np.mgrid[0 : SIZE[1], 0 : SIZE[0]]
    centre = (np.hypot(xx - CENTRE[0], yy - CENTRE[1]) <= PALE * scale).astype(np.float32)
    soft = cv2.GaussianBlur(centre, (0, 0), 2)[..., None]
    return (lesion * (1 - soft) + skin * soft).astype(np.uint8)


@pytest.fixture(scope="module")
def baseline() -> np.ndarray:
    return pale_centred(0.0)


def test_grown_20_percent_flagged_without_saying_it_shrank(baseline: np.ndarray) -> None:
    r = compare(baseline, pale_centred(0.2), interval_days=90)
    assert r.alignment is not None and r.alignment.ok and r.cut_off, r.reasons
    assert r.area_change_percent is not None and r.area_change_percent <= -10  # less of it in view: the case at hand
    assert r.verdict == "significant", r.reasons  # still flagged: the part both images show changed
    assert not any("shrank" in reason for reason in r.reasons), r.reasons
    assert r.reasons[0] == "13% less area where both images show the lesion", r.reasons
    assert any("it may have grown beyond the edge or got smaller" in reason for reason in r.reasons), r.reasons
    assert "Shrinking counts" not in r.reasons[-1] and "a clinician should look at both images" in r.reasons[-1]


def test_grown_20_percent_under_long_term_rules_cannot_tell_and_says_what_changed(baseline: np.ndarray) -> None:
    r = compare(baseline, pale_centred(0.2), interval_days=200)
    assert r.verdict == "cannot tell" and r.cut_off, r.reasons
    assert not any("shrank" in reason or "no significant change" in reason for reason in r.reasons), r.reasons
    assert r.reasons[0].startswith("cannot tell: 13% less area where both images show the lesion, and the lesion ")
    assert "reaches the edge of the image" in r.reasons[0]
    # the figures: the area of the part in view, no diameter (that of the part in view is not the lesion's)
    assert r.reasons[1] == f"13% less area where both images show the lesion, diameter not known ({EDGE_OF_IMAGE})"
    assert sum("13% less area" in reason for reason in r.reasons) == 2 and "-13%" not in " ".join(r.reasons)


def test_grown_10_percent_is_not_no_significant_change(baseline: np.ndarray) -> None:
    r = compare(baseline, pale_centred(0.1), interval_days=90)
    assert r.verdict == "cannot tell" and r.cut_off, r.reasons
    assert r.area_change_percent is not None and -10 < r.area_change_percent <= -5
    assert not any("no significant change" in reason for reason in r.reasons), r.reasons
    assert "reaches the edge of the image" in r.reasons[0] and "re-image with the whole lesion" in r.reasons[0]


def test_unchanged_still_no_significant_change_where_both_show_it(baseline: np.ndarray) -> None:
    relit = np.clip(baseline.astype(np.float32) * 1.06, 0, 255).astype(np.uint8)
    r = compare(baseline, relit, interval_days=90)
    assert r.verdict == "cannot tell" and r.cut_off and abs(r.area_change_percent or 0.0) < 5, r.reasons
    assert r.reasons[0].startswith("no significant change where both images show the lesion, but the lesion reaches")


def off_the_right_edge(growth: float) -> np.ndarray:
    """A lesion whose centre is in view and whose right part runs off the right edge, grown by ``growth`` of its
    area: more of it comes into the part both images show (some grows beyond the edge)."""
    return synthetic_lesion(LesionSpec(seed=11, scale=float(np.sqrt(1 + growth))), center=(560.0, 225.0))


def test_more_area_in_view_says_where_it_was_measured_and_keeps_its_verdict() -> None:
    base = off_the_right_edge(0.0)
    short = compare(base, off_the_right_edge(0.4), interval_days=90)
    assert short.cut_off and short.verdict == "significant", short.reasons
    area = short.area_change_percent
    assert area is not None and 20 < area < 40  # grown 40 %: less of it in view, the rest beyond the edge
    assert short.reasons[0] == f"{area:.0f}% more area where both images show the lesion", short.reasons
    long = compare(base, off_the_right_edge(0.4), interval_days=200)  # marked enlargement (30 % or more) in view
    assert long.verdict == "significant" and long.reasons[0] == f"marked enlargement: {short.reasons[0]}", long.reasons
    for r in (short, long):
        assert not any("grew" in reason or "symmetrically" in reason for reason in r.reasons), r.reasons
    some = compare(base, off_the_right_edge(0.2), interval_days=200)  # under 30 % long-term: cannot tell, as before
    assert some.verdict == "cannot tell" and some.reasons[0].startswith("cannot tell: "), some.reasons
    assert "% more area where both images show the lesion, and the lesion reaches" in some.reasons[0]
    assert not any("grew" in reason or "+" in reason for reason in some.reasons), some.reasons


def judged(diameter: float, cut_off: bool) -> ChangeResult:
    """Short-term, the area steady and the longest diameter changed by ``diameter`` % (as HAM10000 ISIC_0030565 grown
    x1.4 across beyond the top edge: area -0.6 % in view, diameter of the part in view +17.3 %)."""
    r = ChangeResult(
        "cannot tell", [], None, 90, "short-term", area_change_percent=-0.6, outlined_area_change_percent=-5.7,
        diameter_change_percent=diameter, cut_off=cut_off,
    )  # fmt: skip
    judge(r, 0.9, None, np.zeros(16))
    return r


def test_a_cut_off_lesions_diameter_is_never_given_as_the_lesions_own() -> None:
    longer, shorter, whole = judged(17.3, True), judged(-17.3, True), judged(17.3, False)
    assert longer.verdict == shorter.verdict == whole.verdict == "significant"  # the rule fires as for any lesion
    assert whole.reasons[0] == "longest diameter changed by +17%", whole.reasons
    unknown = f"{EDGE_OF_IMAGE}, so its whole diameter is not known"
    assert longer.reasons[0] == f"17% longer diameter where both images show the lesion; {unknown}", longer.reasons
    assert shorter.reasons[0] == f"17% shorter diameter where both images show the lesion; {unknown}", shorter.reasons
    for r in (longer, shorter):
        assert "here the longest diameter where both images show the lesion changed by 15% or more" in r.reasons[-1]
        assert "Shrinking counts" not in r.reasons[-1] and not any("%, diameter" in x for x in r.reasons), r.reasons
    quiet = judged(4.0, True)  # nothing fired: cannot tell, its figures without a diameter of the part in view
    assert quiet.verdict == "cannot tell" and quiet.reasons[0].startswith("no significant change where both images")
    # under 1 %: to one decimal, as measured (whole percent wrote "1% less area")
    assert quiet.reasons[1] == f"0.6% less area where both images show the lesion, diameter not known ({EDGE_OF_IMAGE})"
