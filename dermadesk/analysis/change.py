"""Comparing a follow-up capture with the baseline: measurements and a verdict with plain reasons.

All thresholds live in ``CHANGE_RULES``. Rules follow the interval (sequential digital dermoscopy practice):
short-term follow-up (up to SHORT_TERM_DAYS, about 4.5 months): any morphological change is significant except a
global change of pigmentation. Long-term: asymmetric enlargement, marked enlargement, focal change of pigmentation,
new colours and regression features are significant. Measurement: the follow-up is aligned to the baseline; area
change is pigment-weighted (see ``metrics.paired_outlines``), and outlines, diameters, sectors and colours use one
skin-relative rule for both captures, over the part of the skin both images show. A lesion that runs off the edge of
that part can still show significant change, but "not significant" is then "cannot tell".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np

from dermadesk.analysis.change_words import rule_fired
from dermadesk.analysis.hand_alignment import NO_OVERLAP, guided_by_hand, manual
from dermadesk.analysis.imaging import shrink_to
from dermadesk.analysis.metrics import (
    SECTORS,
    LesionMetrics,
    delta_e,
    lesion_metrics,
    normalise_to_skin,
    paired_outlines,
    sector_growth,
)
from dermadesk.analysis.outline_shape import outline_growth
from dermadesk.analysis.quality import colour_check
from dermadesk.analysis.registration import Alignment, align, zoom_hint
from dermadesk.analysis.segmentation import SegmentationError, edge_share, segment
from dermadesk.contract import RISK_TIERS

SHORT_TERM_DAYS = 135
COMPARE_SIDE = 1024  # comparisons run on copies with at most this longer side (12 MP: 5.8 s -> see bench)
CHANGE_RULES: dict[str, float] = {
    # |pigment-weighted area change| at or above this is a morphological change. Its noise on unchanged
    # pairs under rotation/scale/shift/relighting/blur (bench.change's nuisances, seeds 5 and 6, 119 images
    # per source): HAM10000 median 0.6, p90 1.6, p97 3.7, max 5.7 percentage points; ISIC 2017 median 0.8,
    # p90 2.9, p97 4.9, max 13.8
    "area_change_percent": 10.0,
    # the longest diameter comes from the hard outlines, whose noise on HAM10000 images is larger
    "diameter_change_percent": 15.0,
    "long_term_marked_enlargement_percent": 30.0,  # enlargement significant long-term even when symmetric
    "asymmetric_sector_excess": 0.20,  # a sector grew this much (relative radius) more than the median sector
    "new_colour_fraction": 0.05,  # present in the follow-up
    "absent_colour_fraction": 0.02,  # ... and below this in the baseline
    "lost_colour_fraction": 0.10,  # a colour covering this much before and under absent_colour_fraction after
    "focal_delta_e": 10.0,  # a part of the lesion changed colour this much beyond the global change
    "global_delta_e": 6.0,  # reported (not significant short-term: global pigmentation change)
    "min_segmentation_confidence": 0.25,  # outline contrast x hair; below it nothing is judged
    "cut_off_fraction": 0.05,  # share of a lesion's outline on the edge of the region both captures show
    # The model's own noise: the rise of the malignant probability between an image and the same image
    # rotated, rescaled, shifted, relit and blurred (dermadesk.bench.change --model, bundled model 1.0.0, unchanged
    # pairs, 60 images per run): HAM10000 p97 +0.23 / +0.58, p99 +0.34 / +0.63 (seeds 3 / 4); ISIC 2017 p97 +0.24,
    # p99 +0.35; the tier changed in 32-37% of those pairs. A tier rise is significant only when the probability
    # rose by more than this AND the new tier is refer or urgent (about the pooled p99).
    "malignant_probability_noise": 0.50,
    # Outline jumps: when the hard-outline area change and the pigment-weighted area change differ by more
    # than this (percentage points; their difference on unchanged pairs is noise), the outline is not
    # trusted: the diameter rule is skipped and the pigment-weighted area decides.
    "outline_disagreement_percent": 15.0,
    # Outlines whose areas differ by more than this factor are not one lesion measured twice (a faint lesion
    # found in one image only, a neighbouring mark taken instead): nothing is judged, the user checks them.
    "implausible_area_ratio": 4.0,
}
NO_IMAGE_GREY, NO_IMAGE_HATCH = 128, 96  # aligned follow-up outside its frame: grey with darker hatching
DIRECTIONS = ("right side", "lower right", "bottom", "lower left", "left side", "upper left", "top", "upper right")


@dataclass
class ChangeResult:
    verdict: str  # significant | not significant | cannot tell
    reasons: list[str]
    alignment: Alignment | None
    interval_days: int | None
    rules: str  # short-term | long-term
    area_change_percent: float | None = None  # pigment-weighted, over the region both captures show
    outlined_area_change_percent: float | None = None  # from the two hard outlines (shown, noisier)
    diameter_change_percent: float | None = None
    cut_off: bool = False  # the lesion reaches the edge of what both captures show
    asymmetric_growth: bool = False
    sector_growth: list[float] = field(default_factory=list)
    new_colours: list[str] = field(default_factory=list)
    lost_colours: list[str] = field(default_factory=list)
    delta_e: float | None = None
    focal_delta_e: float | None = None
    baseline: LesionMetrics | None = None
    followup: LesionMetrics | None = None
    malignant_probability: dict[str, float | None] = field(default_factory=lambda: {"before": None, "after": None})
    risk_tier: dict[str, str | None] = field(default_factory=lambda: {"before": None, "after": None})
    aligned_followup: np.ndarray | None = field(default=None, repr=False)
    baseline_mask: np.ndarray | None = field(default=None, repr=False)
    followup_mask: np.ndarray | None = field(default=None, repr=False)
    baseline_image: np.ndarray | None = field(default=None, repr=False)  # the baseline as compared (working copy)
    followup_visible: np.ndarray | None = field(default=None, repr=False)  # aligned follow-up pixels it really shows
    followup_image: np.ndarray | None = field(default=None, repr=False)  # the follow-up as compared, unaligned
    work_scales: tuple[float, float] = (1.0, 1.0)  # working copy / original, baseline and follow-up
    manual_points: list = field(default_factory=list)  # hand alignment: ((x, y) baseline, (x, y) follow-up), originals
    outline_trusted: bool = True  # False: the hard outline disagreed with the pigment-weighted area
    followup_area_mm2_own_scale: float | None = None  # its aligned outline's pixels / alignment scale² x its OWN mm/px²

    def to_dict(self) -> dict[str, Any]:
        reg = self.alignment
        return {
            "verdict": self.verdict, "reasons": self.reasons, "interval_days": self.interval_days, "rules": self.rules,
            "registration": {"ok": bool(reg and reg.ok), "score": reg.score if reg else 0.0,
                             "method": reg.method if reg else "not run", "points": self.manual_points,
                             "scale": reg.scale if reg else None, "rotation_deg": reg.rotation_deg if reg else None,
                             "caveat": reg.caveat if reg else "", "view": reg.view_change() if reg else ""},
            "area_change_percent": self.area_change_percent,
            "outlined_area_change_percent": self.outlined_area_change_percent,
            "diameter_change_percent": self.diameter_change_percent, "cut_off": self.cut_off,
            "outline_trusted": self.outline_trusted,
            "asymmetric_growth": self.asymmetric_growth, "sector_growth": self.sector_growth,
            "new_colours": self.new_colours, "lost_colours": self.lost_colours, "delta_e": self.delta_e,
            "focal_delta_e": self.focal_delta_e, "malignant_probability": self.malignant_probability,
            "risk_tier": self.risk_tier,
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "followup": self.followup.to_dict() if self.followup else None,
            "baseline_area_mm2": self.baseline.area_mm2 if self.baseline else None, "followup_area_mm2_own_scale": self.followup_area_mm2_own_scale,
        }


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


def visible_in_both(matrix: np.ndarray, followup_shape: tuple[int, ...], size: tuple[int, int]) -> np.ndarray:
    """Baseline pixels that the follow-up also shows (its frame warped into the baseline's), less a margin."""
    h, w = size
    frame = np.ones(followup_shape[:2], np.uint8)
    seen = cv2.warpAffine(frame, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    seen[0, :] = seen[-1, :] = seen[:, 0] = seen[:, -1] = 0  # the baseline's own frame is an edge too
    k = max(3, min(h, w) // 100)
    return cv2.erode(seen, np.ones((k, k), np.uint8)).astype(bool)


def rules_for(interval_days: int | None) -> str:
    return "long-term" if interval_days is not None and interval_days > SHORT_TERM_DAYS else "short-term"


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
    result.cut_off = max(edge_share(bmask, visible), edge_share(fmask, visible)) >= R["cut_off_fraction"]
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


def model_tier_rise(before: str | None, after: str | None, p_before: float | None,
                    p_after: float | None) -> tuple[bool, str] | None:
    """(significant?, sentence) when the model's tier rose; None otherwise.

    A tier can flip under nothing more than rotation and relighting. The rise counts as significant only
    when the malignant probability rose by more than the model's measured noise and the new tier is
    refer or urgent; otherwise it is reported as information.
    """
    if before not in RISK_TIERS or after not in RISK_TIERS or RISK_TIERS.index(after) <= RISK_TIERS.index(before):
        return None
    noise = CHANGE_RULES["malignant_probability_noise"]
    rise = (p_after - p_before) if p_before is not None and p_after is not None else None
    text = f"the model's risk tier rose from {before} to {after}"
    if rise is not None and rise > noise and RISK_TIERS.index(after) >= RISK_TIERS.index("refer"):
        return True, f"{text} (malignant probability {p_before:.0%} -> {p_after:.0%})"
    why = (f"the malignant probability rose by {rise:+.0%}, within the model's noise of {noise:.0%}"
           if rise is not None and rise <= noise else
           "no probabilities to compare" if rise is None else f"the new tier ({after}) is below refer")
    return False, f"{text}, not counted as significant: {why}"


def _direction(sector: int) -> str:
    return DIRECTIONS[int(round(sector * len(DIRECTIONS) / SECTORS)) % len(DIRECTIONS)]


def judge(r: ChangeResult, confidence: float, mm_per_px: float | None, growth: np.ndarray,
          uncertainty: str = "the lesion's outline is uncertain") -> None:
    """Set ``verdict`` and plain-language ``reasons`` from the measurements (CHANGE_RULES)."""
    R = CHANGE_RULES
    significant: list[str] = []
    info: list[str] = []
    area, diam = r.area_change_percent or 0.0, r.diameter_change_percent or 0.0
    outlined = r.outlined_area_change_percent
    r.outline_trusted = outlined is None or abs(outlined - area) <= R["outline_disagreement_percent"]
    if r.alignment is not None and r.alignment.caveat:
        info.append(r.alignment.caveat)
    if not r.outline_trusted:
        info.append(f"the drawn outline changed by {round(outlined or 0.0):+d}% but the pigment-weighted area by {round(area):+d}%: "
                    "the outline is unstable on this border, so the pigment-weighted area is trusted and the "
                    "outline's diameter is not used")
    size = ""  # no mm² here (both were at the baseline's scale): the area line gives each at its own scale
    grew = "grew" if area > 0 else "shrank"
    fired: tuple[str, float, float] | None = None  # the short-term size rule that fired: its own last reason
    if r.rules == "short-term":
        if abs(area) >= R["area_change_percent"]:
            significant.append(f"area {grew} by {abs(area):.0f}%{size}")
            fired = ("area", R["area_change_percent"], area)
        elif abs(diam) >= R["diameter_change_percent"] and r.outline_trusted:
            significant.append(f"longest diameter changed by {round(diam):+d}%")
            fired = ("longest diameter", R["diameter_change_percent"], diam)
    else:
        if area >= R["long_term_marked_enlargement_percent"]:
            significant.append(f"marked enlargement: area grew by {area:.0f}%{size}")
        elif abs(area) >= R["area_change_percent"]:
            info.append(f"area {grew} by {abs(area):.0f}%{size}, symmetrically")
    if r.asymmetric_growth:
        significant.append(f"growth is asymmetric: mostly towards the {_direction(int(np.argmax(growth)))} "
                           f"of the image ({growth.max():+.0%} there, median sector {np.median(growth):+.0%})")
    if r.new_colours:
        regression = [c for c in r.new_colours if c in ("white", "blue-grey")]
        significant.append(f"new colour{'s' if len(r.new_colours) > 1 else ''}: {', '.join(r.new_colours)}"
                           + (" (possible regression)" if regression else ""))
    if r.lost_colours:
        (significant if r.rules == "short-term" else info).append(f"colour no longer seen: {', '.join(r.lost_colours)}")
    if r.focal_delta_e is not None and r.focal_delta_e >= R["focal_delta_e"]:
        significant.append("focal change of pigmentation: part of the lesion changed colour clearly")  # ΔE: metrics
    if r.delta_e is not None and r.delta_e >= R["global_delta_e"]:
        info.append("the whole lesion's colour changed evenly; a global change of pigmentation alone "
                    "is not counted as significant")
    tier_rise = model_tier_rise(r.risk_tier["before"], r.risk_tier["after"], r.malignant_probability["before"],
                                r.malignant_probability["after"])
    if tier_rise:
        (significant if tier_rise[0] else info).append(tier_rise[1])
    if r.baseline is not None and r.followup is not None:
        small, large = sorted((max(r.baseline.area_px, 1), max(r.followup.area_px, 1)))
        if large / small > R["implausible_area_ratio"]:
            r.verdict = "cannot tell"
            r.reasons = [f"the outlines found in the two images differ too much in size (x{large / small:.0f}) to be "
                         "one lesion measured twice: check the outlines, align by hand or re-image"] + info
            return
    if confidence < R["min_segmentation_confidence"]:
        r.verdict = "cannot tell"
        r.reasons = [f"cannot measure reliably (outline confidence {confidence:.2f}): {uncertainty}"] + significant + info
        return
    if r.cut_off:
        info.append("part of the lesion lies outside one of the images: measured on the part both images show")
        if not significant:
            # what is visible has not changed, but the rest of the lesion may have
            r.verdict = "cannot tell"
            r.reasons = ["no significant change where both images show the lesion, but the lesion reaches the edge "
                         "of the image; re-image with the whole lesion in view",
                         f"area {round(area):+d}%, diameter {round(diam):+d}% in the visible part"] + info
            return
    r.verdict = "significant" if significant else "not significant"
    rule_note = (f"{r.rules} rules (the visits are {r.interval_days} days apart)" if r.interval_days is not None
                 else "short-term rules (interval unknown)")
    if not significant:
        r.reasons = [f"no significant change under {rule_note}: area {round(area):+d}%, diameter {round(diam):+d}%"] + info
    else:
        r.reasons = significant + info + [rule_fired(rule_note, fired, SHORT_TERM_DAYS, r.rules == "long-term")]


__all__ = ["CHANGE_RULES", "ChangeResult", "compare", "judge", "align", "SHORT_TERM_DAYS"]
