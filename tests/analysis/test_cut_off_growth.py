"""A lesion cut off by the frame that grew never reads as shrinking, nor as "no significant change" where the part
both images show changed by several per cent.

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
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion

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
    assert r.reasons[0] == "size changed where both images show the lesion (13% less area there)", r.reasons
    assert any("it may have grown beyond the edge or got smaller" in reason for reason in r.reasons), r.reasons
    assert "Shrinking counts" not in r.reasons[-1] and "a clinician should look at both images" in r.reasons[-1]


def test_grown_20_percent_under_long_term_rules_cannot_tell_and_says_what_changed(baseline: np.ndarray) -> None:
    r = compare(baseline, pale_centred(0.2), interval_days=200)
    assert r.verdict == "cannot tell" and r.cut_off, r.reasons
    assert not any("shrank" in reason or "no significant change" in reason for reason in r.reasons), r.reasons
    assert r.reasons[0].startswith("cannot tell: where both images show the lesion its area changed by -13%")
    assert "reaches the edge of the image" in r.reasons[0]


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
