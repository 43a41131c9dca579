"""Lesion segmentation for dermoscopic images: hair removal, dark-corner and marker-ink masking,
Otsu on lightness, a shadow along the rim of the view (or a dermatoscope's dark round frame) never taken for
the lesion, nor allowed to set the threshold that finds it.

Returns a mask at the input image's size and a confidence in [0, 1]; raises SegmentationError
with a plain reason when no lesion can be found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from dermadesk.analysis.imaging import shrink_to
from dermadesk.domain.errors import DermaDeskError

WORK_SIDE = 512  # segmentation runs on a copy whose longer side is at most this
MIN_AREA_FRACTION = 0.004
# A dark region running along more than RIM_TOUCH of the view's edge whose area over its length along the edge is
# under RIM_DEPTH of the view's shorter side is a shadow or vignetting along the rim of the view if it covers less
# than RIM_MAX_AREA of the view, or wraps around the view's middle in the skin's own colour (RING_PIGMENT). A lesion
# cut off by the frame touches it along a chord, about 0.05-0.15 of the border, and is about as deep as wide.
RIM_TOUCH, RIM_MAX_AREA, RIM_DEPTH = 0.2, 0.35, 0.2
RIM_PASSES = 2  # Otsu's threshold is drawn once more with the rim taken out of the view
# Shading keeps the skin's colour: a large ring whose chromaticity (rgb over r+g+b) is further than this from the rest
# of the view's is pigment (a lesion with a paler middle running off the frame). HAM10000 rings of shading and
# freckles: at most 0.038 (24 in all); a brown lesion on pink skin: about 0.1.
RING_PIGMENT = 0.06


class SegmentationError(DermaDeskError):
    """No lesion could be segmented in an image."""


@dataclass(frozen=True)
class Segmentation:
    mask: np.ndarray  # bool, image size
    confidence: float  # contrast x hair: how well the visible outline is defined (edge_fraction is separate)
    hair_fraction: float
    contrast: float  # lightness difference lesion vs surrounding skin, in skin standard deviations
    edge_fraction: float = 0.0  # share of the image border the lesion touches (cut off by the frame)

    def uncertainty_reason(self) -> str:
        """Why the outline is uncertain (low ``confidence``), in words a user can act on."""
        if self.hair_fraction >= 0.2:
            return "hair covers much of the lesion; shave or part the hair and re-image"
        return "the lesion's outline has little contrast; re-image in focus with even lighting"


def shades_of_grey(rgb: np.ndarray, p: int = 6) -> np.ndarray:
    """Colour constancy (Finlayson's shades of grey): scale channels so their Minkowski means agree."""
    x = rgb.astype(np.float32) + 1.0
    norms = np.power(np.mean(np.power(x, p), axis=(0, 1)), 1.0 / p)
    gains = norms.mean() / np.maximum(norms, 1e-6)
    return np.clip(x * gains - 1.0, 0, 255).astype(np.uint8)


def hair_mask(rgb: np.ndarray) -> np.ndarray:
    """Thin dark hairs (black-hat on lightness, long thin components only), dilated by one pixel."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    size = max(9, int(round(min(grey.shape) / 30)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    blackhat = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, kernel)
    hair = (blackhat > 18).astype(np.uint8)
    # hairs are long and thin: drop compact blobs (dots, globules) from the hair mask
    n, labels, stats, _ = cv2.connectedComponentsWithStats(hair, connectivity=8)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        w, h, area = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT], stats[i, cv2.CC_STAT_AREA]
        keep[i] = max(w, h) >= size * 2 and area < 0.6 * w * h
    return cv2.dilate(keep[labels].astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)


def remove_hair(rgb: np.ndarray, keep: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Inpaint thin dark hairs, except inside ``keep``. Returns (image, hair fraction)."""
    hair = hair_mask(rgb)
    fraction = float(hair.mean())
    if keep is not None:
        hair &= ~keep
    if not hair.any():
        return rgb, fraction
    return cv2.inpaint(rgb, hair.astype(np.uint8), 5, cv2.INPAINT_TELEA), fraction


def field_of_view(rgb: np.ndarray) -> np.ndarray:
    """Pixels inside the dermatoscope's field: dark regions connected to the image border are excluded.

    Black is always outside; so is a dim, colourless grey (the inside of the dermatoscope's housing, well
    darker than the centre of the view). A lesion is coloured (brown, red, blue-grey), so one that runs off
    the edge of the image stays inside.
    """
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    chroma = rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2)  # absolute, unlike HSV's S on dark pixels
    h, w = grey.shape
    centre = float(np.median(grey[h // 4:3 * h // 4, w // 4:3 * w // 4]))
    dark = ((grey < 35) | ((grey < 0.45 * centre) & (chroma < 25))).astype(np.uint8)
    n, labels = cv2.connectedComponents(dark)
    border = set(np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))) - {0}
    outside = np.isin(labels, list(border))
    return ~outside


def marker_ink(rgb: np.ndarray) -> np.ndarray:
    """Pixels of surgical-marker ink (gentian violet / blue pen): saturated violet-blue to violet
    (OpenCV hue 120-162, i.e. 240-324 degrees; red-purple angiomas lie above it).

    Pigmented lesions are brown, black or blue-grey (unsaturated); violet ink drawn beside a lesion is
    darker than skin and would otherwise be outlined as the lesion.
    """
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    ink = (hue >= 120) & (hue <= 162) & (sat > 90) & (val < 230)
    return cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)


