"""Whether a lesion runs off what is seen: one rule for the quality check at import and for the comparison.

A comparison outlines both captures by one rule (``metrics.paired_outlines``) on copies of at most COMPARE_SIDE
pixels, and does not clear a lesion whose outline runs along the edge of what both images show for CUT_OFF_SHARE
of its length or more (``cut_off_share``). That share is measured on copies of CUT_OFF_SIDE pixels, whatever the
captures' pixel size, so that a camera with more pixels gets the same verdict. Measured on the captures' own
pixels it was not: the margin and the edge's band are pixels (the zone counted as the edge: 4 px of a 150 px
side, 2.7 %; 4 of 450, 0.9 %; 6 of 768, 0.8 %), and outlines enlarged from segmentation's 512 px copies stop up
to a pixel short of the 2 px band (their run along the edge counted 23 % short at 600x450) and are longer for
their steps (+7 %). HAM10000 ISIC_0024693 against a shifted copy: share 0.073 at 200x150, refused; 0.034 at
600x450, cleared.
The quality check at import warns at the same share, measured on a coarse outline against the frame
(``quality.framing_check``: measuring as the comparison does cost 65 ms an image), so near the threshold the two
can disagree.

What one capture cannot show is how far the lesion goes beyond its frame: a comparison with a capture that shows
more skin may find that the lesion's fainter part goes on beyond the edge (walkthrough 22, ISIC_0027190_g2: its
outline stops 8 px above the edge, a faint patch below it; the wider baseline shows that patch is lesion).
"""

from __future__ import annotations

import cv2
import numpy as np

from dermadesk.analysis.segmentation import edge_share

COMPARE_SIDE = 1024  # comparisons run on copies with at most this longer side (12 MP: 5.8 s -> see bench)
CUT_OFF_SHARE = 0.05  # share of a lesion's outline on the edge of what is seen: the lesion may go on beyond it
CUT_OFF_SIDE = (
    200  # the longer side of the copies the cut-off rule is measured on (the rule was set on HAM10000's 200x150)
)


def visible_in_both(matrix: np.ndarray, followup_shape: tuple[int, ...], size: tuple[int, int]) -> np.ndarray:
    """Baseline pixels that the follow-up also shows (its frame warped into the baseline's), less a margin."""
    h, w = size
    frame = np.ones(followup_shape[:2], np.uint8)
    seen = cv2.warpAffine(frame, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    seen[0, :] = seen[-1, :] = seen[:, 0] = seen[:, -1] = 0  # the baseline's own frame is an edge too
    k = max(3, min(h, w) // 100)
    return cv2.erode(seen, np.ones((k, k), np.uint8)).astype(bool)


def _resized(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``mask`` at ``size`` (h, w), each pixel in it where the mask covers half of it or more: no enlarged steps."""
    if mask.shape == size:
        return mask.astype(bool)
    shrink = size[1] < mask.shape[1]
    interpolation = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    return cv2.resize(mask.astype(np.float32), size[::-1], interpolation=interpolation) >= 0.5


def cut_off_share(outlines: tuple[np.ndarray, ...], matrix: np.ndarray, followup_shape: tuple[int, ...]) -> float:
    """The largest share of an outline (in the baseline's frame) that runs along the edge of what both images show
    (the follow-up's ``followup_shape`` frame placed by ``matrix``, follow-up -> baseline pixels), measured on
    copies whose longer side is CUT_OFF_SIDE, so that the share does not depend on the captures' pixel size."""
    h, w = outlines[0].shape
    scale = CUT_OFF_SIDE / max(h, w)
    size = (max(1, round(h * scale)), max(1, round(w * scale)))
    work = np.asarray(matrix, np.float64).copy()
    work[:, 2] *= scale  # both frames scaled alike: the same placement in the copies' pixels
    follow = (max(1, round(followup_shape[0] * scale)), max(1, round(followup_shape[1] * scale)))
    seen = visible_in_both(work, follow, size)
    return max(edge_share(_resized(outline, size) & seen, seen) for outline in outlines)
