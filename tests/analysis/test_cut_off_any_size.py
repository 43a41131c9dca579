"""A comparison's "lesion runs off the edge" rule gives the same verdict whatever the captures' pixel size.

Each lesion is drawn once at 1200x900 and shrunk to 600x450 and 200x150, as a camera with fewer pixels would show
it, then compared with the same view relit. Measured on the captures' own pixels the rule was not scale-free: its
margin along the edge is 2.7 % of a 150 px side but 0.8 % of 768, and outlines enlarged from segmentation's copies
are counted short along the edge (see ``framing``).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from dermadesk.analysis.change import compare
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion

SIZES = ((200, 150), (600, 450), (1200, 900))


def verdicts_at_three_sizes(seed: int, centre: tuple[float, float]) -> dict[tuple[int, int], tuple[str, bool, str]]:
    """(verdict, cut off, first reason) of the lesion compared with itself relit, at each of SIZES."""
    large = synthetic_lesion(LesionSpec(seed=seed), *SIZES[-1], center=centre)
    out = {}
    for size in SIZES:
        image = large if size == SIZES[-1] else cv2.resize(large, size, interpolation=cv2.INTER_AREA)
        relit = np.clip(image.astype(np.float32) * 1.08, 0, 255).astype(np.uint8)
        result = compare(image, relit, interval_days=90)
        assert result.alignment is not None and result.alignment.ok, (size, result.reasons)
        out[size] = (result.verdict, result.cut_off, result.reasons[0])
    return out


def test_lesion_clear_of_the_edge_cleared_at_every_size() -> None:
    found = verdicts_at_three_sizes(5, (600.0, 660.0))  # its lowest point 3 % of the image above the bottom edge
    assert all(verdict == "not significant" and not cut for verdict, cut, _ in found.values()), found


def test_lesion_ending_just_short_of_the_edge_gets_one_verdict_at_every_size() -> None:
    """Its lowest point 0.4 % of the image above the bottom edge: within the rule's margin along the edge, whose
    width was pixels (before: refused at 200x150, cleared at 600x450 and 1200x900)."""
    found = verdicts_at_three_sizes(5, (600.0, 690.75))
    assert len(set(found.values())) == 1, found
    verdict, cut, reason = found[SIZES[0]]
    assert cut and verdict == "cannot tell" and "reaches the edge of the image" in reason, found


@pytest.mark.parametrize(
    ("seed", "centre"),
    [
        (21, (184.0, 450.0)),  # 6 % of its outline beyond the left edge (before: cleared at 600x450 only)
        (5, (600.0, 697.5)),  # 3 % of its outline beyond the bottom edge (before: cleared at 1200x900 only)
    ],
)
def test_lesion_cut_by_the_frame_refused_at_every_size(seed: int, centre: tuple[float, float]) -> None:
    found = verdicts_at_three_sizes(seed, centre)
    for size, (verdict, cut, reason) in found.items():
        assert cut and verdict == "cannot tell" and "reaches the edge of the image" in reason, (size, found)