def view_edge(fov: np.ndarray) -> np.ndarray:
    """The edge of what the image shows: its frame and the rim of the dermatoscope's field of view."""
    frame = np.zeros(fov.shape, bool)
    frame[0], frame[-1], frame[:, 0], frame[:, -1] = True, True, True, True
    rim = cv2.dilate((~fov).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    return (frame | rim) & fov


def _touch(mask: np.ndarray, edge: np.ndarray | None = None) -> float:
    """Share of ``edge`` (default: the image's frame) that ``mask`` touches."""
    if edge is None:
        h, w = mask.shape
        return float((mask[0].sum() + mask[-1].sum() + mask[:, 0].sum() + mask[:, -1].sum()) / (2 * (h + w)))
    return float((mask & edge).sum() / max(int(edge.sum()), 1))


def _is_ring(mask: np.ndarray, edge: np.ndarray) -> bool:
    """Along more than RIM_TOUCH of the view's edge and wrapped around a middle it does not cover."""
    if not mask.any() or _touch(mask, edge) <= RIM_TOUCH:
        return False
    ys, xs = np.nonzero(mask)
    return not bool(mask[int(round(ys.mean())), int(round(xs.mean()))])


def _colour_gap(chroma: np.ndarray, view: np.ndarray, mask: np.ndarray) -> float:
    """Distance between the median chromaticity (rgb over r+g+b) of ``mask`` and of the rest of ``view``."""
    return float(np.linalg.norm(np.median(chroma[mask], axis=0) - np.median(chroma[view & ~mask], axis=0)))


def _is_rim(mask: np.ndarray, edge: np.ndarray, gap: Callable[[np.ndarray], float]) -> bool:
    """A dark band along the rim of the view (see RIM_TOUCH): thin along the edge (a lesion cut off by the frame is
    about as deep as wide: HAM10000 ISIC_0030565), and small or a ring of the skin's colour (``gap``) around the
    middle (the dermatoscope's round shadow joined with freckles, 38 % of the view: ISIC_0031967, ISIC_0028560)."""
    along = int((mask & edge).sum())
    if along <= RIM_TOUCH * max(int(edge.sum()), 1):
        return False
    area = int(mask.sum())
    if area >= RIM_DEPTH * min(mask.shape) * along:
        return False
    return area < RIM_MAX_AREA * mask.size or (_is_ring(mask, edge) and gap(mask) < RING_PIGMENT)


def _dark_regions(lightness: np.ndarray, view: np.ndarray, kernel: np.ndarray) -> tuple[int, np.ndarray, np.ndarray,
                                                                                         np.ndarray]:
    """Regions darker than Otsu's threshold over ``view``, opened and closed: connectedComponentsWithStats."""
    thresh, _ = cv2.threshold(lightness[view].reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    raw = ((lightness < thresh) & view).astype(np.uint8)
    raw = cv2.morphologyEx(raw, cv2.MORPH_OPEN, kernel)
    raw = cv2.morphologyEx(raw, cv2.MORPH_CLOSE, kernel, iterations=2)
    return cv2.connectedComponentsWithStats(raw, connectivity=8)


def segment(rgb: np.ndarray, prior: np.ndarray | None = None) -> Segmentation:
    """Segment the lesion (the darker, central region) in an RGB uint8 image.

    ``prior`` (a mask at the image's size, e.g. the baseline lesion warped into this image) makes the
    segmentation keep the dark region that overlaps it, so a comparison always measures the same lesion.
    """
    h, w = rgb.shape[:2]
    small, scale = shrink_to(rgb, WORK_SIDE)
    clean, hair_fraction = remove_hair(shades_of_grey(small))
    lab = cv2.cvtColor(clean, cv2.COLOR_RGB2LAB)
    lightness = cv2.GaussianBlur(lab[..., 0], (0, 0), 2)
    fov = field_of_view(small)
    if fov.mean() < 0.2:
        raise SegmentationError("no lesion found: the image is mostly dark (lens cap or severe vignetting?)")
    chroma: list[np.ndarray] = []  # rgb over r+g+b, worked out only if a large ring needs its colour

    def gap(region: np.ndarray) -> float:
        if not chroma:
            x = clean.astype(np.float32) + 1.0
            chroma.append(x / x.sum(axis=2, keepdims=True))
        return _colour_gap(chroma[0], fov, region)

    ink = marker_ink(small)
    k = max(3, int(min(fov.shape) / 60) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    sh, sw = fov.shape
    prior_small = None
    rim_allowed = False  # a rim-shaped region is taken only as the continuation of a rim-shaped prior
    if prior is not None:
        prior_small = cv2.resize(prior.astype(np.uint8), (sw, sh), interpolation=cv2.INTER_NEAREST).astype(bool)
        rim_allowed = _is_rim(prior_small, view_edge(fov), gap)
    # A dark rim sets Otsu's threshold (rim against the rest), so a paler lesion falls on the skin's side of it and
    # only bits of the rim are left: a rim found is taken out of the view (it is no skin to measure the lesion
    # against either) and the threshold drawn again on what is left, unless a region clear of the view's edge was
    # already found (drawn again, it could join the next layer of shading: HAM10000 ISIC_0032877).
    for _ in range(RIM_PASSES):
        edge = view_edge(fov)
        n, labels, stats, centroids = _dark_regions(lightness, fov & ~ink, kernel)
        best, best_score, rims = 0, 0.0, []
        for i in range(1, n):
            area = stats[i, cv2.CC_STAT_AREA]
            if area < MIN_AREA_FRACTION * sh * sw:
                continue
            cx, cy = centroids[i]
            centrality = 1.0 - min(1.0, np.hypot((cx - sw / 2) / (sw / 2), (cy - sh / 2) / (sh / 2)) / 1.2)
            comp = labels == i
            edge_touch = _touch(comp, edge)
            if not rim_allowed and _is_rim(comp, edge, gap):
                rims.append(i)  # a crescent or ring along the rim: the dermatoscope's shadow or vignetting
                continue
            score = area * (0.25 + centrality) * (1.0 - min(0.9, 3 * edge_touch))
            if prior_small is not None:
                score = float((comp & prior_small).sum())  # the same lesion: largest overlap with the prior
            if score > best_score:
                best, best_score = i, score
        fov = fov & ~np.isin(labels, rims)
        if not rims or (best and _touch(labels == best, edge) == 0):
            break
    edge = view_edge(fov)
    fov &= ~ink
    values = lightness[fov]
    if best == 0:
        raise SegmentationError("no lesion found: no dark region stands out from the skin")
    mask = labels == best
    # Refine: threshold halfway between the lesion's and the surrounding skin's median lightness.
    # Otsu's threshold moves with the lesion's share of the image, so a grown lesion would be outlined
    # tighter than before; the two medians do not move when a lesion grows or is relit.
    ring = cv2.dilate(mask.astype(np.uint8), kernel, iterations=6).astype(bool) & ~mask & fov
    if ring.sum() > 50:
        mid = 0.5 * (float(np.median(lightness[mask])) + float(np.median(lightness[ring])))
        refined = ((lightness < mid) & fov).astype(np.uint8)
        refined = cv2.morphologyEx(refined, cv2.MORPH_OPEN, kernel)
        refined = cv2.morphologyEx(refined, cv2.MORPH_CLOSE, kernel, iterations=2)
        n2, labels2 = cv2.connectedComponents(refined, connectivity=8)
        overlap = np.bincount(labels2[mask], minlength=n2)
        overlap[0] = 0
        if overlap.max() > 0:
            refined_mask = labels2 == int(np.argmax(overlap))
            # the refined outline must not run into the rim, nor wrap around the view's middle where the region
            # it refines did not (a lesion joined with shading of the skin towards the frame)
            wraps = _is_ring(refined_mask, edge) and not _is_ring(mask, edge)
            if rim_allowed or not (_is_rim(refined_mask, edge, gap) or wraps):
                mask = refined_mask
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros(mask.shape, np.uint8)
    cv2.drawContours(filled, contours, -1, 1, thickness=-1)
    mask = filled.astype(bool)
    ring = cv2.dilate(mask.astype(np.uint8), kernel, iterations=4).astype(bool) & ~mask & fov
    inside, outside = lightness[mask].astype(float), lightness[ring].astype(float) if ring.any() else values.astype(float)
    contrast = float((outside.mean() - inside.mean()) / max(outside.std(), 3.0))
    touch = _touch(mask)
    confidence = float(np.clip(contrast / 4.0, 0, 1) * (1 - min(0.9, hair_fraction)))  # dense hair: no outline
    if contrast < 1.0:
        raise SegmentationError(f"no lesion found: the darkest region differs little from the skin "
                                f"(contrast {contrast:.1f})")
    if scale < 1:
        mask = cv2.resize(mask.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    return Segmentation(mask, round(confidence, 3), round(hair_fraction, 4), round(contrast, 2), round(touch, 3))


def edge_share(mask: np.ndarray, region: np.ndarray | None = None) -> float:
    """Share of the lesion's outline that runs along the edge of ``region`` (default: the image's frame),
    i.e. how much of the lesion may go on beyond what is seen."""
    region = np.ones(mask.shape, bool) if region is None else region

    def inner(m: np.ndarray, k: int) -> np.ndarray:  # outside the array counts as outside the shape
        return cv2.erode(m.astype(np.uint8), np.ones((k, k), np.uint8), borderType=cv2.BORDER_CONSTANT,
                         borderValue=0).astype(bool)

    edge = region & ~inner(region, 5)  # a band 2 px wide
    outline = mask & ~inner(mask, 3)
    return float((mask & edge).sum() / 2.0 / max(outline.sum(), 1))
