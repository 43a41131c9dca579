"""Aligning a follow-up image to the baseline: features + RANSAC similarity, ECC refinement, a
lesion-outline fallback for skin without texture, and a quality score that is judged on the skin around
(never on) the two lesions; a clear failure when the images do not match. Alignment from a user's marked
points: ``hand_alignment``."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dermadesk.analysis.imaging import shrink_to
from dermadesk.analysis.outline_shape import same_lesion_shape, shape_fit
from dermadesk.analysis import overlap
from dermadesk.analysis.segmentation import shades_of_grey
from dermadesk.analysis.skin_score import SkinScorer, highpass, scored_pixels

WORK_SIDE = 512
MIN_INLIERS = 15
MIN_SCORE = 0.35  # skin agreement around both lesions after alignment (``skin_score``); below it the pair is
# "not the same view". On HAM10000 (dermadesk.bench.change): 150 random different-lesion pairs scored at most 0.13
# (high-pass correlation); with the spots' agreement and the outline's placement turned on the skin, 296 at most 0.18
# Skin "has texture" when its high-pass (sigma 1 - 6) standard deviation at the 512 px working size reaches
# this: 150 HAM10000 / ISIC 2017 images each measured >= 1.43 / 1.2 (p1 1.5); smooth synthetic skin 0.2-0.6.
MIN_SKIN_TEXTURE = 1.0
MIN_OUTLINE_IOU = 0.5  # lesion-outline alignment: aligned outlines must overlap at least this much (IoU) ...
# ... or the smaller outline must lie at least this much inside the larger one: a lesion that grew (or
# shrank) evenly keeps its smaller self inside it (radius 50 -> 72 px: IoU 0.48, contained 100 %), while
# two different lesions of unlike shapes do not (a round and an elongated one: IoU 0.41, contained 58 %)
MIN_OUTLINE_CONTAINED = 0.9
CALIBRATED_OUTLINE_CAVEAT = ("aligned on the lesion outline only (the skin around it shows no texture to align "
                             "on): rotation and position are matched, the zoom is taken from both captures' "
                             "recorded mm per pixel; if one of them is wrong, so is the size change")
OUTLINE_CAVEAT = ("aligned on the lesion outline only (the skin around it shows no texture to align on): "
                  "rotation and position are matched, the size is compared as captured, so a different "
                  "zoom would look like growth")


@dataclass(frozen=True)
class Alignment:
    ok: bool
    score: float  # 0..1: high-pass correlation of the aligned images (lesion and its surroundings)
    method: str  # "features", "features+ecc", "moments" or "failed"
    matrix: np.ndarray  # 2x3, maps follow-up pixel coordinates to baseline pixel coordinates
    inliers: int
    message: str
    caveat: str = ""  # a limit of this alignment the reader must know (shown among the reasons)

    def transform_list(self) -> list[list[float]]:
        return [[float(v) for v in row] for row in self.matrix]

    @property
    def scale(self) -> float:
        return float(np.sqrt(abs(np.linalg.det(self.matrix[:, :2]))))

    @property
    def rotation_deg(self) -> float:
        return float(np.degrees(np.arctan2(self.matrix[1, 0], self.matrix[0, 0])))

    def view_change(self) -> str:
        """How the follow-up's view differs from the baseline's, in words (the inverse of ``matrix``)."""
        return view_change(self.matrix)


def view_change(matrix: np.ndarray) -> str:
    """'follow-up view turned +20 degrees, 1.25x the baseline's magnification' for a follow-up -> baseline map; a
    turn that rounds to 0 degrees is not mentioned ('follow-up view at 1.25x ...', never 'turned -0 degrees')."""
    scale = float(np.sqrt(abs(np.linalg.det(matrix[:2, :2]))))
    turn = round(-float(np.degrees(np.arctan2(matrix[1, 0], matrix[0, 0]))))  # an int: no negative zero
    turned = f"turned {turn:+d} degree{'s' * (abs(turn) != 1)}," if turn else "at"
    return f"follow-up view {turned} {1 / max(scale, 1e-9):.2f}x the baseline's magnification"


def _prepared(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(equalised grey, plain grey, scale) at the working size."""
    small, scale = shrink_to(rgb, WORK_SIDE)
    grey = cv2.cvtColor(shades_of_grey(small), cv2.COLOR_RGB2GRAY)
    return cv2.equalizeHist(grey), grey, scale


