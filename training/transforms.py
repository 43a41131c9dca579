"""Augmentation suited to dermoscopy; evaluation uses exactly the app's contract.preprocess.

Training images pass through the same ``contract.normalise`` as the app's (colour constancy
included), after the augmentations that imitate other clinics' equipment: illumination colour and
strength, blur, JPEG, scale, a dermatoscope's dark circular frame (vignetting) and hair.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dermadesk.contract import InputSpec, normalise, preprocess


@dataclass(frozen=True)
class AugmentConfig:
    """Strength and probability of each augmentation (``light()`` is the earlier recipe)."""

    scale: tuple[float, float] = (0.45, 1.0)
    rotate_degrees: float = 180.0  # any angle; corners filled by reflection
    jitter: float = 0.3  # brightness, contrast, saturation
    hue: float = 0.04
    channel_gain: float = 0.15  # per-channel illumination colour
    gamma: float = 0.25
    blur_p: float = 0.3
    jpeg_p: float = 0.3
    downscale_p: float = 0.2  # a coarser sensor: shrink then enlarge
    vignette_p: float = 0.25
    hair_p: float = 0.2

    @classmethod
    def light(cls) -> "AugmentConfig":
        return cls(scale=(0.55, 1.0), rotate_degrees=0.0, jitter=0.2, hue=0.03, channel_gain=0.0, gamma=0.0,
                   blur_p=0.2, jpeg_p=0.0, downscale_p=0.0, vignette_p=0.0, hair_p=0.0)


def random_crop(img: np.ndarray, rng: np.random.Generator, scale: tuple[float, float]) -> np.ndarray:
    h, w = img.shape[:2]
    for _ in range(10):
        area = h * w * rng.uniform(*scale)
        ratio = np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3)))
        cw, ch = int(round(np.sqrt(area * ratio))), int(round(np.sqrt(area / ratio)))
        if 0 < cw <= w and 0 < ch <= h:
            x, y = rng.integers(0, w - cw + 1), rng.integers(0, h - ch + 1)
            return img[y:y + ch, x:x + cw]
    return img


def rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)


def colour(img: np.ndarray, rng: np.random.Generator, cfg: AugmentConfig) -> np.ndarray:
    x = img.astype(np.float32)
    x *= rng.uniform(1 - cfg.jitter, 1 + cfg.jitter)  # brightness
    mean = x.mean()
    x = (x - mean) * rng.uniform(1 - cfg.jitter, 1 + cfg.jitter) + mean  # contrast
    grey = x.mean(axis=2, keepdims=True)
    x = (x - grey) * rng.uniform(1 - cfg.jitter, 1 + cfg.jitter) + grey  # saturation
    if cfg.channel_gain:
        x *= rng.uniform(1 - cfg.channel_gain, 1 + cfg.channel_gain, 3).astype(np.float32)  # lamp colour
    x = np.clip(x, 0, 255)
    if cfg.gamma:
        x = 255.0 * (x / 255.0) ** np.exp(rng.uniform(-cfg.gamma, cfg.gamma))
    x = x.astype(np.uint8)
    if cfg.hue:
        hsv = cv2.cvtColor(x, cv2.COLOR_RGB2HSV)
        shift = int(round(rng.uniform(-cfg.hue, cfg.hue) * 180))
        hsv[..., 0] = ((hsv[..., 0].astype(np.int16) + shift) % 180).astype(np.uint8)
        x = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    return x


def vignette(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A dermatoscope's dark circular frame: black outside a circle, with a soft edge."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w / 2 + rng.uniform(-0.08, 0.08) * w, h / 2 + rng.uniform(-0.08, 0.08) * h
    radius = rng.uniform(0.45, 0.62) * np.hypot(w, h) / np.sqrt(2)
    soft = rng.uniform(0.02, 0.08) * radius
    dist = np.hypot(xx - cx, yy - cy)
    keep = np.clip((radius - dist) / soft, 0, 1)[..., None]
    floor = rng.uniform(0, 25)
    return (img.astype(np.float32) * keep + floor * (1 - keep)).astype(np.uint8)


def hair(img: np.ndarray, rng: np.random.Generator, max_hairs: int = 12) -> np.ndarray:
    """Thin dark curved strands across the image."""
    out = img.copy()
    h, w = img.shape[:2]
    shade = tuple(int(v) for v in rng.integers(10, 70) * np.array([1.0, 0.85, 0.75]))
    for _ in range(int(rng.integers(1, max_hairs + 1))):
        start = rng.uniform(0, 1, 2) * (w, h)
        angle = rng.uniform(0, 2 * np.pi)
        bend = rng.uniform(-0.03, 0.03)
        length = rng.uniform(0.3, 1.0) * max(h, w)
        pts = []
        for t in np.linspace(0, 1, 12):
            a = angle + bend * t * 30
            pts.append(start + t * length * np.array([np.cos(a), np.sin(a)]))
        thickness = max(1, int(round(rng.uniform(0.6, 1.6) * max(h, w) / 160)))
        cv2.polylines(out, [np.array(pts, np.int32)], False, shade, thickness, cv2.LINE_AA)
    return out


def jpeg(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    quality = int(rng.integers(30, 96))
    ok, buf = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1].copy() if ok else img


def downscale(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape[:2]
    f = rng.uniform(0.35, 0.8)
    small = cv2.resize(img, (max(8, int(w * f)), max(8, int(h * f))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


class TrainTransform:
    """Random crop and rotation, flips, illumination, blur, JPEG, scale, vignetting and hair."""

    def __init__(self, spec: InputSpec, augment: AugmentConfig | None = None) -> None:
        self.spec, self.cfg = spec, augment or AugmentConfig()

    def __call__(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        cfg = self.cfg
        img = random_crop(img, rng, cfg.scale)
        if cfg.rotate_degrees:
            img = rotate(np.ascontiguousarray(img), rng.uniform(-cfg.rotate_degrees, cfg.rotate_degrees))
        img = cv2.resize(np.ascontiguousarray(img), (self.spec.width, self.spec.height), interpolation=cv2.INTER_AREA)
        if rng.random() < 0.5:
            img = img[:, ::-1]
        if rng.random() < 0.5:
            img = img[::-1]
        if self.spec.height == self.spec.width:
            img = np.rot90(img, int(rng.integers(0, 4)))
        img = np.ascontiguousarray(img)
        if rng.random() < cfg.hair_p:
            img = hair(img, rng)
        if rng.random() < cfg.vignette_p:
            img = vignette(img, rng)
        img = colour(img, rng, cfg)
        if rng.random() < cfg.downscale_p:
            img = downscale(img, rng)
        if rng.random() < cfg.blur_p:
            img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.2))
        if rng.random() < cfg.jpeg_p:
            img = jpeg(img, rng)
        return normalise(img, self.spec)


def eval_transform(img: np.ndarray, spec: InputSpec) -> np.ndarray:
    """Exactly the app's preprocessing (without the batch axis)."""
    return preprocess(img, spec)[0]
