"""Plain words for figures a clinic user would otherwise have to decode: a comparison's areas and why an
assessment's risk tier is what it is. The app's views and the PDF report say the same (the report gets these
strings in its data)."""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from dermadesk.contract import CLASSES, MALIGNANT_CODES
from dermadesk.contract.manifest import RiskThresholds
from dermadesk.domain.errors import DermaDeskError
from dermadesk.domain.records import Assessment
from dermadesk.domain.text import EDGE_OF_IMAGE, in_view, signed
from dermadesk.inference.registry import ModelRegistry

TIER_WORDS = {"urgent": "Urgent referral", "refer": "Referral", "monitor": "Follow-up"}
# what each tier asks of the clinic, short enough for the line under the tier (the full recommendation below it)
# the threshold each tier's sentence names, in words
THRESHOLD_WORDS = {"urgent": "urgent-referral", "refer": "referral", "monitor": "follow-up"}


def _percent(value: float, places: int = 0) -> str:
    return f"{100 * value:.{places}f}%"  # as the tier line writes it ("malignant 20% (melanoma 5%)")


def chance_text(value: float, limits: Collection[float] = ()) -> str:
    """A chance as the tier line and the sentence under it both print it (app, lesion report, command line): whole
    percent, else one decimal more, as many as needed, until it reads apart from every threshold in ``limits`` that it
    differs from ("19.6%" beside a threshold of 20 %, never "20%", which reads as at it); a chance within a millionth
    of a percent of one is cut towards its side of it, to one decimal ("6.9%" below 7 %). No ``limits`` (the model's
    thresholds not known): whole percent."""
    near = [limit for limit in limits if limit != value]
    for places in range(7):
        said = _percent(value, places)
        if all(said != _percent(limit, places) for limit in near):
            return said
    limit = min(near, key=lambda x: abs(x - value))
    side = math.floor if value < limit else math.ceil
    return f"{side(1000 * value) / 10:.1f}%"


def _limits(thresholds: RiskThresholds | None, kind: str) -> tuple[float, ...]:
    """The model's thresholds of one kind ("malignant", "melanoma"), every tier's: its chance is printed apart from
    each of them, whichever the sentence names."""
    return tuple(getattr(thresholds, f"{tier}_{kind}") for tier in THRESHOLD_WORDS) if thresholds else ()


def tier_chances(a: Assessment, thresholds: RiskThresholds | None) -> tuple[str, str]:
    """(malignant, melanoma) chances of an assessed image as the tier line prints them ("malignant 19.6% (melanoma
    5%)"), the figures ``tier_reason`` compares with the thresholds, in the same words (``chance_text``)."""
    mal, mel = a.malignant_probability or 0.0, a.melanoma_probability or 0.0
    return chance_text(mal, _limits(thresholds, "malignant")), chance_text(mel, _limits(thresholds, "melanoma"))


def _against(value: float, limit: float, thresholds: RiskThresholds | None, kind: str) -> tuple[str, str]:
    """A chance as every surface prints it (``chance_text``) and the threshold it is compared with, to as many
    decimals ("6.6%" below "7.0%", not "7%" below "7%")."""
    said = chance_text(value, _limits(thresholds, kind))
    places = len(said.rstrip("%").partition(".")[2])
    return said, _percent(limit, places)


SCALE_CHECK = "Check the scales"  # how the area line starts when the recorded mm per pixel contradict the images


def scales_disagree(metrics: dict[str, Any]) -> bool:
    """Both captures have a scale, but the change of their mm² and that of the same outlines counted in the
    baseline's frame (the zoom the alignment saw between the images) differ by 10 points or more: one of the
    recorded mm per pixel is wrong, and the mm² change would contradict the verdict's."""
    base, follow = metrics.get("baseline") or {}, metrics.get("followup") or {}
    own_key = "followup_area_mm2_own_scale"
    base_mm2, own_mm2 = base.get("area_mm2"), metrics[own_key] if own_key in metrics else follow.get("area_mm2")
    outlined = metrics.get("outlined_area_change_percent")  # the same outlines, in the baseline's frame
    if base_mm2 is None or own_mm2 is None or outlined is None or base.get("area_px") is None:
        return False
    return abs(outlined - 100 * (own_mm2 - base_mm2) / max(base_mm2, 1e-9)) >= 10


