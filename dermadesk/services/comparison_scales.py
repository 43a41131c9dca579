"""Whether a stored comparison was made with its two captures' mm per pixel as they are now (a scale corrected
since, or a correction undone): from the scales the row records, or for older rows from its figures."""

from __future__ import annotations

from dermadesk.analysis.registration import CALIBRATED_OUTLINE_CAVEAT, OUTLINE_CAVEAT
from dermadesk.domain.records import Capture


def _same_scale(recorded: object, now: float | None) -> bool:
    if recorded is None or now is None:
        return recorded is None and now is None
    return isinstance(recorded, (int, float)) and abs(float(recorded) - now) <= 1e-9 * max(abs(now), 1e-12)


def _scale_matches(metrics: dict, key: str, capture: Capture) -> bool:
    """For rows stored before comparisons recorded their scales: judged from the stored figures."""
    m = (metrics or {}).get(key) or {}
    if m.get("area_mm2") is None or capture.mm_per_px is None:
        return (m.get("area_mm2") is None) == (capture.mm_per_px is None) or not m
    if key == "followup":  # its pixels may be rescaled onto the baseline's: only presence is comparable
        return True
    return abs(m["area_mm2"] - m["area_px"] * capture.mm_per_px**2) <= 1e-3 * max(m["area_mm2"], 1e-9)


def _outline_scale_matches(metrics: dict, a: Capture, b: Capture) -> bool:
    """For rows stored before comparisons recorded their scales: a pair aligned on the lesion outline took its
    zoom from both captures' mm per pixel (the follow-up's over the baseline's) when both were known."""
    reg = (metrics or {}).get("registration") or {}
    if reg.get("method") != "lesion outline" or not reg.get("ok"):
        return True
    ratio = b.mm_per_px / a.mm_per_px if a.mm_per_px and b.mm_per_px else None
    if reg.get("caveat") == OUTLINE_CAVEAT:  # compared as captured: the two scales were not both known then
        return ratio is None
    if reg.get("caveat") == CALIBRATED_OUTLINE_CAVEAT and reg.get("scale") is not None:
        return ratio is not None and abs(float(reg["scale"]) - ratio) <= 1e-3 * ratio
    return True


def scales_match(metrics: dict, a: Capture, b: Capture) -> bool:
    """Whether a stored comparison of ``a`` and ``b`` was made with their mm per pixel as they are now: the
    scales it records; for older rows, what its figures and alignment tell."""
    recorded = (metrics or {}).get("scales")
    if isinstance(recorded, dict):
        return _same_scale(recorded.get("baseline"), a.mm_per_px) and _same_scale(recorded.get("followup"), b.mm_per_px)
    return (
        _scale_matches(metrics, "baseline", a)
        and _scale_matches(metrics, "followup", b)
        and _outline_scale_matches(metrics, a, b)
    )
