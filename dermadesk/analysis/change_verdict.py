"""The rules of change tracking, the result of a comparison and its verdict in plain words (no pixel work here:
``change`` segments, aligns and measures, then calls ``judge``).

All thresholds live in ``CHANGE_RULES``. Rules follow the interval (sequential digital dermoscopy practice):
short-term follow-up (up to SHORT_TERM_DAYS, about 4.5 months): any morphological change is significant except a
global change of pigmentation. Long-term: asymmetric enlargement, marked enlargement, focal change of pigmentation,
new colours and regression features are significant. A lesion that runs off the edge of the part of the skin both
images show can still show significant change, but "not significant" is then "cannot tell". Every signed figure in
a reason is written by ``domain.text.signed``: "+0%", never "-0%".

Such a lesion's area is measured on the part both images show (``metrics.paired_outlines`` counts pigment only
where both show the skin, before and after alike), and less of it there is not a lesion that shrank: a lesion that
fills the view, its paler centre in view, loses pigment from view when it grows evenly beyond the frame (HAM10000
ISIC_0031967, its outline around a centre outside it, grown 20 %: 16 % less of it in view, measured -11 %, which read
"area shrank by 11%"); more of it there is growth of that part only. Its longest diameter is that of the part in view
(ISIC_0030565, grown x1.4 across beyond the top edge: area -1 % in view, "diameter" +17 %). Its reasons then say each
change where both images show it (``domain.text.in_view``: "13% less area where both images show the lesion", "17%
longer diameter where ..."), never "shrank" nor "grew"; and "no significant change where both images show the lesion"
only while that part changed by under ``cut_off_quiet_percent``. Verdicts are as for any lesion: only the words differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dermadesk.analysis.change_words import rule_fired
from dermadesk.analysis.framing import CUT_OFF_SHARE
from dermadesk.analysis.metrics import SECTORS, LesionMetrics
from dermadesk.analysis.registration import Alignment
from dermadesk.contract import RISK_TIERS
from dermadesk.domain.text import WHOLE_DIAMETER_UNKNOWN, amount, change_figures, in_view, signed

SHORT_TERM_DAYS = 135
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
    "cut_off_fraction": CUT_OFF_SHARE,  # share of a lesion's outline on the edge of the region both captures show
    # a lesion cut off by the frame is said to show "no significant change" where both images show it only while
    # its area there changed by less than this (unchanged pairs: p97 3.7 points, see area_change_percent)
    "cut_off_quiet_percent": 5.0,
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
            "verdict": self.verdict,
            "reasons": self.reasons,
            "interval_days": self.interval_days,
            "rules": self.rules,
            "registration": {
                "ok": bool(reg and reg.ok),
                "score": reg.score if reg else 0.0,
                "method": reg.method if reg else "not run",
                "points": self.manual_points,
                "scale": reg.scale if reg else None,
                "rotation_deg": reg.rotation_deg if reg else None,
                "caveat": reg.caveat if reg else "",
                "view": reg.view_change() if reg else "",
            },
            "area_change_percent": self.area_change_percent,
            "outlined_area_change_percent": self.outlined_area_change_percent,
            "diameter_change_percent": self.diameter_change_percent,
            "cut_off": self.cut_off,
            "outline_trusted": self.outline_trusted,
            "asymmetric_growth": self.asymmetric_growth,
            "sector_growth": self.sector_growth,
            "new_colours": self.new_colours,
            "lost_colours": self.lost_colours,
            "delta_e": self.delta_e,
            "focal_delta_e": self.focal_delta_e,
            "malignant_probability": self.malignant_probability,
            "risk_tier": self.risk_tier,
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "followup": self.followup.to_dict() if self.followup else None,
            "baseline_area_mm2": self.baseline.area_mm2 if self.baseline else None,
            "followup_area_mm2_own_scale": self.followup_area_mm2_own_scale,
        }


def rules_for(interval_days: int | None) -> str:
    return "long-term" if interval_days is not None and interval_days > SHORT_TERM_DAYS else "short-term"


def model_tier_rise(
    before: str | None, after: str | None, p_before: float | None, p_after: float | None
) -> tuple[bool, str] | None:
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
    why = (
        f"the malignant probability {_moved(rise)}, within the model's noise of {noise:.0%}"
        if rise is not None and rise <= noise
        else "no probabilities to compare"
        if rise is None
        else f"the new tier ({after}) is below refer"
    )
    return False, f"{text}, not counted as significant: {why}"


def _moved(rise: float) -> str:
    """How a probability moved, in whole percentage points: "rose by 12%", "fell by 4%", "did not change (+0%)"."""
    points = round(100 * rise)
    return f"rose by {points}%" if points > 0 else f"fell by {-points}%" if points < 0 else "did not change (+0%)"


def _direction(sector: int) -> str:
    return DIRECTIONS[int(round(sector * len(DIRECTIONS) / SECTORS)) % len(DIRECTIONS)]


def judge(
    r: ChangeResult,
    confidence: float,
    mm_per_px: float | None,
    growth: np.ndarray,
    uncertainty: str = "the lesion's outline is uncertain",
) -> None:
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
        info.append(
            f"the drawn outline changed by {signed(outlined or 0.0)}% but the pigment-weighted area by "
            f"{signed(area)}%: the outline is unstable on this border, so the pigment-weighted area is trusted and "
            "the outline's diameter is not used"
        )
    size = ""  # no mm² here (both were at the baseline's scale): the area line gives each at its own scale
    grew = "grew" if area > 0 else "shrank"
    # cut off: each change is that of the part both images show, said so (the lesion may go on beyond the edge)
    area_words = in_view(area, r.cut_off) or f"area {grew} by {amount(area)}%{size}"
    if r.cut_off and area < 0 and abs(area) >= R["area_change_percent"]:
        info.append(
            "the lesion reaches the edge of the image: with less of it where both images show it, it may have grown "
            "beyond the edge or got smaller; re-image with the whole lesion in view to tell which"
        )
    fired: tuple[str, float, float] | None = None  # the short-term size rule that fired: its own last reason
    if r.rules == "short-term":
        if abs(area) >= R["area_change_percent"]:
            significant.append(area_words)
            fired = ("area", R["area_change_percent"], abs(area) if r.cut_off else area)  # cut off: no "shrinking"
        elif abs(diam) >= R["diameter_change_percent"] and r.outline_trusted:
            significant.append(
                f"{in_view(diam, True, what='diameter')}; {WHOLE_DIAMETER_UNKNOWN}"
                if r.cut_off
                else f"longest diameter changed by {signed(diam)}%"
            )
            what = "longest diameter where both images show the lesion" if r.cut_off else "longest diameter"
            fired = (what, R["diameter_change_percent"], abs(diam) if r.cut_off else diam)
    else:
        if area >= R["long_term_marked_enlargement_percent"]:
            significant.append(f"marked enlargement: {area_words}")  # "area grew by 40%", or of the part in view
        elif abs(area) >= R["area_change_percent"]:
            # was ", symmetrically": beside "diameter +0%" read as a contradiction, and said of a shrinking or an
            # asymmetric growth too; the growth measured not towards one side is what it means (of a part: not said)
            even = area > 0 and not r.asymmetric_growth and not r.cut_off
            info.append(f"{area_words}, not towards one side" if even else area_words)
    if r.asymmetric_growth:
        significant.append(
            f"growth is asymmetric: mostly towards the {_direction(int(np.argmax(growth)))} "
            f"of the image ({signed(100 * float(growth.max()))}% there, "
            f"median sector {signed(100 * float(np.median(growth)))}%)"
        )
    if r.new_colours:
        regression = [c for c in r.new_colours if c in ("white", "blue-grey")]
        significant.append(
            f"new colour{'s' if len(r.new_colours) > 1 else ''}: {', '.join(r.new_colours)}"
            + (" (possible regression)" if regression else "")
        )
    if r.lost_colours:
        (significant if r.rules == "short-term" else info).append(f"colour no longer seen: {', '.join(r.lost_colours)}")
    if r.focal_delta_e is not None and r.focal_delta_e >= R["focal_delta_e"]:
        significant.append("focal change of pigmentation: part of the lesion changed colour clearly")  # ΔE: metrics
    if r.delta_e is not None and r.delta_e >= R["global_delta_e"]:
        info.append(
            "the whole lesion's colour changed evenly; a global change of pigmentation alone "
            "is not counted as significant"
        )
    tier_rise = model_tier_rise(
        r.risk_tier["before"], r.risk_tier["after"], r.malignant_probability["before"], r.malignant_probability["after"]
    )
    if tier_rise:
        (significant if tier_rise[0] else info).append(tier_rise[1])
    if r.baseline is not None and r.followup is not None:
        small, large = sorted((max(r.baseline.area_px, 1), max(r.followup.area_px, 1)))
        if large / small > R["implausible_area_ratio"]:
            r.verdict = "cannot tell"
            r.reasons = [
                f"the outlines found in the two images differ too much in size (x{large / small:.0f}) to be "
                "one lesion measured twice: check the outlines, align by hand or re-image"
            ] + info
            return
    if confidence < R["min_segmentation_confidence"]:
        r.verdict = "cannot tell"
        r.reasons = (
            [f"cannot measure reliably (outline confidence {confidence:.2f}): {uncertainty}"] + significant + info
        )
        return
    if r.cut_off:
        info.append("part of the lesion lies outside one of the images: measured on the part both images show")
        if not significant:
            # what is visible has not changed, but the rest of the lesion may have
            r.verdict = "cannot tell"
            quiet = abs(area) < R["cut_off_quiet_percent"]
            r.reasons = [
                "no significant change where both images show the lesion, but the lesion reaches the edge "
                "of the image; re-image with the whole lesion in view"
                if quiet
                else f"cannot tell: {area_words}, and the lesion reaches the edge of the image, so more of it may "
                "have changed beyond the edge; re-image with the whole lesion in view",
                change_figures(area, diam, None, cut_off=True),  # the figures line's words: no diameter of a part
            ] + [i for i in info if i != area_words]  # the area said once
            return
    r.verdict = "significant" if significant else "not significant"
    rule_note = (
        f"{r.rules} rules (the visits are {r.interval_days} days apart)"
        if r.interval_days is not None
        else "short-term rules (interval unknown)"
    )
    if not significant:
        r.reasons = [f"no significant change under {rule_note}: area {signed(area)}%, diameter {signed(diam)}%"] + info
    else:
        r.reasons = significant + info + [rule_fired(rule_note, fired, SHORT_TERM_DAYS, r.rules == "long-term")]
