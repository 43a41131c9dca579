"""The model contract shared by the app and ``training/``.

One class list, one preprocessing function and one manifest schema, so that the model training
writes and the model the app loads agree by construction. This module imports only numpy and
the standard library: ``training`` may import it, and nothing here may import the rest of
``dermadesk``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

MANIFEST_SCHEMA_VERSION = 1
OUTPUT_NAMES: tuple[str, str, str] = ("logits", "embedding", "cams")
INPUT_NAME = "image"


@dataclass(frozen=True)
class ClassInfo:
    """One diagnostic class of the HAM10000 label set."""

    code: str
    name: str
    isic_term: str
    malignant: bool


CLASSES: tuple[ClassInfo, ...] = (
    ClassInfo("akiec", "Actinic keratosis / intraepithelial carcinoma",
              "Actinic keratosis; Squamous cell carcinoma in situ", True),
    ClassInfo("bcc", "Basal cell carcinoma", "Basal cell carcinoma", True),
    ClassInfo("bkl", "Benign keratosis-like lesion",
              "Seborrheic keratosis; Solar lentigo; Lichen planus like keratosis", False),
    ClassInfo("df", "Dermatofibroma", "Dermatofibroma", False),
    ClassInfo("mel", "Melanoma", "Melanoma", True),
    ClassInfo("nv", "Melanocytic nevus", "Nevus", False),
    ClassInfo("vasc", "Vascular lesion", "Vascular lesion", False),
)
CLASS_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES)
MALIGNANT_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES if c.malignant)
MALIGNANT_MASK: np.ndarray = np.array([c.malignant for c in CLASSES], dtype=bool)
MELANOMA_INDEX = CLASS_CODES.index("mel")

# Risk tiers from least to most concerning, with plain-language advice that never claims a diagnosis.
RISK_TIERS: tuple[str, ...] = ("low", "monitor", "refer", "urgent")
RECOMMENDATIONS: dict[str, str] = {
    "low": "Low estimated risk. Routine care; re-check if the lesion changes or the patient is worried.",
    "monitor": "Some features of concern. Consider short-term dermoscopic follow-up (about 3 months).",
    "refer": "Features associated with malignancy. Consider referral for specialist review.",
    "urgent": "High estimated risk of malignancy. Consider urgent specialist review.",
}
OOD_WARNING = ("OUT OF DISTRIBUTION: this image is unlike the images the model was trained on; "
               "the estimate may be meaningless.")

# An assessment's status: a tier and a recommendation are given only when "assessed".
ASSESSED, NOT_ASSESSABLE = "assessed", "not assessable"
ASSESSMENT_STATUSES: tuple[str, ...] = (ASSESSED, NOT_ASSESSABLE)
NOT_ASSESSABLE_NOTE = ("NOT ASSESSABLE: no risk tier and no recommendation are given for this image. This is not "
                       "'low risk': the lesion has not been assessed.")
UNRELIABLE_NOTE = "Probabilities and heat map shown for reference only: they are not reliable for this image."
# reason code -> (what happened, what to do next)
NOT_ASSESSABLE_REASONS: dict[str, tuple[str, str]] = {
    "quality": ("the image failed the quality check ({detail})",
                "retake the image in focus, evenly lit and exposed, with the whole lesion in view"),
    "out_of_distribution": ("the image is unlike the dermoscopic images the model was validated on",
                            "retake it with a dermatoscope; an image that is not a skin lesion cannot be assessed"),
    "modality": ("this model was validated on {supported} images only, and this capture is {detail}",
                 "capture the lesion with a dermatoscope, or install a model validated on {detail} images"),
    "invalid_output": ("the model gave invalid output ({detail})",
                       "reinstall or replace the model (dermadesk models --install); report the problem"),
}


@dataclass(frozen=True)
class AssessmentStatus:
    """``assessed``, or ``not assessable`` with reason codes and plain sentences (each with a next step)."""

    status: str
    codes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def assessable(self) -> bool:
        return self.status == ASSESSED


def not_assessable_reason(code: str, detail: str = "", supported: str = "") -> str:
    what, then = NOT_ASSESSABLE_REASONS[code]
    return f"{what.format(detail=detail, supported=supported)}: {then.format(detail=detail, supported=supported)}"


def assessment_status(quality_failures: list[str], ood_flag: bool, modality: str, modalities: tuple[str, ...],
                      output_problem: str = "") -> AssessmentStatus:
    """The one rule every surface shows: any failed quality check, an out-of-distribution image, a modality
    the model was not validated on, or invalid model output withholds the tier and the recommendation."""
    found: list[tuple[str, str]] = []
    if output_problem:
        found.append(("invalid_output", not_assessable_reason("invalid_output", output_problem)))
    if modality not in modalities:
        found.append(("modality", not_assessable_reason("modality", modality, " / ".join(modalities))))
    if quality_failures:
        found.append(("quality", not_assessable_reason("quality", "; ".join(quality_failures))))
    if ood_flag:
        found.append(("out_of_distribution", not_assessable_reason("out_of_distribution")))
    if not found:
        return AssessmentStatus(ASSESSED)
    return AssessmentStatus(NOT_ASSESSABLE, tuple(c for c, _ in found), tuple(r for _, r in found))


def output_problem(logits: np.ndarray, probabilities: np.ndarray, cams: np.ndarray | None,
                   classes: int = len(CLASS_CODES)) -> str:
    """Why one image's model output is unusable ("" when it is fine): shape, non-finite, not normalised."""
    if logits.shape != (classes,) or probabilities.shape != (classes,):
        return f"expected {classes} class scores, got shape {tuple(logits.shape)}"
    if not np.isfinite(logits).all() or not np.isfinite(probabilities).all():
        return "scores that are not finite numbers (NaN or infinity)"
    if abs(float(probabilities.sum()) - 1.0) > 1e-3 or probabilities.min() < 0:
        return f"probabilities summing to {float(probabilities.sum()):.3f}, not 1"
    if cams is None or cams.ndim != 3 or cams.shape[0] != classes or not np.isfinite(cams).all():
        return "a missing or invalid heat map (cams)"
    return ""
