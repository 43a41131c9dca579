"""Whether a lesion runs off what is seen: one rule for the quality check at import and for the comparison.

A comparison outlines both captures by one rule (``metrics.paired_outlines``) on copies of at most COMPARE_SIDE
pixels, and does not clear a lesion whose outline runs along the edge of what both images show
(``visible_in_both``) for CUT_OFF_SHARE of its length or more. The quality check at import warns at the same share,
measured on a coarse outline against the frame (``quality.framing_check``: measuring as the comparison does cost
65 ms an image), so near the threshold the two can disagree.

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


def visible_in_both(matrix: np.ndarray, followup_shape: tuple[int, ...], size: tuple[int, int]) -> np.ndarray:
    """Baseline pixels that the follow-up also shows (its frame warped into the baseline's), less a margin."""
    h, w = size
    frame = np.ones(followup_shape[:2], np.uint8)
    seen = cv2.warpAffine(frame, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    seen[0, :] = seen[-1, :] = seen[:, 0] = seen[:, -1] = 0  # the baseline's own frame is an edge too
    k = max(3, min(h, w) // 100)
    return cv2.erode(seen, np.ones((k, k), np.uint8)).astype(bool)


def cut_off_share(outlines: tuple[np.ndarray, ...], seen: np.ndarray) -> float:
    """The largest share of an outline (same frame as ``seen``) that runs along the edge of what is seen."""
    return max(edge_share(outline, seen) for outline in outlines)
