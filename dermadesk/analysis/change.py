"""Comparing a follow-up capture with the baseline: segment, align and measure, then judge (``change_verdict``).

Measurement: the follow-up is aligned to the baseline; area change is pigment-weighted (see
``metrics.paired_outlines``), and outlines, diameters, sectors and colours use one skin-relative rule for both
captures, over the part of the skin both images show. The rules, the result record and the verdict in words live
in ``change_verdict`` (its names are importable from here too).
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from dermadesk.analysis.change_verdict import (
    CHANGE_RULES,
    SHORT_TERM_DAYS,
    ChangeResult,
    judge,
    model_tier_rise,
    rules_for,
)
from dermadesk.analysis.framing import COMPARE_SIDE, cut_off_share, visible_in_both
from dermadesk.analysis.hand_alignment import NO_OVERLAP, guided_by_hand, manual
from dermadesk.analysis.imaging import shrink_to
from dermadesk.analysis.metrics import (
    LesionMetrics,
    delta_e,
    lesion_metrics,
    normalise_to_skin,
    paired_outlines,
    sector_growth,
)
from dermadesk.analysis.outline_shape import outline_growth
from dermadesk.analysis.quality import colour_check
from dermadesk.analysis.registration import align, zoom_hint
from dermadesk.analysis.segmentation import SegmentationError, segment

NO_IMAGE_GREY, NO_IMAGE_HATCH = 128, 96  # aligned follow-up outside its frame: grey with darker hatching


def focal_colour_change(base: np.ndarray, follow: np.ndarray, mask: np.ndarray, grid: int = 4) -> float:
    """Largest colour difference of a grid cell of the lesion beyond the lesion's global change."""
    lab_b = cv2.cvtColor(normalise_to_skin(base, mask), cv2.COLOR_RGB2LAB).astype(float)
    lab_f = cv2.cvtColor(normalise_to_skin(follow, mask), cv2.COLOR_RGB2LAB).astype(float)
    for lab in (lab_b, lab_f):
        lab[..., 0] *= 100 / 255
        lab[..., 1:] -= 128
    shift = lab_f[mask].mean(axis=0) - lab_b[mask].mean(axis=0)
    ys, xs = np.nonzero(mask)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    worst = 0.0
    for i in range(grid):
        for j in range(grid):
            cell = np.zeros_like(mask)
            cell[y0 + (y1 - y0) * i // grid:y0 + (y1 - y0) * (i + 1) // grid,
                 x0 + (x1 - x0) * j // grid:x0 + (x1 - x0) * (j + 1) // grid] = True
            cell &= mask
            if cell.sum() < max(30, 0.02 * mask.sum()):
                continue
            d = lab_f[cell].mean(axis=0) - lab_b[cell].mean(axis=0) - shift
            worst = max(worst, float(np.sqrt((d ** 2).sum())))
    return worst


def _in_original_pixels(m: LesionMetrics, scale: float) -> LesionMetrics:
    return replace(m, area_px=int(round(m.area_px / scale ** 2)), diameter_px=m.diameter_px / scale,
                   centroid=(m.centroid[0] / scale, m.centroid[1] / scale))


def compare(baseline: np.ndarray, followup: np.ndarray, interval_days: int | None = None,
            mm_per_px: float | None = None, malignant: tuple[float | None, float | None] = (None, None),
            tiers: tuple[str | None, str | None] = (None, None),
            manual_matrix: np.ndarray | None = None, manual_pairs: int | None = None,
            followup_mm_per_px: float | None = None) -> ChangeResult:
    """Segment, align, measure and judge. ``mm_per_px`` is the baseline's scale (for mm figures); with the
    follow-up's too, the zoom between them is known (see ``registration.align``'s ``known_scale``).

    ``manual_matrix``: a user's alignment (2x3, follow-up -> baseline, original pixels) used instead
    of the automatic one (see ``hand_alignment.similarity_from_points``), from ``manual_pairs`` point pairs.
    Large captures are compared on working copies (longer side COMPARE_SIDE): the images, masks and
    ``baseline_image`` in the result are at that size; pixel figures and the stored transform are
    converted back to the original images' pixels.
    """
    base, sb = shrink_to(baseline, COMPARE_SIDE)
    follow, sf = shrink_to(followup, COMPARE_SIDE)
    work_manual = None
    if manual_matrix is not None:
        work_manual = np.asarray(manual_matrix, np.float64).copy()
        work_manual[:, :2] *= sb / sf
        work_manual[:, 2] *= sb
    known_scale = (followup_mm_per_px / sf) / (mm_per_px / sb) if mm_per_px and followup_mm_per_px else None
    result = _compare(base, follow, interval_days, mm_per_px / sb if mm_per_px else None, malignant, tiers,
                      work_manual, manual_pairs, known_scale)
    result.baseline_image, result.followup_image, result.work_scales = base, follow, (sb, sf)
    reg = result.alignment
    if reg is not None and (sb != 1.0 or sf != 1.0):
        full = reg.matrix.astype(np.float64).copy()
        full[:, :2] *= sf / sb
        full[:, 2] /= sb
        result.alignment = replace(reg, matrix=full)
    reg = result.alignment
    if reg is not None and manual_matrix is None and (
            not reg.ok or (result.reasons and "differ too much in size" in result.reasons[0])):
        hint = zoom_hint(mm_per_px, followup_mm_per_px, reg.scale if reg.method != "failed" else None)
        if hint:
            result.reasons.insert(1, hint)
    if sb != 1.0:
        if result.baseline is not None:
            result.baseline = _in_original_pixels(result.baseline, sb)
        if result.followup is not None:
            result.followup = _in_original_pixels(result.followup, sb)  # the follow-up is in the baseline's frame
    if result.followup is not None and reg is not None and reg.ok and followup_mm_per_px:  # a corrected scale shows
        result.followup_area_mm2_own_scale = result.followup.area_px / reg.scale ** 2 * followup_mm_per_px ** 2
    return result


def _compare(baseline: np.ndarray, followup: np.ndarray, interval_days: int | None, mm_per_px: float | None,
             malignant: tuple[float | None, float | None], tiers: tuple[str | None, str | None],
             manual_matrix: np.ndarray | None = None, manual_pairs: int | None = None,
             known_scale: float | None = None) -> ChangeResult:
    rules = rules_for(interval_days)
    result = ChangeResult("cannot tell", [], None, interval_days, rules,
                          malignant_probability={"before": malignant[0], "after": malignant[1]},
                          risk_tier={"before": tiers[0], "after": tiers[1]})
    if grey := [n for n, im in (("baseline", baseline), ("follow-up", followup)) if colour_check(im).status == "fail"]:
        result.reasons.append(f"cannot compare: the {grey[0]} image has no colour (greyscale); import the colour original")
        return result  # colours (and outlines) against an image without colour: meaningless
    try:
        seg_b, seg_f = segment(baseline), segment(followup)
    except SegmentationError as exc:
        result.reasons.append(f"cannot compare: {exc}")
        return result
    if manual_matrix is not None:
        reg = manual(baseline, followup, manual_matrix, seg_b.mask, seg_f.mask, manual_pairs)
        if not reg.ok and reg.message.startswith(NO_OVERLAP):
            # the user's points may be right and an outline wrong (a dark corner taken for the lesion):
            # outline each image again where the other's lesion lands, and keep the first pair that overlaps
            seg_b, seg_f, reg = guided_by_hand(baseline, followup, manual_matrix, seg_b, seg_f, reg, manual_pairs)
    else:
        reg = align(baseline, followup, seg_b.mask, seg_f.mask, known_scale)
    result.alignment = reg
    if not reg.ok:
        result.reasons.append(f"cannot compare: {reg.message}; align the images by hand if they show the same lesion")
        return result
    h, w = baseline.shape[:2]
    # measured with reflected borders (global colour balance unchanged; measurements keep to ``visible``)
    aligned = cv2.warpAffine(followup, reg.matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    # measure the follow-up in the baseline's frame, keeping the region that overlaps the baseline lesion
    # (so a dark corner or a neighbouring mole is never measured instead of it)
    inv = cv2.invertAffineTransform(reg.matrix)
    prior = cv2.warpAffine(seg_b.mask.astype(np.uint8), inv, followup.shape[1::-1], flags=cv2.INTER_NEAREST)
    try:
        seg_f = segment(followup, prior=prior.astype(bool)) if prior.any() else seg_f
    except SegmentationError:
        pass
    fmask = cv2.warpAffine(seg_f.mask.astype(np.uint8), reg.matrix, (w, h), flags=cv2.INTER_NEAREST).astype(bool)
    R = CHANGE_RULES
    visible = visible_in_both(reg.matrix, followup.shape, (h, w))
    paired = paired_outlines(baseline, aligned, seg_b.mask, fmask, visible)
    bmask, fmask = paired.baseline_mask, paired.followup_mask
    result.followup_visible = cv2.warpAffine(np.ones(followup.shape[:2], np.uint8), reg.matrix, (w, h),
                                             flags=cv2.INTER_NEAREST, borderValue=0).astype(bool)
    # shown: plain grey outside the follow-up's frame, never invented (mirrored) skin
    shown = aligned.copy()
    yy, xx = np.mgrid[0:h, 0:w]
    hatch = ((xx + yy) // max(4, min(h, w) // 60)) % 4 == 0
    shown[~result.followup_visible] = NO_IMAGE_GREY
    shown[~result.followup_visible & hatch] = NO_IMAGE_HATCH
    result.aligned_followup, result.baseline_mask, result.followup_mask = shown, bmask, fmask
    mb = lesion_metrics(baseline, bmask, mm_per_px)
    mf = lesion_metrics(aligned, fmask, mm_per_px)
    result.baseline, result.followup = mb, mf
    area_b, area_f = paired.baseline_area, paired.followup_area
    result.area_change_percent = round(100.0 * (area_f - area_b) / max(area_b, 1.0), 2)
    result.outlined_area_change_percent = round(100.0 * (mf.area_px - mb.area_px) / max(mb.area_px, 1), 2)
    result.cut_off = cut_off_share((bmask, fmask), reg.matrix, followup.shape) >= R["cut_off_fraction"]  # framing.py
    result.diameter_change_percent = round(100.0 * (mf.diameter_px - mb.diameter_px) / max(mb.diameter_px, 1), 2)
    growth = (outline_growth(bmask, fmask, mb.centroid, mf.centroid) if reg.method == "lesion outline"
              else sector_growth(bmask, fmask, mb.centroid, mf.centroid))
    result.sector_growth = [round(float(g), 3) for g in growth]
    excess = float(growth.max() - np.median(growth))
    result.asymmetric_growth = bool(excess >= R["asymmetric_sector_excess"] and
                                    result.area_change_percent >= R["area_change_percent"])
    result.new_colours = [c for c, f in mf.colours.items()
                          if f >= R["new_colour_fraction"] and mb.colours.get(c, 0) < R["absent_colour_fraction"]]
    result.lost_colours = [c for c, f in mb.colours.items()
                           if f >= R["lost_colour_fraction"] and mf.colours.get(c, 0) < R["absent_colour_fraction"]]
    result.delta_e = round(delta_e(mb.mean_lab, mf.mean_lab), 2)
    result.focal_delta_e = round(focal_colour_change(baseline, aligned, bmask & fmask), 2) \
        if (bmask & fmask).sum() > 100 else None
    weakest = min((seg_b, seg_f), key=lambda s: s.confidence)
    judge(result, weakest.confidence, mm_per_px, growth, weakest.uncertainty_reason())
    return result


__all__ = [
    "CHANGE_RULES", "ChangeResult", "compare", "judge", "align", "SHORT_TERM_DAYS", "model_tier_rise", "rules_for",
]