def _area_change(value: float, cut_off: bool, edge: bool = True, places: int = 0) -> str:
    """An area change as the area line gives it in brackets: "-11%" (``places`` decimals: "-11.3%"); where the lesion
    is cut off by the frame (``in_view``), "11% less area where both images show the lesion" ("12% more area ..."),
    and with ``edge`` "; it reaches the edge of an image" (said once a line)."""
    partial = in_view(value, cut_off, places)
    return f"{signed(value, places)}%" if not partial else f"{partial}; {EDGE_OF_IMAGE}" if edge else partial


def area_line(metrics: dict[str, Any]) -> str:
    """Each capture's outlined area, in one unit: mm² (each at its own mm per pixel) when both captures have a
    scale, else whole pixels (the follow-up's counted in the baseline's frame) naming the capture without one.
    When the verdict's area change (pigment-weighted, follow-up aligned onto the baseline) differs from the
    change these figures show, the line gives it first, named so, then the outlined areas as another measure, their
    change to one decimal ("The verdict's area change: +13% (measured on the two images aligned). Outlined area,
    another measure (the drawn outlines, ...): ... (+12.4%)."): never read as one change said twice ("+2%" then
    "(+1%)"). When the recorded scales contradict the images (``scales_disagree``) it says so first, names the figure
    the verdict uses, and gives the mm² without a change of their own (a nurse read "shrank by 27 %" and "+105 %"
    side by side). A lesion cut off by the frame: each change says where it was measured, never a bare "-11%" or
    "+12%" (``in_view``). "" when not measured."""
    base, follow = metrics.get("baseline") or {}, metrics.get("followup") or {}
    if base.get("area_px") is None or follow.get("area_px") is None:
        return ""
    base_mm2 = base.get("area_mm2")
    # rows stored before own-scale areas: the follow-up's figure as it was shown then (as ``capture_areas``)
    own_key = "followup_area_mm2_own_scale"
    own_mm2 = metrics[own_key] if own_key in metrics else follow.get("area_mm2")
    verdict = metrics.get("area_change_percent")
    cut_off = bool(metrics.get("cut_off"))
    if scales_disagree(metrics):
        used = (
            f"The verdict's area change ({_area_change(verdict, cut_off)}) does not use them: it is measured on the "
            "images, the follow-up aligned onto the baseline. "
            if verdict is not None
            else ""
        )
        return (
            f"{SCALE_CHECK}: the recorded mm per pixel of the two captures do not match the images (the zoom "
            f"seen between them); correct the wrong one (Edit > Edit capture). {used}Outlined area at each capture's "
            f"recorded scale: baseline {base_mm2:.1f} mm², follow-up {own_mm2:.1f} mm² (not comparable until "
            "the scales are checked)."
        )
    if base_mm2 is not None and own_mm2 is not None:
        shown = (own_mm2 - base_mm2) / max(base_mm2, 1e-9)
        how, sizes = "each capture at its own scale", f"baseline {base_mm2:.1f} mm² → follow-up {own_mm2:.1f} mm²"
        line, after = f"Outlined area, {how}: {sizes} ({{}})", ""
        other = f"Outlined area, another measure (the drawn outlines, {how}): {sizes} ({{}})"
    else:
        px_b, px_f = float(base["area_px"]), float(follow["area_px"])
        shown = (px_f - px_b) / max(px_b, 1.0)
        missing = (
            "neither capture has a scale"
            if base_mm2 is None and own_mm2 is None
            else "the baseline has no scale"
            if base_mm2 is None
            else "the follow-up has no scale"
        )
        sizes = f"baseline {px_b:.0f} px → follow-up {px_f:.0f} px"
        line = f"Outlined area in pixels: {sizes}, counted in the baseline's frame ({{}})"
        how = "in the baseline's frame"
        other = f"Outlined area in pixels, another measure (the drawn outlines, {how}): {sizes} ({{}})"
        after = f". No mm²: {missing} (mm per pixel); set it in Edit capture"
    if verdict is not None and signed(verdict) != signed(100 * shown):  # "grew by 22%" beside "(+21%)": an error?
        # the figure the verdict uses first, then the outlined areas, named another measure and to one decimal: a GP
        # read a paragraph of method after them, a new user "+2%" then "(+1%)" and could not tell which it grew by
        said = _area_change(verdict, cut_off, edge=not cut_off)
        outlined = other.format(_area_change(100 * shown, cut_off, places=1))
        return f"The verdict's area change: {said} (measured on the two images aligned). {outlined}{after}."
    return line.format(_area_change(100 * shown, cut_off)) + after + "."


