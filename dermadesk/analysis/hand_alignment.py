"""Alignment from a user's marked point pairs: the similarity they define, the checks a user's clicks need,
and the registration it gives (judged on the same skin score as the automatic one)."""

from __future__ import annotations

import cv2
import numpy as np

from dermadesk.analysis.registration import (
    MIN_SCORE,
    Alignment,
    _prepared,
    _small_mask,
    _to_work,
    skin_ring,
    view_change,
)
from dermadesk.analysis.segmentation import Segmentation, SegmentationError, segment
from dermadesk.analysis.skin_score import alignment_score

# Manual alignment: the marked points must spread over this share of the shorter image side, agree with one
# similarity within MAX_POINT_RESIDUAL of the shorter side, and put the lesions on top of each other (the
# overlap of the aligned outlines, relative to the smaller one, at least MIN_MANUAL_OVERLAP)
MIN_POINT_SPREAD = 0.15
MAX_POINT_RESIDUAL = 0.04
MIN_MANUAL_OVERLAP = 0.3


def similarity_from_points(pairs: list[tuple[tuple[float, float], tuple[float, float]]],
                           sizes: tuple[tuple[int, int], tuple[int, int]] | None = None) -> np.ndarray:
    """2x3 similarity mapping follow-up points onto baseline points: ((xb, yb), (xf, yf)) pairs.

    Two pairs fix it exactly; three or more are fitted by least squares. ``sizes`` ((w, h) of the baseline,
    (w, h) of the follow-up) enables the checks a user's clicks need: points inside the images, spread
    apart, and (three or more) consistent with one another. Raises ValueError with a plain reason.
    """
    if len(pairs) < 2:
        raise ValueError("manual alignment needs at least two pairs of corresponding points")
    base = np.array([p[0] for p in pairs], np.float64)
    follow = np.array([p[1] for p in pairs], np.float64)
    if not (np.isfinite(base).all() and np.isfinite(follow).all()):
        raise ValueError("point coordinates must be numbers")
    if min(np.ptp(base, axis=0).max(), np.ptp(follow, axis=0).max()) < 2:
        raise ValueError("the points of each image must not coincide: mark points some distance apart")
    if sizes is not None:
        for pts, (w, h), name in ((base, sizes[0], "baseline"), (follow, sizes[1], "follow-up")):
            if (pts < 0).any() or (pts[:, 0] > w).any() or (pts[:, 1] > h).any():
                raise ValueError(f"a point lies outside the {name} image ({w}x{h} pixels): give pixel "
                                 "coordinates of the original images")
            spread = max(np.hypot(*(a - b)) for a in pts for b in pts)
            if spread < MIN_POINT_SPREAD * min(w, h):
                raise ValueError(f"the {name} points are too close together ({spread:.0f} px apart): mark spots "
                                 "far apart, e.g. on opposite sides of the lesion")
    # x_b = a x_f - b y_f + tx ; y_b = b x_f + a y_f + ty  (least squares in a, b, tx, ty)
    rows, rhs = [], []
    for (xb, yb), (xf, yf) in zip(base, follow):
        rows += [[xf, -yf, 1, 0], [yf, xf, 0, 1]]
        rhs += [xb, yb]
    (a, b, tx, ty), *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    scale = float(np.hypot(a, b))
    if not 0.2 <= scale <= 5.0:
        raise ValueError(f"the points imply a zoom of {scale:.2f}x between the images; check that each pair "
                         "marks the same spot, baseline point first")
    matrix = np.array([[a, -b, tx], [b, a, ty]], np.float64)
    if sizes is not None and len(pairs) >= 3:
        off = np.hypot(*(follow @ matrix[:, :2].T + matrix[:, 2] - base).T).max()
        if off > MAX_POINT_RESIDUAL * min(sizes[0]):
            raise ValueError(f"the marked pairs do not agree with one another (one is {off:.0f} px off): check "
                             "that each pair marks the same spot on both images")
    return matrix


NO_OVERLAP = "the marked points do not put the two lesions on top of each other"
UNCONFIRMED = ("two pairs of points cannot be checked against each other, and the skin around the lesion does not "
               "confirm this alignment: mark a third pair, away from the other two")


def manual(baseline: np.ndarray, followup: np.ndarray, matrix: np.ndarray,
           baseline_mask: np.ndarray | None = None, followup_mask: np.ndarray | None = None,
           pairs: int | None = None) -> Alignment:
    """A user's alignment (follow-up -> baseline, original pixels); the skin score is reported so that the
    user can see how well the images agree.

    Refused when it does not put the lesions on top of each other, and when it rests on two pairs of points
    only (which cannot be checked against each other) while the skin does not confirm it either: a swapped
    pair then turns the follow-up upside down and would invent changes.
    """
    _, base, sb = _prepared(baseline)
    _, follow, sf = _prepared(followup)
    work = _to_work(matrix, sb, sf)
    region = None
    if baseline_mask is not None:
        region = skin_ring(_small_mask(baseline_mask, base.shape),
                           _small_mask(followup_mask, follow.shape) if followup_mask is not None else None, work)
    score = alignment_score(base, follow, work, region)
    full = np.asarray(matrix, np.float64)
    if baseline_mask is not None and followup_mask is not None:
        bm, fm = _small_mask(baseline_mask, base.shape), _small_mask(followup_mask, follow.shape)
        warped = cv2.warpAffine(fm.astype(np.uint8), work, bm.shape[::-1], flags=cv2.INTER_NEAREST).astype(bool)
        overlap = float((bm & warped).sum() / max(min(bm.sum(), warped.sum()), 1))
        if overlap < MIN_MANUAL_OVERLAP:
            return Alignment(False, round(score, 3), "manual", full, 0,
                             f"{NO_OVERLAP} (overlap {overlap:.0%}): check that each pair marks the same spot, "
                             "baseline point first")
    if pairs is not None and pairs < 3 and score < MIN_SCORE:
        return Alignment(False, round(score, 3), "manual", full, 0, UNCONFIRMED)
    return Alignment(True, round(score, 3), "manual", full, 0, f"aligned by hand (skin agreement {score:.2f})",
                     f"aligned by hand from marked points ({view_change(full)})"
                     + ("" if score >= MIN_SCORE else "; the skin around the lesion agrees poorly: check that "
                                                      "the outlines lie on each other"))


def guided_by_hand(baseline: np.ndarray, followup: np.ndarray, matrix: np.ndarray, seg_b: Segmentation,
                    seg_f: Segmentation, refused: Alignment, pairs: int | None
                    ) -> tuple[Segmentation, Segmentation, Alignment]:
    """Outlines guided by a manual alignment: each image's lesion sought where the other's lands."""
    (hb, wb), (hf, wf) = baseline.shape[:2], followup.shape[:2]
    f_in_b = cv2.warpAffine(seg_f.mask.astype(np.uint8), matrix, (wb, hb), flags=cv2.INTER_NEAREST).astype(bool)
    b_in_f = cv2.warpAffine(seg_b.mask.astype(np.uint8), cv2.invertAffineTransform(matrix), (wf, hf),
                            flags=cv2.INTER_NEAREST).astype(bool)
    candidates = []
    for image, prior in ((baseline, f_in_b), (followup, b_in_f)):
        try:
            candidates.append(segment(image, prior=prior) if prior.any() else None)
        except SegmentationError:
            candidates.append(None)
    for b, f in ((candidates[0], seg_f), (seg_b, candidates[1])):
        if b is not None and f is not None:
            reg = manual(baseline, followup, matrix, b.mask, f.mask, pairs)
            if reg.ok:
                return b, f, reg
    return seg_b, seg_f, refused
