"""The demo's lesions sit on the side of the body their labels name (issue 16: "left scapula" on the right)."""

from __future__ import annotations

import pytest

from dermadesk.domain.bodymap import patient_side
from dermadesk.services.demo import DEMO


def test_patient_side_follows_the_view() -> None:
    assert patient_side("front", 0.7) == "left" and patient_side("front", 0.3) == "right"
    assert patient_side("back", 0.3) == "left" and patient_side("back", 0.7) == "right"
    assert patient_side("back", 0.5) == "midline"


@pytest.mark.parametrize("lesion", [les for *_, lesions in DEMO for les in lesions], ids=lambda les: les.label)
def test_demo_lesion_on_the_side_its_label_names(lesion) -> None:
    for side in ("left", "right"):
        if lesion.label.startswith(side):
            assert patient_side(lesion.view, lesion.x) == side