def _class_name(code: str) -> str:
    return next((c.name for c in CLASSES if c.code == code), code)


def tier_reason(a: Assessment, thresholds: RiskThresholds | None) -> str:
    """Why ``a`` has its risk tier, from the rule that sets it (``RiskThresholds.tier``): the first of urgent,
    refer, monitor whose malignant or melanoma threshold the probabilities reach; the top class plays no part.
    ``thresholds``: the model's own (None: the model is no longer installed, so the figures are not named).
    "" for an assessment without a tier."""
    tier, mal, mel = a.risk_tier, a.malignant_probability, a.melanoma_probability
    if not a.assessable or tier is None or mal is None or mel is None:
        return ""
    top = _class_name(a.top_class)
    benign_top = a.top_class not in MALIGNANT_CODES
    although = f", although the most likely class is {top}" if benign_top else ""
    if tier == "low":
        (mal_said, mal_limit), (mel_said, mel_limit) = (
            (
                _against(mal, thresholds.monitor_malignant, thresholds, "malignant"),
                _against(mel, thresholds.monitor_melanoma, thresholds, "melanoma"),
            )
            if thresholds
            else ((chance_text(mal), ""), (chance_text(mel), ""))
        )
        limits = f" ({mal_limit} and {mel_limit})" if thresholds else ""
        return (
            f"Low because the chance of a malignant lesion ({mal_said}) and of melanoma ({mel_said}) "
            f"are both below the follow-up thresholds{limits}."
        )
    if tier not in TIER_WORDS:
        return ""
    chances = (("malignant", mal, "a malignant lesion"), ("melanoma", mel, "melanoma"))
    words = THRESHOLD_WORDS[tier]
    parts = [
        f"the chance of {what} ({said[0]}) is at or above the {words} threshold ({said[1]})"
        for kind, p, what in chances
        if thresholds is not None
        and p >= (limit := getattr(thresholds, f"{tier}_{kind}"))
        and (said := _against(p, limit, thresholds, kind))
    ]
    # without the model's thresholds (or figures that do not meet them): the rule, without figures
    reason = " and ".join(parts) or (
        " or ".join(f"the chance of {what} ({chance_text(p, _limits(thresholds, kind))})" for kind, p, what in chances)
        + f" reached the model's {words} threshold"
    )
    rule = (
        " The tier comes from these chances, not from the most likely class: a lesion can be most likely "
        "benign and still need a look."
        if benign_top
        else ""
    )
    return f"{TIER_WORDS[tier]} because {reason}{although}.{rule}"


def model_thresholds(registry: ModelRegistry, name: str, version: str) -> RiskThresholds | None:
    """The risk thresholds of the model that made an assessment, when that model (name and version) is installed:
    as its manifest states them (``ModelRegistry.stated``: showing a stored result needs no sha256 of the model)."""
    try:
        manifests = registry.stated()
    except DermaDeskError:
        return None
    return next((m.thresholds for m in manifests if m.name == name and m.version == version), None)
