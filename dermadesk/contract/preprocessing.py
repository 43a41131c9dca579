"""The one preprocessing function (and its input spec), shared by training and the app."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dermadesk.contract.errors import ContractError


@dataclass(frozen=True)
class InputSpec:
    """How an RGB image becomes the model's input tensor."""

    height: int = 224
    width: int = 224
    colour_order: str = "RGB"
    resize: str = "stretch"  # "stretch": resize to (width, height) ignoring aspect ratio
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)
    # "shades_of_grey": the illuminant is estimated and divided out before normalising (see
    # colour_constancy); "none" for models trained without it (manifests that predate the field).
    colour_constancy: str = "none"
    # "canonical": of the eight views by quarter turns and a mirror, the one whose darker-than-skin mass
    # lies right of and below the centre (see canonical_view): a turned or mirrored capture of a lesion
    # gives the network the same pixels. "none" for models released without it.
    pose: str = "none"

    def validate(self) -> None:
        if self.colour_order != "RGB":
            raise ContractError(f"input colour order must be RGB, not {self.colour_order!r}")
        if self.resize != "stretch":
            raise ContractError(f"unsupported resize mode {self.resize!r} (supported: stretch)")
        if not (16 <= self.height <= 2048 and 16 <= self.width <= 2048):
            raise ContractError(f"input size {self.width}x{self.height} is out of range")
        if len(self.mean) != 3 or len(self.std) != 3 or min(self.std) <= 0:
            raise ContractError("input mean and std need three values each, std > 0")
        if self.colour_constancy not in COLOUR_CONSTANCY:
            raise ContractError(
                f"unsupported colour constancy {self.colour_constancy!r} (supported: {', '.join(COLOUR_CONSTANCY)})"
            )
        if self.pose not in POSES:
            raise ContractError(f"unsupported pose {self.pose!r} (supported: {', '.join(POSES)})")
        if self.pose != "none" and self.height != self.width:
            raise ContractError("a canonical pose needs a square input (quarter turns keep its shape)")


COLOUR_CONSTANCY: tuple[str, ...] = ("none", "shades_of_grey")
POSES: tuple[str, ...] = ("none", "canonical")
View = tuple[int, bool]  # (counter-clockwise quarter turns, mirrored left-right first)
IDENTITY: View = (0, False)
SHADES_OF_GREY_P = 6
DARK_FRAME_LEVEL = 20  # pixels darker than this in every channel (a dermatoscope's black frame) are ignored


def shades_of_grey(rgb: np.ndarray, p: int = SHADES_OF_GREY_P) -> np.ndarray:
    """Colour constancy by the shades-of-grey assumption (Finlayson & Trezzi 2004), uint8 in and out.

    The illuminant is the Minkowski p-norm mean of each channel over the pixels that are not part of
    a dark vignette frame; each channel is scaled so that the illuminant becomes neutral grey of the
    same brightness. Different dermatoscopes' and lamps' colour casts map to about the same image.
    """
    x = rgb.astype(np.float32)
    lit = rgb.max(axis=2) > DARK_FRAME_LEVEL
    sample = x[lit] if lit.sum() >= 64 else x.reshape(-1, 3)
    illuminant = np.power(np.mean(np.power(sample / 255.0, p), axis=0), 1.0 / p)
    illuminant = np.maximum(illuminant, 1e-3)
    gains = illuminant.mean() / illuminant
    return np.clip(x * gains, 0, 255).astype(np.uint8)


def resize_rgb(rgb: np.ndarray, spec: InputSpec) -> np.ndarray:
    """Resize an HxWx3 uint8 image to the model size (area filter when shrinking)."""
    import cv2  # local import: training workers load it lazily too

    h, w = rgb.shape[:2]
    shrink = h > spec.height or w > spec.width
    interp = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    return cv2.resize(rgb, (spec.width, spec.height), interpolation=interp)


def normalise(resized: np.ndarray, spec: InputSpec) -> np.ndarray:
    """HxWx3 uint8 at model size -> 3xHxW float32: colour constancy (if the spec asks), then mean and std."""
    if spec.colour_constancy == "shades_of_grey":
        resized = shades_of_grey(resized)
    x: np.ndarray = resized.astype(np.float32) / 255.0
    x = (x - np.asarray(spec.mean, np.float32)) / np.asarray(spec.std, np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def canonical_view(resized: np.ndarray) -> View:
    """The view (quarter turns, mirror) that puts the image's darker-than-skin mass at x >= y >= 0 from the
    centre (x right, y down). The mass is each lit pixel's darkness below the median grey; turning or
    mirroring the image turns its centroid with it, so every view of one image picks the same pixels."""
    grey = resized.astype(np.float32).mean(axis=2)
    lit = resized.max(axis=2) > DARK_FRAME_LEVEL
    level = float(np.median(grey[lit])) if lit.any() else float(np.median(grey))
    weight = np.clip(level - grey, 0.0, None) * lit
    total = float(weight.sum())
    if total <= 0.0:
        return IDENTITY
    h, w = grey.shape
    x = float((weight.sum(axis=0) * (np.arange(w) - (w - 1) / 2)).sum()) / total
    y = float((weight.sum(axis=1) * (np.arange(h) - (h - 1) / 2)).sum()) / total
    for mirrored in (False, True):
        cx, cy = (-x if mirrored else x), y
        for turns in range(4):
            if cx >= cy >= 0:
                return turns, mirrored
            cx, cy = cy, -cx  # one counter-clockwise quarter turn (np.rot90) of the image
    return IDENTITY


def apply_view(img: np.ndarray, view: View) -> np.ndarray:
    """``img`` (H, W, ...) mirrored if asked, then turned counter-clockwise ``view[0]`` quarter turns."""
    turns, mirrored = view
    out = img[:, ::-1] if mirrored else img
    return np.ascontiguousarray(np.rot90(out, turns)) if turns or mirrored else img


def undo_view(maps: np.ndarray, view: View) -> np.ndarray:
    """Maps (..., H, W) computed on a view (e.g. heat maps) back in the original orientation."""
    turns, mirrored = view
    out = np.rot90(maps, -turns, axes=(-2, -1)) if turns else maps
    return np.ascontiguousarray(out[..., ::-1] if mirrored else out)


def preprocess_with_view(rgb: np.ndarray, spec: InputSpec) -> tuple[np.ndarray, View]:
    """``preprocess``, and the view it turned the image to (``undo_view`` brings heat maps back)."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ContractError(f"preprocess expects an HxWx3 uint8 RGB array, got {rgb.shape} {rgb.dtype}")
    resized = resize_rgb(rgb, spec)
    view = canonical_view(resized) if spec.pose == "canonical" else IDENTITY
    return normalise(apply_view(resized, view), spec)[None], view


def preprocess(rgb: np.ndarray, spec: InputSpec) -> np.ndarray:
    """The one preprocessing function: RGB uint8 HxWx3 -> NCHW float32 (N=1)."""
    return preprocess_with_view(rgb, spec)[0]


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Numerically stable softmax over the last axis, after dividing by the temperature."""
    z = np.asarray(logits, dtype=np.float64) / float(temperature)
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
