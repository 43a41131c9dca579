"""Lesion metrics from a mask and the image: size, asymmetry, border, dermoscopic colours."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

from dermadesk.analysis.imaging import shrink_to
from dermadesk.analysis.segmentation import WORK_SIDE, remove_hair, shades_of_grey

# Reference colours (sRGB after colour normalisation) for the six dermoscopic colours.
DERMOSCOPIC_COLOURS: dict[str, tuple[int, int, int]] = {
    "white": (228, 222, 220),
    "red": (196, 74, 72),
    "light brown": (170, 116, 80),
    "dark brown": (96, 58, 40),
    "blue-grey": (100, 112, 132),
    "black": (32, 26, 28),
}
COLOUR_PRESENT_FRACTION = 0.05  # a colour counts as present when it covers at least 5% of the lesion


@dataclass(frozen=True)
class LesionMetrics:
    area_px: int
    area_mm2: float | None
    diameter_px: float
    diameter_mm: float | None
    asymmetry: tuple[float, float]  # mismatch fraction when folded about the major and minor axis
    border_irregularity: float  # perimeter^2 / (4 pi area): 1 for a circle
    colours: dict[str, float]  # fraction of lesion pixels nearest to each reference colour
    colours_present: tuple[str, ...]
    mean_lab: tuple[float, float, float]
    centroid: tuple[float, float]
    orientation_deg: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _lab(rgb_pixels: np.ndarray) -> np.ndarray:
    """N x 3 uint8 RGB -> N x 3 float CIE Lab (L 0..100)."""
    lab = cv2.cvtColor(rgb_pixels.reshape(-1, 1, 3).astype(np.uint8), cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(float)
    lab[:, 0] *= 100 / 255
    lab[:, 1:] -= 128
    return lab


REFERENCE_LAB = _lab(np.array(list(DERMOSCOPIC_COLOURS.values()), np.uint8))


def colour_labels(rgb_pixels: np.ndarray) -> np.ndarray:
    """Index into DERMOSCOPIC_COLOURS of the nearest reference colour (Lab distance) per pixel."""
    lab = _lab(rgb_pixels)
    d = ((lab[:, None, :] - REFERENCE_LAB[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1)


def principal_axes(mask: np.ndarray) -> tuple[tuple[float, float], float]:
    m = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    if m["m00"] == 0:
        return (0.0, 0.0), 0.0
    cx, cy = m["m10"] / m["m00"], m["m01"] / m["m00"]
    angle = 0.5 * np.degrees(np.arctan2(2 * m["mu11"], m["mu20"] - m["mu02"]))
    return (cx, cy), float(angle)


def asymmetry(mask: np.ndarray) -> tuple[float, float]:
    """Fraction of the lesion that does not overlap its mirror image about each principal axis."""
    (cx, cy), angle = principal_axes(mask)
    h, w = mask.shape
    size = int(2 * max(h, w))
    rot = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    rot[:, 2] += (size / 2 - cx, size / 2 - cy)
    aligned = cv2.warpAffine(mask.astype(np.uint8), rot, (size, size), flags=cv2.INTER_NEAREST).astype(bool)
    area = max(aligned.sum(), 1)
    return (float((aligned ^ aligned[::-1, :]).sum() / (2 * area)), float((aligned ^ aligned[:, ::-1]).sum() / (2 * area)))


def longest_diameter(mask: np.ndarray) -> float:
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    hull = cv2.convexHull(np.concatenate(contours)).reshape(-1, 2).astype(float)
    d = np.sqrt(((hull[:, None, :] - hull[None, :, :]) ** 2).sum(axis=2))
    return float(d.max())


SKIN_REFERENCE_GREY = 170.0


def normalise_to_skin(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Shades-of-grey colour balance, then brightness scaled so the skin around the lesion has a fixed
    mean grey: colours and ΔE then do not move when only the lighting changes."""
    balanced = shades_of_grey(rgb)
    k = max(3, min(mask.shape) // 25)
    ring = cv2.dilate(mask.astype(np.uint8), np.ones((k, k), np.uint8), iterations=3).astype(bool) & ~mask
    if ring.sum() < 50:
        return balanced
    skin = float(cv2.cvtColor(balanced, cv2.COLOR_RGB2GRAY)[ring].mean())
    gain = float(np.clip(SKIN_REFERENCE_GREY / max(skin, 1.0), 0.5, 2.0))
    return np.clip(balanced.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def lesion_metrics(rgb: np.ndarray, mask: np.ndarray, mm_per_px: float | None = None,
                   normalise: bool = True) -> LesionMetrics:
    """Metrics of the lesion ``mask`` in ``rgb`` (colours measured after colour and brightness normalisation)."""
    area = int(mask.sum())
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    perimeter = float(sum(cv2.arcLength(c, True) for c in contours))
    img = normalise_to_skin(rgb, mask) if normalise else rgb
    pixels = img[mask]
    if len(pixels) > 40000:
        pixels = pixels[np.random.default_rng(0).choice(len(pixels), 40000, replace=False)]
    labels = colour_labels(pixels) if len(pixels) else np.zeros(0, int)
    counts = np.bincount(labels, minlength=len(DERMOSCOPIC_COLOURS)) / max(len(labels), 1)
    colours = {name: round(float(f), 4) for name, f in zip(DERMOSCOPIC_COLOURS, counts)}
    mean_lab = tuple(float(v) for v in _lab(pixels).mean(axis=0)) if len(pixels) else (0.0, 0.0, 0.0)
    diameter = longest_diameter(mask)
    centroid, angle = principal_axes(mask)
    return LesionMetrics(
        area_px=area, area_mm2=area * mm_per_px ** 2 if mm_per_px else None, diameter_px=diameter,
        diameter_mm=diameter * mm_per_px if mm_per_px else None, asymmetry=asymmetry(mask) if area else (0.0, 0.0),
        border_irregularity=perimeter ** 2 / (4 * np.pi * area) if area else 0.0, colours=colours,
        colours_present=tuple(n for n, f in colours.items() if f >= COLOUR_PRESENT_FRACTION),
        mean_lab=mean_lab, centroid=centroid, orientation_deg=angle)


def delta_e(lab1: tuple[float, float, float] | np.ndarray, lab2: tuple[float, float, float] | np.ndarray) -> float:
    """CIE76 colour difference."""
    return float(np.sqrt(((np.asarray(lab1, float) - np.asarray(lab2, float)) ** 2).sum()))


# Comparing two aligned captures. Each pixel's contrast c is how dark it is between the skin (0) and
# the baseline lesion's median (1), with lightness taken relative to the skin around the lesion in
# each capture (so relighting cancels). The pigment-weighted area counts each pixel by c ramped from
# PIGMENT_RAMP[0] to [1]: a hard outline on a gradual border jumps with small changes of lighting,
# blur or resampling; this sum does not (blur keeps it). The shared outlines are c >= OUTLINE_CONTRAST
# in both captures, one rule for both, so diameters, sectors and colours compare like with like.
# Ramp chosen on HAM10000 images with synthetic growth (dermadesk.bench.change).
PIGMENT_RAMP = (0.4, 0.8)
OUTLINE_CONTRAST = 0.5  # the midpoint between skin and lesion, as in segmentation


@dataclass(frozen=True)
class PairedOutlines:
    baseline_area: float  # pigment-weighted, in baseline pixels
    followup_area: float
    baseline_mask: np.ndarray  # shared-rule outlines at the baseline's size
    followup_mask: np.ndarray


def _skin_relative_lightness(rgb: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """Blurred L* with hairs inpainted, except inside ``keep`` (the lesion: its network is not hair, and
    inpainting it would lighten a sharp capture's lesion more than a soft one's)."""
    clean, _ = remove_hair(shades_of_grey(rgb), keep)
    lightness = cv2.cvtColor(clean, cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32)
    return cv2.GaussianBlur(lightness, (0, 0), 1.0)


def _outline(contrast: np.ndarray, region: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Contrast >= OUTLINE_CONTRAST within ``region``: the components touching ``seed``, holes filled."""
    raw = ((contrast >= OUTLINE_CONTRAST) & region).astype(np.uint8)
    raw = cv2.morphologyEx(raw, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    _, labels = cv2.connectedComponents(raw, connectivity=8)
    keep = np.isin(labels, np.unique(labels[seed & (labels > 0)]))
    contours, _ = cv2.findContours(keep.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(raw)
    cv2.drawContours(filled, contours, -1, 1, thickness=-1)
    return filled.astype(bool) & region


def paired_outlines(baseline: np.ndarray, aligned: np.ndarray, baseline_mask: np.ndarray,
                    followup_mask: np.ndarray, visible: np.ndarray) -> PairedOutlines:
    """Pigment-weighted areas and shared-rule outlines of two aligned captures, where both show the skin.

    The region is either capture's own outline plus a margin; the skin reference is the ring beyond it.
    """
    h, w = baseline_mask.shape

    def small(a: np.ndarray, interp: int = cv2.INTER_NEAREST) -> np.ndarray:
        return shrink_to(a, WORK_SIDE, interp)[0]

    def full(m: np.ndarray) -> np.ndarray:
        return m if m.shape == (h, w) else cv2.resize(m.astype(np.uint8), (w, h),
                                                      interpolation=cv2.INTER_NEAREST).astype(bool)

    mb, mf = small(baseline_mask.astype(np.uint8)).astype(bool), small(followup_mask.astype(np.uint8)).astype(bool)
    seen = small(visible.astype(np.uint8)).astype(bool)
    size, scale = mb.shape[::-1], mb.shape[1] / w
    k = max(3, min(size) // 25)
    union = (mb | mf).astype(np.uint8)
    region = cv2.dilate(union, np.ones((k, k), np.uint8), iterations=2).astype(bool) & seen
    ring = cv2.dilate(union, np.ones((k, k), np.uint8), iterations=4).astype(bool) & ~region & seen
    if ring.sum() < 30:
        ring = ~region & seen
    if ring.sum() < 30 or not (mb & seen).any():
        return PairedOutlines(float(baseline_mask.sum()), float(followup_mask.sum()), baseline_mask, followup_mask)
    lesion = mb | mf
    lb = _skin_relative_lightness(small(baseline, cv2.INTER_AREA), lesion)
    lf = _skin_relative_lightness(small(aligned, cv2.INTER_AREA), lesion)
    lb /= max(float(np.median(lb[ring])), 1.0)
    lf /= max(float(np.median(lf[ring])), 1.0)
    depth = max(1.0 - float(np.median(lb[mb & seen])), 0.05)
    lo, hi = PIGMENT_RAMP
    contrast = [(1.0 - lt) / depth for lt in (lb, lf)]
    areas = [float(np.clip((c[region] - lo) / (hi - lo), 0, 1).sum()) / scale ** 2 for c in contrast]
    seed = (mb | mf) & seen
    ob, of = (_outline(c, region, seed) for c in contrast)
    if ob.sum() < 0.25 * (mb & seen).sum():  # the shared rule lost the lesion: keep the captures' own outlines
        return PairedOutlines(areas[0], areas[1], baseline_mask, followup_mask)
    return PairedOutlines(areas[0], areas[1], full(ob), full(of))


SECTORS = 16  # growth per sector: the outline is cut into this many angular sectors


def sector_radii(mask: np.ndarray, centre: tuple[float, float], sectors: int = SECTORS) -> np.ndarray:
    """Largest distance from ``centre`` to a lesion pixel in each angular sector (0 = image right)."""
    ys, xs = np.nonzero(mask)
    angles = (np.arctan2(ys - centre[1], xs - centre[0]) % (2 * np.pi)) / (2 * np.pi) * sectors
    idx = np.minimum(angles.astype(int), sectors - 1)
    dist = np.hypot(xs - centre[0], ys - centre[1])
    out = np.zeros(sectors)
    np.maximum.at(out, idx, dist)
    return out


def sector_growth(bmask: np.ndarray, fmask: np.ndarray, base_centre: tuple[float, float],
                  follow_centre: tuple[float, float], placed_by_outline: bool = False) -> np.ndarray:
    """Relative growth of each sector's radius, follow-up over baseline (both outlines in the baseline's frame).

    Measured around the baseline's centre, where the skin placed the follow-up. When only the lesion's own
    outline placed it (``placed_by_outline``: skin without texture), its position is not known: an evenly
    grown lesion fits inside its larger self in many places, and the alignment may put it against one side
    of the baseline, which would read as growth to the other side. The growth is then judged on shape alone,
    each outline around its own centre, so a lesion that grew evenly is even, whatever the alignment did.
    """
    rb = np.maximum(sector_radii(bmask, base_centre), 1.0)
    return (sector_radii(fmask, follow_centre if placed_by_outline else base_centre) - rb) / rb
