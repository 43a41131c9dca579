"""Pixels drawn for people to look at: lesion outlines, the difference map, the swipe, the heat-map colours,
the CAM overlay, and the heat-map PNG the engine stores and the report reads back.

Plain numpy/OpenCV in, RGB uint8 out: the services and the UI call these, neither touches OpenCV itself.
A comparison's pictures (``comparison_layers``) are computed once per pair, in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dermadesk.analysis.change import ChangeResult

BASELINE_OUTLINE = (0, 200, 255)
FOLLOWUP_OUTLINE = (255, 80, 0)


def outlined(rgb: np.ndarray, mask: np.ndarray | None, colour: tuple[int, int, int]) -> np.ndarray:
    """A copy of ``rgb`` with the outline of ``mask`` drawn on it (line width ~0.5% of the image)."""
    out = rgb.copy()
    if mask is not None and mask.any():
        contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        cv2.drawContours(out, contours, -1, colour, max(1, min(rgb.shape[:2]) // 200))
    return out


DIFFERENCE_FULL_SCALE = 60.0  # CIE76 ΔE drawn at the top of the colour map (the UI's colour bar says so)


def colourise(heat: np.ndarray) -> np.ndarray:
    """0..1 heat map -> RGB uint8 with the JET colour map (blue low, red high)."""
    bgr = cv2.applyColorMap(np.uint8(np.clip(heat, 0, 1) * 255), cv2.COLORMAP_JET)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def difference_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Colourised per-pixel CIE76 difference of two aligned images (red = large change)."""
    la = cv2.cvtColor(a, cv2.COLOR_RGB2LAB).astype(np.float32)
    lb = cv2.cvtColor(b, cv2.COLOR_RGB2LAB).astype(np.float32)
    d = np.sqrt(((la - lb) ** 2).sum(axis=2))
    d = cv2.GaussianBlur(d, (0, 0), 1.5)
    return colourise(np.clip(d / DIFFERENCE_FULL_SCALE, 0, 1))


def swipe(a: np.ndarray, b: np.ndarray, fraction: float) -> np.ndarray:
    """``a`` left of ``fraction`` of the width, ``b`` right of it, a white line between."""
    out = a.copy()
    x = int(round(fraction * a.shape[1]))
    out[:, x:] = b[:, x:]
    out[:, max(0, x - 1) : x + 1] = (255, 255, 255)
    return out


def cam_overlay(rgb: np.ndarray, heat: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    """Blend the coloured heat map over the image; low heat stays mostly transparent."""
    weight = (alpha * np.clip(heat, 0, 1) ** 0.5)[..., None]
    return (rgb.astype(np.float32) * (1 - weight) + colourise(heat).astype(np.float32) * weight).astype(np.uint8)


def heat_png(heat: np.ndarray) -> bytes:
    """The heat map as an RGBA PNG (colours, alpha = heat), for storage and for overlays at any opacity."""
    rgba = np.dstack([colourise(heat), np.uint8(np.clip(heat, 0, 1) * 255)])
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    if not ok:
        raise ValueError("could not encode heat map")
    return buf.tobytes()


def heat_from_png(data: bytes, width: int, height: int) -> np.ndarray:
    """The heat (0..1 float32) of a stored heat-map PNG (``heat_png``), at ``width`` x ``height``."""
    rgba = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if rgba is None or rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError("not a heat-map PNG (RGBA)")
    return cv2.resize(rgba[..., 3], (width, height)).astype(np.float32) / 255.0


@dataclass(frozen=True)
class ComparisonLayers:
    """A comparison's pictures, each RGB uint8 at the working size of ``ChangeResult.baseline_image``.

    Without an alignment only ``baseline`` and ``followup`` (as captured, no outline) are there; the view
    then shows them side by side so the user can align them by hand.
    """

    baseline: np.ndarray  # outlined when aligned
    followup: np.ndarray | None  # aligned and outlined; as captured when not aligned
    difference: np.ndarray | None = None  # the follow-up's own pixels where it shows nothing (its hatching)
    aligned: bool = False


def comparison_layers(result: ChangeResult) -> ComparisonLayers | None:
    """Everything the comparison view shows for ``result`` (None: nothing to show)."""
    base = result.baseline_image
    if base is None:
        return None
    follow = result.aligned_followup
    if follow is None:
        return ComparisonLayers(base, result.followup_image)
    diff = difference_map(base, follow)
    if result.followup_visible is not None:
        diff[~result.followup_visible] = follow[~result.followup_visible]
    return ComparisonLayers(
        outlined(base, result.baseline_mask, BASELINE_OUTLINE),
        outlined(follow, result.followup_mask, FOLLOWUP_OUTLINE),
        diff,
        aligned=True,
    )
