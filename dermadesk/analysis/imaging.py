"""Small image helpers shared by the analysis steps."""

from __future__ import annotations

import cv2
import numpy as np


def shrink_to(image: np.ndarray, side: int, interpolation: int = cv2.INTER_AREA) -> tuple[np.ndarray, float]:
    """``image`` with its longer side at most ``side`` pixels (never enlarged), and the scale applied."""
    h, w = image.shape[:2]
    scale = min(1.0, side / max(h, w))
    if scale == 1.0:
        return image, 1.0
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=interpolation), scale


def jpeg(rgb: np.ndarray, max_side: int | None = None, quality: int = 82) -> bytes:
    """RGB uint8 -> JPEG bytes, the longer side shrunk to ``max_side`` first (never enlarged)."""
    if max_side:
        rgb, _ = shrink_to(rgb, max_side)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode an image as JPEG")
    return buf.tobytes()
