"""Two outlines compared by shape alone, for pairs that only the lesion's outline placed (skin without texture).

There the follow-up's position against the baseline is not known. Two shape facts still tell growth from a
different lesion, and even growth from growth to one side:

- a lesion that grew evenly is a scaled copy of itself (``copy_misfit`` small);
- a lesion that grew to one side keeps the rest of its border where it was (``kept_border``: the share of the
  baseline's border that the follow-up's border, put where they coincide best, still follows).

A smaller outline lying inside a larger one that is neither a scaled copy of it nor shares a part of its border
is another lesion (``same_lesion_shape``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dermadesk.analysis.metrics import SECTORS, sector_growth, sector_radii

BORDER_TOLERANCE = 0.04  # a sector's border "kept" when it moved less than this share of the lesion's radius
KEPT_BORDER_SHARE = 0.4  # ... in this share of the sectors: the lesion grew to one side (an even growth pushed
# against one side of its old outline touches it over 4 of 16 sectors at most, at +16 % radius and more)
# how far the follow-up is from a scaled copy of the baseline: the best copy's largest radial misfit beyond its
# median, as a share of the radius. Synthetic outlines on smooth skin: even growth (+12 to +107 % area, turned,
# shifted, irregular borders) at most 0.015; a wide bulge to one side (+37 to +49 %) 0.05 to 0.08
SHAPE_MISFIT = 0.035
SEARCH = 0.6  # placements searched up to this share of the baseline's radius from the centroid match
STEPS = 10  # ... in this many steps each way


@dataclass(frozen=True)
class ShapeFit:
    growth: np.ndarray  # per sector, around the baseline's centre with the follow-up where the border was kept
    kept_border: float  # share of the sectors whose border stayed put (0..1)
    copy_misfit: float  # how far the follow-up is from a scaled copy of the baseline (0: a scaled copy)


def _centroid(mask: np.ndarray) -> tuple[float, float]:
    m = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    return (m["m10"] / m["m00"], m["m01"] / m["m00"]) if m["m00"] else (0.0, 0.0)


def _border(mask: np.ndarray) -> np.ndarray:
    """The outer border's pixels (y, x rows), enough for the sector radii (the farthest pixel is on it)."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    out = np.zeros(mask.shape, np.uint8)
    cv2.drawContours(out, contours, -1, 1, 1)
    return out.astype(bool)


def shape_fit(bmask: np.ndarray, fmask: np.ndarray) -> ShapeFit:
    """Compare the follow-up's outline with the baseline's (both in the baseline's frame) over placements of the
    follow-up's centre near the baseline's: the one that keeps the most border, and the best scaled copy."""
    if not bmask.any() or not fmask.any():
        return ShapeFit(np.zeros(SECTORS), 0.0, 0.0)
    cb, cf = _centroid(bmask), _centroid(fmask)
    rb = np.maximum(sector_radii(_border(bmask), cb), 1.0)
    radius = float(np.median(rb))
    edge = _border(fmask)
    offsets = np.linspace(-SEARCH * radius, SEARCH * radius, 2 * STEPS + 1)
    outward = 1.0 if fmask.sum() >= bmask.sum() else -1.0  # a lesion grows outward (or shrinks inward)
    best_kept: tuple[float, float, float, np.ndarray] | None = None  # (one way?, share, -moved of kept, growth)
    misfit = np.inf
    for dx in offsets:
        for dy in offsets:
            rf = sector_radii(edge, (cf[0] + dx, cf[1] + dy))
            moved = np.abs(rf - rb) / radius
            kept = moved <= BORDER_TOLERANCE
            one_way = float(bool((outward * (rf - rb) / radius >= -BORDER_TOLERANCE).all()))
            key = (one_way, float(kept.mean()), -float(moved[kept].mean()) if kept.any() else -1.0)
            if best_kept is None or key > best_kept[:3]:
                best_kept = (*key, (rf - rb) / rb)
            ratio = rf / rb
            misfit = min(misfit, float(ratio.max() - np.median(ratio)) / max(float(np.median(ratio)), 1e-6))
    assert best_kept is not None
    return ShapeFit(best_kept[3], best_kept[1], misfit)


def same_lesion_shape(fit: ShapeFit) -> bool:
    """Whether two outlines can be one lesion grown or shrunk: a scaled copy, or a border partly kept."""
    return fit.copy_misfit < SHAPE_MISFIT or fit.kept_border >= KEPT_BORDER_SHARE


def outline_growth(
    bmask: np.ndarray, fmask: np.ndarray, base_centre: tuple[float, float], follow_centre: tuple[float, float]
) -> np.ndarray:
    """Growth per sector of a pair that only the outline placed: where the follow-up is no scaled copy of the
    baseline and kept part of its border, around the baseline's centre with that border where it was (growth to
    one side shows as such); otherwise each outline around its own centre (an even growth stays even, wherever
    the alignment put it)."""
    fit = shape_fit(bmask, fmask)
    if fit.copy_misfit >= SHAPE_MISFIT and fit.kept_border >= KEPT_BORDER_SHARE:
        return fit.growth
    return sector_growth(bmask, fmask, base_centre, follow_centre, placed_by_outline=True)
