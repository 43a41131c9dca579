"""The model manifest: the JSON beside an ONNX model, validated against the app's contract."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from dermadesk.contract.classes import CLASS_CODES, CLASSES
from dermadesk.contract.errors import ContractError
from dermadesk.contract.evaluation import EvaluationSummary
from dermadesk.contract.preprocessing import InputSpec

MANIFEST_SCHEMA_VERSION = 1
OUTPUT_NAMES: tuple[str, str, str] = ("logits", "embedding", "cams")
INPUT_NAME = "image"


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
            if malignant_p >= getattr(self, f"{name}_malignant") or melanoma_p >= getattr(self, f"{name}_melanoma"):
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
    def fit(cls, train: np.ndarray, val: np.ndarray, components: int = 32, quantile: float = 0.99) -> "OODStats":
        """Fit on training embeddings; threshold = ``quantile`` of the scores of validation embeddings."""
        x = np.asarray(train, np.float64)
        mean = x.mean(axis=0)
        _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
        k = max(1, min(components, len(s) - 1 if len(s) > 1 else 1))
        variances = np.maximum(s[:k] ** 2 / max(len(x) - 1, 1), 1e-8)
        proj = (x - mean) @ vt[:k].T
        resid = np.maximum(((x - mean) ** 2).sum(axis=1) - (proj**2).sum(axis=1), 0.0)
        base = cls(
            tuple(map(float, mean)),
            tuple(tuple(map(float, r)) for r in vt[:k]),
            tuple(map(float, variances)),
            float(max(resid.mean(), 1e-8)),
            1.0,
        )
        threshold = float(np.quantile(base.score(val), quantile))
        return cls(base.mean, base.components, base.variances, base.residual_mean, max(threshold, 1e-6))

    def features(self, embeddings: np.ndarray) -> np.ndarray:
        """Whitened principal components plus the log residual ratio: (N, k + 1)."""
        e = np.atleast_2d(np.asarray(embeddings, np.float64)) - np.asarray(self.mean)
        proj = e @ np.asarray(self.components).T
        resid = np.maximum((e**2).sum(axis=1) - (proj**2).sum(axis=1), 0.0) / self.residual_mean
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
    evaluation: EvaluationSummary = field(default_factory=EvaluationSummary)  # a mapping is converted
    provenance: Mapping[str, Any] = field(default_factory=dict)
    model_card: str = ""
    modalities: tuple[str, ...] = ("dermoscopic",)  # capture modalities the model was validated on
    schema_version: int = MANIFEST_SCHEMA_VERSION

    def __post_init__(self) -> None:
        if not isinstance(self.evaluation, EvaluationSummary):  # training/ passes the summary as a mapping
            object.__setattr__(self, "evaluation", EvaluationSummary.from_dict(self.evaluation))

    def validate(self) -> None:
        """Raise ContractError unless this manifest fits the app's contract."""
        if self.schema_version > MANIFEST_SCHEMA_VERSION:
            raise ContractError(
                f"manifest schema {self.schema_version} is newer than this app "
                f"understands ({MANIFEST_SCHEMA_VERSION}); update DermaDesk"
            )
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
        if self.input.pose == "none":  # written only when set: earlier manifests and app versions stay as they were
            del d["input"]["pose"]
        d["evaluation"] = self.evaluation.to_dict()
        d["classes"] = (
            [
                {"code": c.code, "name": c.name, "isic_term": c.isic_term, "malignant": c.malignant}
                for c in CLASSES
                if c.code in self.classes
            ]
            if tuple(self.classes) == CLASS_CODES
            else list(self.classes)
        )
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
            return cls(
                classes=classes,
                input=InputSpec(**inp),
                thresholds=RiskThresholds(**d.pop("thresholds")),
                ood=OODStats(**ood),
                outputs=tuple(d.pop("outputs", OUTPUT_NAMES)),
                modalities=modalities,
                **d,
            )
        except ContractError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise ContractError(f"manifest is malformed: {exc}") from exc

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "ModelManifest":
        """The manifest at ``path``; ContractError with a clear line for anything that is not one (the model's
        .onnx given instead, a binary or damaged file, JSON nested past reason)."""
        if Path(path).suffix.lower() == ".onnx":
            raise ContractError(f"{Path(path).name} is the model itself: give its manifest (the .json file beside it)")
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ContractError(f"model manifest {path} is not a text (JSON) file: damaged, or not one") from None
        except RecursionError:
            raise ContractError(f"model manifest {path} is nested too deeply to be a manifest") from None
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