DISCLAIMER = (
    "DermaDesk is decision support, not a diagnosis. Its estimates can be wrong; "
    "the clinician examining the patient makes every clinical decision."
)


class ContractError(ValueError):
    """A manifest or an input does not satisfy the model contract."""


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
            raise ContractError(f"unsupported colour constancy {self.colour_constancy!r} "
                                f"(supported: {', '.join(COLOUR_CONSTANCY)})")


COLOUR_CONSTANCY: tuple[str, ...] = ("none", "shades_of_grey")
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
    x = resized.astype(np.float32) / 255.0
    x = (x - np.asarray(spec.mean, np.float32)) / np.asarray(spec.std, np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def preprocess(rgb: np.ndarray, spec: InputSpec) -> np.ndarray:
    """The one preprocessing function: RGB uint8 HxWx3 -> NCHW float32 (N=1)."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ContractError(f"preprocess expects an HxWx3 uint8 RGB array, got {rgb.shape} {rgb.dtype}")
    return normalise(resize_rgb(rgb, spec), spec)[None]


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Numerically stable softmax over the last axis, after dividing by the temperature."""
    z = np.asarray(logits, dtype=np.float64) / float(temperature)
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class RiskThresholds:
    """Operating thresholds on malignant and melanoma probability, chosen on validation.

    A tier applies when the malignant probability reaches its ``malignant`` value or the
    melanoma probability reaches its ``melanoma`` value; the most concerning tier wins.
    """

    sensitivity_target: float = 0.90
    monitor_malignant: float = 0.10
    monitor_melanoma: float = 0.05
    refer_malignant: float = 0.30
    refer_melanoma: float = 0.20
    urgent_malignant: float = 0.80
    urgent_melanoma: float = 0.60

    def validate(self) -> None:
        for kind in ("malignant", "melanoma"):
            m, r, u = (getattr(self, f"{t}_{kind}") for t in ("monitor", "refer", "urgent"))
            if not 0.0 <= m <= r <= u <= 1.0:
                raise ContractError(f"{kind} thresholds must satisfy 0 <= monitor <= refer <= urgent <= 1")

    def tier(self, malignant_p: float, melanoma_p: float) -> str:
        for name in ("urgent", "refer", "monitor"):
            if (malignant_p >= getattr(self, f"{name}_malignant")
                    or melanoma_p >= getattr(self, f"{name}_melanoma")):
                return name
        return "low"


@dataclass(frozen=True)
class OODStats:
    """Embedding statistics for the out-of-distribution score (PCA Mahalanobis + residual).

    score = 0.5 * (mean_i z_i^2 over the k principal directions)
          + 0.5 * (residual energy / mean residual energy on training data);
    about 1 for typical training images; ``threshold`` is chosen on validation.
    """

    mean: tuple[float, ...]
    components: tuple[tuple[float, ...], ...]  # k x D, orthonormal rows
    variances: tuple[float, ...]  # k eigenvalues
    residual_mean: float
    threshold: float
    method: str = "pca-mahalanobis"
    # Optional outlier-exposure classifier on the same features (``features``): logistic weights and bias,
    # fitted in training on real images against images no dermatoscope produces; flags when p > clf_threshold.
    clf_weights: tuple[float, ...] = ()
    clf_bias: float = 0.0
    clf_threshold: float = 1.0

    def validate(self, embedding_dim: int | None = None) -> None:
        d = len(self.mean)
        if not self.components or any(len(c) != d for c in self.components):
            raise ContractError("OOD components must be k rows of the embedding dimension")
        if len(self.variances) != len(self.components) or min(self.variances) <= 0:
            raise ContractError("OOD variances must be positive, one per component")
        if embedding_dim is not None and d != embedding_dim:
            raise ContractError(f"OOD statistics are for embedding size {d}, model gives {embedding_dim}")
        if self.residual_mean <= 0 or self.threshold <= 0:
            raise ContractError("OOD residual_mean and threshold must be positive")
        if self.clf_weights and len(self.clf_weights) != len(self.components) + 1:
            raise ContractError("OOD classifier weights must be one per principal component, plus one")

    @classmethod
    def fit(cls, train: np.ndarray, val: np.ndarray, components: int = 32,
            quantile: float = 0.99) -> "OODStats":
        """Fit on training embeddings; threshold = ``quantile`` of the scores of validation embeddings."""
        x = np.asarray(train, np.float64)
        mean = x.mean(axis=0)
        _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
        k = max(1, min(components, len(s) - 1 if len(s) > 1 else 1))
        variances = np.maximum(s[:k] ** 2 / max(len(x) - 1, 1), 1e-8)
        proj = (x - mean) @ vt[:k].T
        resid = np.maximum(((x - mean) ** 2).sum(axis=1) - (proj ** 2).sum(axis=1), 0.0)
        base = cls(tuple(map(float, mean)), tuple(tuple(map(float, r)) for r in vt[:k]),
                   tuple(map(float, variances)), float(max(resid.mean(), 1e-8)), 1.0)
        threshold = float(np.quantile(base.score(val), quantile))
        return cls(base.mean, base.components, base.variances, base.residual_mean, max(threshold, 1e-6))

    def features(self, embeddings: np.ndarray) -> np.ndarray:
        """Whitened principal components plus the log residual ratio: (N, k + 1)."""
        e = np.atleast_2d(np.asarray(embeddings, np.float64)) - np.asarray(self.mean)
        proj = e @ np.asarray(self.components).T
        resid = np.maximum((e ** 2).sum(axis=1) - (proj ** 2).sum(axis=1), 0.0) / self.residual_mean
        return np.hstack([proj / np.sqrt(np.asarray(self.variances)), np.log(resid + 1e-6)[:, None]])

    def score(self, embeddings: np.ndarray) -> np.ndarray:
        f = self.features(embeddings)
        maha = (f[:, :-1] ** 2).mean(axis=1)
        resid = np.exp(f[:, -1]) - 1e-6
        return 0.5 * maha + 0.5 * resid

    def outlier_probability(self, embeddings: np.ndarray) -> np.ndarray | None:
        """The outlier-exposure classifier's probability that an image is not dermoscopy (None without one)."""
        if not self.clf_weights:
            return None
        z = self.features(embeddings) @ np.asarray(self.clf_weights) + self.clf_bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    def flags(self, embeddings: np.ndarray) -> np.ndarray:
        """Out of distribution: the distance score above its threshold, or the classifier above its own."""
        flagged = self.score(embeddings) > self.threshold
        p = self.outlier_probability(embeddings)
        return flagged | (p > self.clf_threshold) if p is not None else flagged


@dataclass(frozen=True)
class ModelManifest:
    """Everything the app needs to know about one ONNX model; JSON beside the .onnx file."""

    name: str
    version: str
    onnx_file: str
    sha256: str
    input: InputSpec
    temperature: float
    thresholds: RiskThresholds
    ood: OODStats
    classes: tuple[str, ...] = CLASS_CODES
    outputs: tuple[str, ...] = OUTPUT_NAMES
    created: str = ""
    embedding_dim: int = 0
    architecture: str = ""
    evaluation: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)
    model_card: str = ""
    modalities: tuple[str, ...] = ("dermoscopic",)  # capture modalities the model was validated on
    schema_version: int = MANIFEST_SCHEMA_VERSION

    def validate(self) -> None:
        """Raise ContractError unless this manifest fits the app's contract."""
        if self.schema_version > MANIFEST_SCHEMA_VERSION:
            raise ContractError(f"manifest schema {self.schema_version} is newer than this app "
                                f"understands ({MANIFEST_SCHEMA_VERSION}); update DermaDesk")
        if not self.name or not self.version:
            raise ContractError("manifest needs a name and a version")
        if tuple(self.classes) != CLASS_CODES:
            raise ContractError(f"model classes {list(self.classes)} do not match {list(CLASS_CODES)}")
        if tuple(self.outputs) != OUTPUT_NAMES:
            raise ContractError(f"model outputs {list(self.outputs)} must be {list(OUTPUT_NAMES)}")
        if len(self.sha256) != 64:
            raise ContractError("manifest sha256 must be 64 hex digits")
        if not 0.05 <= self.temperature <= 20:
            raise ContractError(f"calibration temperature {self.temperature} is out of range")
        if not self.modalities or not all(isinstance(m, str) and m for m in self.modalities):
            raise ContractError("manifest modalities must name at least one capture modality")
        self.input.validate()
        self.thresholds.validate()
        self.ood.validate(self.embedding_dim or None)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["classes"] = [
            {"code": c.code, "name": c.name, "isic_term": c.isic_term, "malignant": c.malignant}
            for c in CLASSES if c.code in self.classes
        ] if tuple(self.classes) == CLASS_CODES else list(self.classes)
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ModelManifest":
        try:
            d = dict(data)
            classes = tuple(c["code"] if isinstance(c, Mapping) else c for c in d.pop("classes"))
            inp = dict(d.pop("input"))
            inp["mean"] = tuple(inp["mean"])
            inp["std"] = tuple(inp["std"])
            ood = dict(d.pop("ood"))
            ood["mean"] = tuple(ood["mean"])
            ood["components"] = tuple(tuple(r) for r in ood["components"])
            ood["variances"] = tuple(ood["variances"])
            ood["clf_weights"] = tuple(ood.get("clf_weights", ()))
            modalities = d.pop("modalities", ("dermoscopic",))
            modalities = (modalities,) if isinstance(modalities, str) else tuple(modalities)
            return cls(classes=classes, input=InputSpec(**inp),
                       thresholds=RiskThresholds(**d.pop("thresholds")), ood=OODStats(**ood),
                       outputs=tuple(d.pop("outputs", OUTPUT_NAMES)), modalities=modalities, **d)
        except ContractError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise ContractError(f"manifest is malformed: {exc}") from exc

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "ModelManifest":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ContractError(f"cannot read model manifest {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise ContractError(f"model manifest {path} is not a JSON object")
        return cls.from_dict(data)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()
