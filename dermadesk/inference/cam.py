"""Grad-CAM heat maps from the model's ``cams`` output (equal to Grad-CAM for a GAP + Linear head).

Colours, overlays and the stored PNG are drawing: ``analysis.overlays``."""

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
