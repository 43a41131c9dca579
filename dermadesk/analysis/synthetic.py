"""Procedurally generated dermoscopy-like images, for the demo, the self-test and tests.

They are clearly synthetic (no patient data) and are labelled as such wherever they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

DARK_BROWN = (92, 52, 30)
LIGHT_BROWN = (168, 112, 74)
BLUE_GREY = (96, 108, 128)


@dataclass(frozen=True)
class LesionSpec:
    """Shape and colour of one synthetic lesion; ``scale`` multiplies the radius (area ~ scale^2)."""

    seed: int = 0
    radius: float = 0.22  # fraction of the shorter image side
    scale: float = 1.0
    irregularity: float = 0.12
    skin: tuple[int, int, int] = (222, 172, 150)
    core: tuple[int, int, int] = DARK_BROWN
    rim: tuple[int, int, int] = LIGHT_BROWN
    blob_colour: tuple[int, int, int] | None = None  # an extra focal colour (e.g. blue-grey)
    hair: int = 0  # number of hairs
    vignette: float = 0.25
    skin_texture: float = 1.0  # 0: perfectly smooth skin (no texture, freckles or pores)
    skin_seed: int | None = None  # texture of skin and pigment (default: from ``seed``); another value
    # gives the same lesion outline on different-looking skin, e.g. after a tan or a skin condition


def lesion_mask(spec: LesionSpec, width: int, height: int, center: tuple[float, float] | None = None,
                angle: float = 0.0, stretch: float = 1.0) -> np.ndarray:
    """Boolean mask of the lesion: a star-shaped blob with a few random harmonics."""
    rng = np.random.default_rng(spec.seed)
    harmonics = [(k, rng.uniform(-1, 1) * spec.irregularity / k ** 0.6, rng.uniform(0, 2 * np.pi))
                 for k in (2, 3, 5, 7)]
    cx, cy = center or (width / 2, height / 2)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    dx, dy = xx - cx, yy - cy
    theta = np.arctan2(dy, dx) - angle
    r = np.hypot(dx, dy)
    base = spec.radius * spec.scale * min(width, height)
    boundary = base * (1 + sum(a * np.cos(k * theta + ph) for k, a, ph in harmonics))
    boundary *= 1 + (stretch - 1) * np.cos(theta) ** 2
    return r <= boundary


def synthetic_lesion(spec: LesionSpec = LesionSpec(), width: int = 600, height: int = 450,
                     center: tuple[float, float] | None = None, angle: float = 0.0) -> np.ndarray:
    """RGB uint8 image of a pigmented lesion on skin, with texture, vignetting and optional hair."""
    rng = np.random.default_rng(spec.seed + 1000 if spec.skin_seed is None else spec.skin_seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.empty((height, width, 3), np.float32)
    img[:] = spec.skin
    # skin texture at several scales, freckles and pores: stable landmarks, as on real skin
    for sigma, amp in ((1.0, 4.0), (4.0, 6.0), (12.0, 7.0)):
        field = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), sigma)
        img += (spec.skin_texture * amp * field / max(float(field.std()), 1e-6))[..., None]
    for _ in range(int(width * height / 6000 * min(1.0, spec.skin_texture))):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(1.0, 3.5)
        tone = rng.choice([-35.0, -20.0, 15.0])
        cv2.circle(img, (int(cx), int(cy)), int(round(r)), tuple(float(c + tone) for c in spec.skin), -1, cv2.LINE_AA)
    mask = lesion_mask(spec, width, height, center, angle)
    dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    depth = np.clip(dist / max(dist.max(), 1.0), 0, 1)[..., None]
    texture = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 3)[..., None]
    pigment = np.asarray(spec.rim, np.float32) * (1 - depth) + np.asarray(spec.core, np.float32) * depth
    pigment += 10 * texture
    soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 2)[..., None]
    img = img * (1 - soft) + pigment * soft
    if spec.blob_colour is not None:
        cx, cy = center or (width / 2, height / 2)
        r = spec.radius * spec.scale * min(width, height) * 0.35
        blob = ((xx - cx - r * 0.6) ** 2 + (yy - cy + r * 0.3) ** 2 <= r ** 2) & mask
        bsoft = cv2.GaussianBlur(blob.astype(np.float32), (0, 0), 1.5)[..., None]
        img = img * (1 - bsoft) + np.asarray(spec.blob_colour, np.float32) * bsoft
    for _ in range(spec.hair):
        p0 = rng.uniform(0, 1, 2) * (width, height)
        p1 = p0 + rng.normal(0, 1, 2) * (width / 3)
        cv2.line(img, tuple(int(v) for v in p0), tuple(int(v) for v in p1), (40, 30, 25), int(rng.integers(1, 3)),
                 cv2.LINE_AA)
    if spec.vignette:
        rr = np.hypot((xx - width / 2) / (width / 2), (yy - height / 2) / (height / 2))
        img *= (1 - spec.vignette * np.clip(rr - 0.7, 0, None) ** 1.5)[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def jpeg_bytes(rgb: np.ndarray, quality: int = 92) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


def label_synthetic(rgb: np.ndarray) -> np.ndarray:
    """Stamp "SYNTHETIC" in a corner so a demo image is never mistaken for a patient's."""
    out = rgb.copy()
    cv2.putText(out, "SYNTHETIC", (10, out.shape[0] - 12), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2,
                cv2.LINE_AA)
    return out
