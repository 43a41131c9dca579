"""How well two aligned outlines or pigment patterns agree: the measures the outline alignment scores angles by."""

from __future__ import annotations

import numpy as np


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two boolean masks (0 where both are empty)."""
    union = (a | b).sum()
    return float((a & b).sum() / union) if union else 0.0


def contained(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller of two outlines that lies inside the other."""
    smaller = min(int(a.sum()), int(b.sum()))
    return float((a & b).sum() / smaller) if smaller else 0.0


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of ``a`` (its mean already taken off) and ``b``."""
    b = b.astype(np.float32) - float(b.mean())
    return float((a * b).sum() / max(np.sqrt((a * a).sum() * (b * b).sum()), 1e-6))