LITTLE_SKIN_SHARE = 0.05  # a refusal with less skin than this share of the view says so: re-image wider
FILLS_VIEW_SHARE = 0.35  # ... when a lesion covers at least this share of its image (else: different lesions?)


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


def _ellipse(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)


def skin_ring(base_mask: np.ndarray, follow_mask: np.ndarray | None, matrix: np.ndarray | None) -> np.ndarray:
    """Skin around the baseline lesion, outside both lesions' outlines plus a margin (working size).

    Judging the alignment here keeps the score independent of the lesion: a lesion that grew or
    changed colour neither lowers nor raises it.
    """
    h, w = base_mask.shape
    side = min(h, w)
    lesions = base_mask.astype(np.uint8)
    if follow_mask is not None and matrix is not None:
        lesions = lesions | cv2.warpAffine(follow_mask.astype(np.uint8), matrix, (w, h), flags=cv2.INTER_NEAREST)
    near = cv2.dilate(lesions, _ellipse(side // 3)).astype(bool)
    away = ~cv2.dilate(lesions, _ellipse(side // 12)).astype(bool)
    region = near & away
    return region if region.sum() >= 0.05 * region.size else away


def skin_texture(grey: np.ndarray, mask: np.ndarray | None) -> float:
    """High-pass standard deviation of the skin (outside the lesion and a margin, not the dark frame)."""
    skin = grey > 30
    if mask is not None:
        skin &= ~cv2.dilate(mask.astype(np.uint8), _ellipse(min(grey.shape) // 12)).astype(bool)
    if skin.sum() < 500:
        return 0.0
    return float(highpass(grey)[skin].std())


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


def _small_mask(mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return cv2.resize(mask.astype(np.uint8), shape[::-1], interpolation=cv2.INTER_NEAREST).astype(bool)


def _centroid(mask: np.ndarray) -> tuple[float, float]:
    m = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    return m["m10"] / m["m00"], m["m01"] / m["m00"]


def _rigid(angle_deg: float, source: tuple[float, float], target: tuple[float, float],
           scale: float = 1.0) -> np.ndarray:
    """Rotation by ``angle_deg`` (and ``scale``) about ``source`` that moves ``source`` onto ``target``."""
    m = cv2.getRotationMatrix2D(source, angle_deg, scale)
    m[:, 2] += np.subtract(target, source)
    return m


ANGLE_STEP = 2  # degrees between the angles the outline alignment tries


def _angle(matrix: np.ndarray) -> float:
    """The rotation of a 2x3 similarity matrix, in degrees."""
    return float(np.degrees(np.arctan2(matrix[1, 0], matrix[0, 0])))


def outline_alignment(base: np.ndarray, follow: np.ndarray, bm: np.ndarray, fm: np.ndarray,
                      scale: float = 1.0) -> tuple[np.ndarray, float]:
    """Rigid follow -> base alignment on the lesion alone: centroids matched, the rotation that best
    overlays outline and pigment pattern (2-degree search, then ECC on the lesion); the scale is given
    (1: as captured; or known from both captures' mm per pixel), never fitted, so that growth stays
    measurable. Returns (matrix, IoU of the aligned outlines)."""
    h, w = bm.shape
    cb, cf = _centroid(bm), _centroid(fm)
    # the rotation search runs on copies with a longer side of 128 px (same angles, centroids scaled)
    k = min(1.0, 128 / max(h, w, *follow.shape))
    size = (max(8, round(w * k)), max(8, round(h * k)))
    bm_s = cv2.resize(bm.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST).astype(bool)
    fshape = (max(8, round(follow.shape[1] * k)), max(8, round(follow.shape[0] * k)))
    fm_s = cv2.resize(fm.astype(np.uint8), fshape, interpolation=cv2.INTER_NEAREST)
    base_s = cv2.GaussianBlur(cv2.resize(base, size, interpolation=cv2.INTER_AREA), (0, 0), 1.0).astype(np.float32)
    follow_s = cv2.GaussianBlur(cv2.resize(follow, fshape, interpolation=cv2.INTER_AREA), (0, 0), 1.0)
    region_s = cv2.dilate(bm_s.astype(np.uint8), _ellipse(2)).astype(bool)
    a = base_s[region_s] - base_s[region_s].mean()
    cb_s, cf_s = (cb[0] * k, cb[1] * k), (cf[0] * k, cf[1] * k)
    # the outlines' overlap as captured, and at one size: a lesion that grew evenly by half or more holds the
    # baseline inside it at every angle (the same overlap as captured), and an elongated one was then turned across
    same_size = scale * float(np.sqrt(bm_s.sum() / max(float(fm_s.sum()) * scale * scale, 1.0)))
    best_angle, best_score = 0, -np.inf
    for angle in range(0, 360, ANGLE_STEP):
        m, at_one_size = _rigid(angle, cf_s, cb_s, scale), _rigid(angle, cf_s, cb_s, same_size)
        warped_mask = cv2.warpAffine(fm_s, m, size, flags=cv2.INTER_NEAREST).astype(bool)
        resized = cv2.warpAffine(fm_s, at_one_size, size, flags=cv2.INTER_NEAREST)
        # the pigment pattern as captured and at one size, the better: a lesion grown evenly covers the baseline's
        # whole region with its inside as captured, where the correlation is of noise
        corr = max(overlap.correlation(a, cv2.warpAffine(follow_s, mm, size)[region_s]) for mm in (m, at_one_size))
        turn = min(angle, 360 - angle) / 180  # where nothing tells angles apart (round, flat lesion): as captured
        score = overlap.iou(bm_s, warped_mask) + overlap.iou(bm_s, resized.astype(bool)) + 0.5 * corr - 0.05 * turn
        if score > best_score:
            best_angle, best_score = angle, score
    best = _rigid(best_angle, cf, cb, scale)
    fm8 = fm.astype(np.uint8)
    region = cv2.dilate(bm.astype(np.uint8), _ellipse(max(2, min(h, w) // 30))).astype(bool)
    refined = _ecc_refine(base, follow, best, region)
    if refined is not None:
        moved = np.hypot(*(refined[:, :2] @ np.array(cf) + refined[:, 2] - np.array(cb)))
        turned = abs((_angle(refined) - _angle(best) + 180) % 360 - 180)
        # ECC may wander on a featureless or grown lesion (the pigment of a grown lesion pulls it round): it may
        # refine the search's angle within two steps of it, and keep close to the centroids
        if moved < 0.1 * min(h, w) and turned <= 2 * ANGLE_STEP:
            best = refined
    warped_mask = cv2.warpAffine(fm8, best, (w, h), flags=cv2.INTER_NEAREST).astype(bool)
    return best, overlap.iou(bm, warped_mask)


FINE_TURN = 0.5  # degrees between the turns tried about an outline's placement on textured skin


def _turned_on_skin(skin: SkinScorer, matrix: np.ndarray, centre: tuple[float, float],
                    region: np.ndarray | None) -> np.ndarray:
    """An outline's placement turned about ``centre`` (the baseline lesion's) by up to two of its search steps, as
    the skin (``region``: around the placement's lesions) agrees best: the outline of a round or evenly grown lesion
    leaves its angle a step or two off, where small spots on the skin (freckles) no longer fall on each other."""
    best, best_score = matrix, skin.score(matrix, region)
    turns = np.arange(FINE_TURN, 2 * ANGLE_STEP + FINE_TURN / 2, FINE_TURN)
    for turn in np.concatenate([-turns, turns]):
        turned = (_h(cv2.getRotationMatrix2D(centre, float(turn), 1.0)) @ _h(matrix))[:2]
        score = skin.score(turned, region)
        if score > best_score:
            best, best_score = turned, score
    return best


def _to_full(matrix: np.ndarray, sb: float, sf: float) -> np.ndarray:
    """Working-size matrix -> original pixels: x_base = (M (x_follow * sf)) / sb."""
    full = matrix.astype(np.float64).copy()
    full[:, :2] *= sf / sb
    full[:, 2] /= sb
    return full


def _to_work(full: np.ndarray, sb: float, sf: float) -> np.ndarray:
    work = full.astype(np.float64).copy()
    work[:, :2] *= sb / sf
    work[:, 2] *= sb
    return work


def align(baseline: np.ndarray, followup: np.ndarray, baseline_mask: np.ndarray | None = None,
          followup_mask: np.ndarray | None = None, known_scale: float | None = None) -> Alignment:
    """Align ``followup`` to ``baseline`` (RGB uint8). Masks (image size) enable the skin-only score,
    feature detection away from the lesions and the lesion-outline alignment for textureless skin.

    ``known_scale``: follow-up pixel size / baseline pixel size, when both captures record their mm per
    pixel. Outline alignments then use it, so that growth and a change of zoom can be told apart on skin
    without texture.
    """
    base, base_plain, sb = _prepared(baseline)
    follow, follow_plain, sf = _prepared(followup)
    outline_scale = known_scale * sb / sf if known_scale else 1.0
    skin = SkinScorer(base_plain, follow_plain)  # prepares the images once, on its first score
    bm = _small_mask(baseline_mask, base.shape) if baseline_mask is not None else None
    fm = _small_mask(followup_mask, follow.shape) if followup_mask is not None else None
    masks = bm is not None and fm is not None and bool(bm.any()) and bool(fm.any())

    def region(m: np.ndarray) -> np.ndarray | None:
        return skin_ring(bm, fm, m) if bm is not None else None

    textured = min(skin_texture(base_plain, bm), skin_texture(follow_plain, fm)) >= MIN_SKIN_TEXTURE
    matrix, inliers, method = None, 0, "features"
    if textured or not masks:
        if masks:
            matrix, inliers = _features(base, follow, _skin(bm, base.shape), _skin(fm, follow.shape))
        if matrix is None:  # too few on the skin alone: the whole images (the score below still judges the skin)
            matrix, inliers = _features(base, follow)
        if matrix is not None:
            scale = float(np.sqrt(abs(np.linalg.det(matrix[:, :2]))))
            if not 0.5 <= scale <= 2.0:
                matrix, method = None, "failed"
            else:
                refined = _ecc_refine(base, follow, matrix, region(matrix))
                if refined is not None and skin.score(refined, region(refined)) >= skin.score(matrix, region(matrix)):
                    matrix, method = refined, "features+ecc"
    if matrix is None and masks and textured:
        # no usable features: the lesion's own outline places the follow-up; the skin score decides below
        matrix, _ = outline_alignment(base_plain, follow_plain, bm, fm, outline_scale)
        matrix = _turned_on_skin(skin, matrix, _centroid(bm), region(matrix))
        method = "lesion outline"
    elif matrix is None and masks:
        matrix, iou = outline_alignment(base_plain, follow_plain, bm, fm, outline_scale)
        full = _to_full(matrix, sb, sf)
        h, w = bm.shape
        warped = cv2.warpAffine(fm.astype(np.uint8), matrix, (w, h), flags=cv2.INTER_NEAREST).astype(bool)
        contained = overlap.contained(bm, warped)
        if iou < MIN_OUTLINE_IOU and contained < MIN_OUTLINE_CONTAINED:
            return Alignment(False, round(iou, 3), "lesion outline", full, 0,
                             "the lesion outlines do not match after alignment (they barely overlap, and the "
                             "smaller one does not lie inside the larger one): different lesions, or views too "
                             "different to compare")
        if iou < MIN_OUTLINE_IOU and not same_lesion_shape(shape_fit(bm, warped)):
            # inside is not enough: a smaller lesion lying within a larger one is neither a scaled copy of it
            # nor keeps part of its border, as a lesion that grew (evenly or to one side) does
            return Alignment(False, round(iou, 3), "lesion outline", full, 0,
                             "the lesion outlines do not match after alignment: the smaller one lies inside the "
                             "larger one but has another shape and shares none of its border (different "
                             "lesions, or views too different to compare)")
        return Alignment(True, round(iou, 3), "lesion outline", full, 0,
                         f"aligned on the lesion outline (overlap {iou:.2f})",
                         CALIBRATED_OUTLINE_CAVEAT if known_scale else OUTLINE_CAVEAT)
    if matrix is None:
        return Alignment(False, 0.0, "failed", np.eye(2, 3), inliers,
                         "the images could not be aligned: too few matching features (different lesions?)")
    score = skin.score(matrix, region(matrix))
    if score < MIN_SCORE and masks and method != "lesion outline":
        # features matched the wrong way (a grown lesion moves them): the outline's placement, if the skin agrees
        alt, _ = outline_alignment(base_plain, follow_plain, bm, fm, outline_scale)
        alt = _turned_on_skin(skin, alt, _centroid(bm), region(alt))
        alt_score = skin.score(alt, region(alt))
        if alt_score > score:
            matrix, score, method = alt, alt_score, "lesion outline"
    full = _to_full(matrix, sb, sf)
    skin_share = float(scored_pixels(base, follow, matrix, region(matrix)).mean())
    fills_view = masks and max(float(bm.mean()), float(fm.mean())) >= FILLS_VIEW_SHARE
    if score < MIN_SCORE and skin_share < LITTLE_SKIN_SHARE and fills_view:
        return Alignment(False, round(score, 3), method, full, inliers,
                         "the skin around the lesion does not line up in the two images, and too little skin "
                         "shows around the lesion to line them up on (the lesion fills most of the view): "
                         "re-image with more skin around the lesion")
    if score < MIN_SCORE:
        return Alignment(False, round(score, 3), method, full, inliers,
                         "the skin around the lesion does not line up in the two images: different lesions, "
                         "or views too different to compare")
    return Alignment(True, round(score, 3), method, full, inliers, f"aligned by {method} (score {score:.2f})")


ZOOM_HINT_RATIO = 1.25  # refusals hint at a wrong mm per pixel or zoom when the views differ this much in scale


def zoom_hint(mm_per_px: float | None, followup_mm_per_px: float | None, scale: float | None) -> str:
    """A refusal's hint when the two captures' recorded mm per pixel, or the alignment's scale (follow-up ->
    baseline, original pixels), differ by ZOOM_HINT_RATIO or more: a wrong recorded scale, or a very different
    zoom, makes one lesion look like two."""
    far = np.log(ZOOM_HINT_RATIO)
    if mm_per_px and followup_mm_per_px and abs(np.log(followup_mm_per_px / mm_per_px)) >= far:
        return (f"the two captures' recorded scales differ ({mm_per_px:.4g} and {followup_mm_per_px:.4g} mm per "
                "pixel): if one of them is wrong, correct it and compare again; the same lesion at a wrong "
                "scale can look like a different one")
    if scale and abs(np.log(scale)) >= far:
        return (f"the follow-up was compared at {1 / scale:.2f}x the baseline's magnification: a wrong mm per "
                "pixel or a very different zoom can make the same lesion look like a different one; check the "
                "recorded scales, or re-image at the baseline's zoom")
    return ""
