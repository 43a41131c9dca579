"""Augmentation suited to dermoscopy; evaluation uses exactly the app's contract.preprocess."""

from __future__ import annotations

import cv2
import numpy as np

from dermadesk.contract import InputSpec, normalise, preprocess


class TrainTransform:
    """Random resized crop, flips, 90-degree rotations, colour jitter and slight blur."""

    def __init__(self, spec: InputSpec, scale: tuple[float, float] = (0.55, 1.0),
                 jitter: float = 0.2, hue: float = 0.03, blur_p: float = 0.2) -> None:
        self.spec, self.scale, self.jitter, self.hue, self.blur_p = spec, scale, jitter, hue, blur_p

    def crop(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = img.shape[:2]
        for _ in range(10):
            area = h * w * rng.uniform(*self.scale)
            ratio = np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3)))
            cw, ch = int(round(np.sqrt(area * ratio))), int(round(np.sqrt(area / ratio)))
            if 0 < cw <= w and 0 < ch <= h:
                x, y = rng.integers(0, w - cw + 1), rng.integers(0, h - ch + 1)
                img = img[y:y + ch, x:x + cw]
                break
        return cv2.resize(img, (self.spec.width, self.spec.height), interpolation=cv2.INTER_AREA)

    def colour(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = img.astype(np.float32)
        x *= rng.uniform(1 - self.jitter, 1 + self.jitter)  # brightness
        mean = x.mean()
        x = (x - mean) * rng.uniform(1 - self.jitter, 1 + self.jitter) + mean  # contrast
        grey = x.mean(axis=2, keepdims=True)
        x = (x - grey) * rng.uniform(1 - self.jitter, 1 + self.jitter) + grey  # saturation
        x = np.clip(x, 0, 255).astype(np.uint8)
        if self.hue:
            hsv = cv2.cvtColor(x, cv2.COLOR_RGB2HSV)
            shift = int(round(rng.uniform(-self.hue, self.hue) * 180))
            hsv[..., 0] = ((hsv[..., 0].astype(np.int16) + shift) % 180).astype(np.uint8)
            x = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
        return x

    def __call__(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        img = self.crop(img, rng)
        if rng.random() < 0.5:
            img = img[:, ::-1]
        if rng.random() < 0.5:
            img = img[::-1]
        if self.spec.height == self.spec.width:
            img = np.rot90(img, int(rng.integers(0, 4)))
        img = self.colour(np.ascontiguousarray(img), rng)
        if rng.random() < self.blur_p:
            img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.0))
        return normalise(img, self.spec)


def eval_transform(img: np.ndarray, spec: InputSpec) -> np.ndarray:
    """Exactly the app's preprocessing (without the batch axis)."""
    return preprocess(img, spec)[0]
