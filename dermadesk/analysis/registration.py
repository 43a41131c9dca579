"""Aligning a follow-up image to the baseline: features + RANSAC similarity, ECC refinement,
moment-based fallback, and a quality score; a clear failure when the images do not match."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dermadesk.analysis.imaging import shrink_to
from dermadesk.analysis.segmentation import shades_of_grey

WORK_SIDE = 512
MIN_INLIERS = 15
MIN_SCORE = 0.35  # high-pass correlation after alignment; below it the pair is "not the same view".
# On HAM10000: 150 random different-lesion pairs scored at most 0.13; same-lesion pairs under the
# benchmark nuisances scored below 0.35 in 1% of cases (dermadesk.bench.change)


@dataclass(frozen=True)
class Registration:
    ok: bool
    score: float  # 0..1: high-pass correlation of the aligned images (lesion and its surroundings)
    method: str  # "features", "features+ecc", "moments" or "failed"
    matrix: np.ndarray  # 2x3, maps follow-up pixel coordinates to baseline pixel coordinates
    inliers: int
    message: str

    def transform_list(self) -> list[list[float]]:
        return [[float(v) for v in row] for row in self.matrix]

    @property
    def scale(self) -> float:
        return float(np.sqrt(abs(np.linalg.det(self.matrix[:, :2]))))

    @property
    def rotation_deg(self) -> float:
        return float(np.degrees(np.arctan2(self.matrix[1, 0], self.matrix[0, 0])))


def _prepared(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    small, scale = shrink_to(rgb, WORK_SIDE)
    grey = cv2.cvtColor(shades_of_grey(small), cv2.COLOR_RGB2GRAY)
    return cv2.equalizeHist(grey), scale


def _highpass(grey: np.ndarray) -> np.ndarray:
    g = grey.astype(np.float32)
    return cv2.GaussianBlur(g, (0, 0), 1.0) - cv2.GaussianBlur(g, (0, 0), 6.0)


def alignment_score(base: np.ndarray, follow: np.ndarray, matrix: np.ndarray, region: np.ndarray | None) -> float:
    """Normalised correlation of high-passed greys where both images overlap (within ``region``)."""
    h, w = base.shape
    warped = cv2.warpAffine(follow, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    valid = cv2.warpAffine(np.ones_like(follow), matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0).astype(bool)
    valid = cv2.erode(valid.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    if region is not None:
        valid &= region
    if valid.sum() < 500:
        return 0.0
    a, b = _highpass(base)[valid], _highpass(warped)[valid]
    a, b = a - a.mean(), b - b.mean()
    denom = np.sqrt((a * a).sum() * (b * b).sum())
    return float(max(0.0, (a * b).sum() / denom)) if denom > 0 else 0.0


def _features(base: np.ndarray, follow: np.ndarray, base_skin: np.ndarray | None = None,
              follow_skin: np.ndarray | None = None) -> tuple[np.ndarray | None, int]:
    """Similarity follow -> base from matched features, detected only on the skin masks when given
    (the lesion may have grown: features on it would pull the scale towards the growth)."""
    # SIFT: scale- and rotation-invariant, in OpenCV's main modules; ORB where SIFT is missing
    if hasattr(cv2, "SIFT_create"):
        detector, norm = cv2.SIFT_create(nfeatures=3000, contrastThreshold=0.01), cv2.NORM_L2
    else:
        detector, norm = cv2.ORB_create(nfeatures=3000), cv2.NORM_HAMMING
    kb, db = detector.detectAndCompute(base, base_skin)
    kf, df = detector.detectAndCompute(follow, follow_skin)
    if db is None or df is None or len(kb) < MIN_INLIERS or len(kf) < MIN_INLIERS:
        return None, 0
    matches = cv2.BFMatcher(norm).knnMatch(df, db, k=2)
    good = [m for pair in matches if len(pair) == 2 for m, n in [pair] if m.distance < 0.8 * n.distance]
    if len(good) < MIN_INLIERS:
        return None, len(good)
    src = np.float32([kf[m.queryIdx].pt for m in good])
    dst = np.float32([kb[m.trainIdx].pt for m in good])
    matrix, inliers = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=4.0,
                                                  maxIters=5000, confidence=0.995)
    n_in = int(inliers.sum()) if inliers is not None else 0
    if matrix is None or n_in < MIN_INLIERS:
        return None, n_in
    return matrix, n_in


def _moments_matrix(base_mask: np.ndarray, follow_mask: np.ndarray) -> np.ndarray:
    """Similarity from centroids and principal axes; scale 1 (growth must stay measurable)."""
    def axes(mask: np.ndarray) -> tuple[float, float, float]:
        m = cv2.moments(mask.astype(np.uint8), binaryImage=True)
        return m["m10"] / m["m00"], m["m01"] / m["m00"], 0.5 * np.arctan2(2 * m["mu11"], m["mu20"] - m["mu02"])

    bx, by, ba = axes(base_mask)
    fx, fy, fa = axes(follow_mask)
    rot = ba - fa
    c, s = np.cos(rot), np.sin(rot)
    return np.array([[c, -s, bx - (c * fx - s * fy)], [s, c, by - (s * fx + c * fy)]], np.float64)


def _skin(mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """uint8 detection mask: everything but the lesion and a margin around it."""
    small = cv2.resize(mask.astype(np.uint8), shape[::-1], interpolation=cv2.INTER_NEAREST)
    margin = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * (min(shape) // 20) + 1,) * 2)
    return (1 - cv2.dilate(small, margin)).astype(np.uint8) * 255


def _h(matrix: np.ndarray) -> np.ndarray:
    return np.vstack([matrix, [0.0, 0.0, 1.0]])


def _ecc_refine(base: np.ndarray, follow: np.ndarray, matrix: np.ndarray, region: np.ndarray | None) -> np.ndarray | None:
    """Refine rotation and translation with ECC on the lesion region, keeping the feature-based scale
    (an affine ECC on the lesion would shrink a grown lesion back and hide the growth)."""
    h, w = base.shape
    warped = cv2.warpAffine(follow, matrix, (w, h), flags=cv2.INTER_LINEAR)
    try:
        criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-5)
        mask = region.astype(np.uint8) if region is not None else None
        _, euclid = cv2.findTransformECC(cv2.GaussianBlur(base, (0, 0), 1.5).astype(np.float32),
                                         cv2.GaussianBlur(warped, (0, 0), 1.5).astype(np.float32),
                                         np.eye(2, 3, dtype=np.float32), cv2.MOTION_EUCLIDEAN, criteria, mask, 5)
    except cv2.error:
        return None
    # warped(E x) ~ base(x) and warped(y) = follow(M^-1 y): follow -> base is E^-1 M
    return (np.linalg.inv(_h(euclid.astype(np.float64))) @ _h(matrix))[:2]


def register(baseline: np.ndarray, followup: np.ndarray, baseline_mask: np.ndarray | None = None,
             followup_mask: np.ndarray | None = None) -> Registration:
    """Align ``followup`` to ``baseline`` (RGB uint8). Masks (image size) enable the fallback and ECC region."""
    base, sb = _prepared(baseline)
    follow, sf = _prepared(followup)
    region = None
    if baseline_mask is not None:
        # skin around the lesion, beyond a margin: it stays put while the lesion itself may grow or change
        small = cv2.resize(baseline_mask.astype(np.uint8), base.shape[::-1], interpolation=cv2.INTER_NEAREST)
        side = min(base.shape)
        outer = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * (side // 3) + 1,) * 2)
        margin = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * (side // 12) + 1,) * 2)
        region = cv2.dilate(small, outer).astype(bool) & ~cv2.dilate(small, margin).astype(bool)
        if region.sum() < 0.05 * region.size:
            region = ~cv2.dilate(small, margin).astype(bool)
    matrix, inliers, method = None, 0, "features"
    if baseline_mask is not None and followup_mask is not None:
        matrix, inliers = _features(base, follow, _skin(baseline_mask, base.shape), _skin(followup_mask, follow.shape))
    if matrix is None:
        matrix, inliers = _features(base, follow)
    if matrix is not None:
        scale = float(np.sqrt(abs(np.linalg.det(matrix[:, :2]))))
        if not 0.5 <= scale <= 2.0:
            matrix, method = None, "failed"
        else:
            refined = _ecc_refine(base, follow, matrix, region)
            if refined is not None and alignment_score(base, follow, refined, region) >= \
                    alignment_score(base, follow, matrix, region):
                matrix, method = refined, "features+ecc"
    if matrix is None and baseline_mask is not None and followup_mask is not None:
        fm = cv2.resize(followup_mask.astype(np.uint8), follow.shape[::-1], interpolation=cv2.INTER_NEAREST)
        bm = cv2.resize(baseline_mask.astype(np.uint8), base.shape[::-1], interpolation=cv2.INTER_NEAREST)
        if fm.any() and bm.any():
            matrix, method = _moments_matrix(bm.astype(bool), fm.astype(bool)), "moments"
    if matrix is None:
        return Registration(False, 0.0, "failed", np.eye(2, 3), inliers,
                            "the images could not be aligned: too few matching features (different lesions?)")
    score = alignment_score(base, follow, matrix, region)
    # back to full-resolution coordinates: x_base = (M (x_follow * sf)) / sb
    full = matrix.copy()
    full[:, :2] *= sf / sb
    full[:, 2] /= sb
    if score < MIN_SCORE:
        return Registration(False, round(score, 3), method, full, inliers,
                            f"the images do not match after alignment (score {score:.2f} < {MIN_SCORE}): "
                            "different lesions, or views too different to compare")
    return Registration(True, round(score, 3), method, full, inliers, f"aligned by {method} (score {score:.2f})")
