"""The skin score of one pair at many placements (``SkinScorer``: the outline path's turn search) prepares the two
images once and gives, placement by placement, exactly the score that was computed afresh on every call before."""

from __future__ import annotations

import cv2
import numpy as np

from dermadesk.analysis import registration, skin_score
from dermadesk.analysis.segmentation import segment
from dermadesk.analysis.skin_score import SkinScorer, alignment_score, highpass
from tests.analysis.test_noisy_skin import freckled


def per_call_score(base: np.ndarray, follow: np.ndarray, matrix: np.ndarray, region: np.ndarray | None) -> float:
    """The score as it was computed before (everything again on each call, 04ccdba)."""
    h, w = base.shape
    valid = skin_score.scored_pixels(base, follow, matrix, region)
    if valid.sum() < skin_score.MIN_SCORED_PIXELS:
        return 0.0

    def warped(grey: np.ndarray) -> np.ndarray:
        return cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)

    equalised = skin_score._correlation(
        highpass(cv2.equalizeHist(base))[valid], highpass(warped(cv2.equalizeHist(follow)))[valid]
    )
    return max(equalised, skin_score.spot_agreement(highpass(base), highpass(warped(follow)), valid))


def test_prepared_pair_scores_every_placement_as_the_per_call_score_did() -> None:
    baseline, followup = freckled(), freckled(1.5, noise_seed=1)
    _, base, _ = registration._prepared(baseline)
    _, follow, _ = registration._prepared(followup)
    bm = registration._small_mask(segment(baseline).mask, base.shape)
    fm = registration._small_mask(segment(followup).mask, follow.shape)
    placed, _ = registration.outline_alignment(base, follow, bm, fm)
    centre = registration._centroid(bm)
    region = registration.skin_ring(bm, fm, placed)
    turned = [
        (registration._h(cv2.getRotationMatrix2D(centre, float(turn), 1.0)) @ registration._h(placed))[:2]
        for turn in (-4.0, -1.5, 0.5, 3.0)
    ]
    off_view = np.array([[1.0, 0.0, 900.0], [0.0, 1.0, 0.0]])  # next to no overlap: 0, as before
    placements = [(placed, region), *((m, region) for m in turned), (placed, None), (turned[1], None)]
    placements += [(off_view, region), (placed, registration.skin_ring(bm, fm, turned[2])), (placed, region)]
    scorer = SkinScorer(base, follow)
    scores = [scorer.score(m, r) for m, r in placements]
    assert scores == [per_call_score(base, follow, m, r) for m, r in placements]
    assert scores == [alignment_score(base, follow, m, r) for m, r in placements]
    assert scores[-1] == scores[0] and scores[-3] == 0.0
    assert max(scores) >= 0.5  # the freckles agree where the outline placed the follow-up: real scores compared
