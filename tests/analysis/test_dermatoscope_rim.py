"""A dark round dermatoscope frame is not the lesion (HAM10000 ISIC_0031967, ISIC_0028560: the outline was the
shaded rim of the round view joined with freckles, 38 % of the image, C-shaped, its centroid outside it).

Synthetic images only: a small lesion in the middle of a round view whose rim is shaded (as wide and as dark as
the ones that fooled the rim rules), with light-brown freckles in the shaded band that join it into one ring.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from dermadesk.analysis.segmentation import RIM_MAX_AREA, SegmentationError, segment
from dermadesk.analysis.synthetic import LesionSpec, lesion_mask, synthetic_lesion

W, H = 400, 300


def round_frame(img: np.ndarray, seed: int, freckles: int = 10) -> np.ndarray:
    """Shade the rim of a round view (to about half the brightness in the corners) and scatter freckles near it."""
    out = img.astype(np.float32)
    rng = np.random.default_rng(seed)
    for _ in range(freckles):
        angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(0.5, 0.7) * W / 2
        centre = (int(W / 2 + dist * np.cos(angle)), int(H / 2 + dist * np.sin(angle)))
        cv2.circle(out, centre, int(rng.integers(6, 12)), (180, 125, 95), -1, cv2.LINE_AA)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    r = np.hypot(xx - W / 2, yy - H / 2) / (W / 2)
    out *= (1 - 0.5 * np.clip((r - 0.4) / 0.5, 0, 1) ** 1.5)[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [1, 4])
def test_a_small_lesion_in_a_dark_round_frame_is_outlined_not_the_rim(seed: int) -> None:
    spec = LesionSpec(seed=seed, radius=0.06, vignette=0.0)
    truth = lesion_mask(spec, W, H)
    img = round_frame(synthetic_lesion(spec, W, H), seed)
    # the shaded rim with its freckles is one dark ring, larger than RIM_MAX_AREA (before: taken for the lesion)
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    assert (grey < np.median(grey) - 20).mean() > RIM_MAX_AREA
    seg = segment(img)
    assert (seg.mask & truth).sum() / (seg.mask | truth).sum() > 0.7
    assert seg.edge_fraction == 0  # nothing along the frame: the lesion is whole in view


def test_a_dark_round_frame_without_a_lesion_is_refused_not_outlined() -> None:
    """Only the shaded rim (no freckles, no lesion): no outline rather than the rim's."""
    skin = synthetic_lesion(LesionSpec(seed=2, radius=0.0, vignette=0.0, skin_texture=0.3), W, H)
    with pytest.raises(SegmentationError, match="no lesion found"):
        segment(round_frame(skin, 2, freckles=0))


def test_a_large_lesion_running_off_one_side_is_not_taken_for_the_rim() -> None:
    """Half a large lesion in view along the top edge: it touches more than RIM_TOUCH of the frame and covers
    under RIM_MAX_AREA of the view, but it is as deep as it is wide, unlike a shadow along the rim (before:
    'no lesion found', HAM10000 ISIC_0030565)."""
    spec = LesionSpec(seed=1, radius=0.48, irregularity=0.06, vignette=0.0)
    truth = lesion_mask(spec, W, H, center=(W / 2, 0.0))
    seg = segment(synthetic_lesion(spec, W, H, center=(W / 2, 0.0)))
    assert (seg.mask & truth).sum() / (seg.mask | truth).sum() > 0.9
    assert seg.edge_fraction >= 0.2
