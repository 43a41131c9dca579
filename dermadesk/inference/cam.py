"""Grad-CAM heat maps from the model's ``cams`` output (equal to Grad-CAM for a GAP + Linear head)."""

from __future__ import annotations

import cv2
import numpy as np


def heatmap(cam: np.ndarray, width: int, height: int) -> np.ndarray:
    """ReLU, scale to 0..1 and upsample one class map (h x w) to the image size (float32 HxW)."""
    positive = np.maximum(np.asarray(cam, np.float32), 0.0)
    peak = float(positive.max())
    if peak > 0:
        positive /= peak
    return np.clip(cv2.resize(positive, (width, height), interpolation=cv2.INTER_CUBIC), 0.0, 1.0)


def colourise(heat: np.ndarray) -> np.ndarray:
    """0..1 heat map -> RGB uint8 with the JET colour map (blue low, red high)."""
    bgr = cv2.applyColorMap(np.uint8(np.clip(heat, 0, 1) * 255), cv2.COLORMAP_JET)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def overlay(rgb: np.ndarray, heat: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    """Blend the coloured heat map over the image; low heat stays mostly transparent."""
    weight = (alpha * np.clip(heat, 0, 1) ** 0.5)[..., None]
    return (rgb.astype(np.float32) * (1 - weight) + colourise(heat).astype(np.float32) * weight).astype(np.uint8)


def heatmap_rgba_png(heat: np.ndarray) -> bytes:
    """The heat map as an RGBA PNG (alpha = heat), for storage and for overlays at any opacity."""
    rgba = np.dstack([colourise(heat), np.uint8(np.clip(heat, 0, 1) * 255)])
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    if not ok:
        raise ValueError("could not encode heat map")
    return buf.tobytes()
