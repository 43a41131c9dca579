"""Sites as people read them: the patient's side from the body map, and the map's face where the ISIC site's name
does not say front or back (two lesions on the front and back of one arm read alike before, issue #16)."""

from __future__ import annotations

import pytest

from dermadesk.domain.bodymap import site_with_side


@pytest.mark.parametrize(
    ("site", "view", "x", "after", "before"),
    [
        ("upper extremity", "front", 0.8, "upper extremity (left, front)", "left upper extremity, front"),
        ("upper extremity", "back", 0.8, "upper extremity (right, back)", "right upper extremity, back"),
        ("lower extremity", "back", 0.3, "lower extremity (left, back)", "left lower extremity, back"),
        ("head/neck", "front", 0.5, "head/neck (front)", "head/neck, front"),  # on the midline: the face alone
        ("anterior torso", "front", 0.3, "anterior torso (right)", "right anterior torso"),  # the name says front
        ("posterior torso", "back", 0.5, "posterior torso", "posterior torso"),
        ("oral/genital", "front", 0.3, "oral/genital", "oral/genital"),  # no sides by nature
        ("upper extremity", None, None, "upper extremity", "upper extremity"),  # not placed on the map
    ],
)
def test_site_with_side_and_face(site: str, view: str | None, x: float | None, after: str, before: str) -> None:
    assert site_with_side(site, view, x) == after
    assert site_with_side(site, view, x, before=True) == before
