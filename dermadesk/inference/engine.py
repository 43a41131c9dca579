"""From RGB images to calibrated, explained assessments with one ONNX session."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.analysis.quality import QualityReport, check_quality
from dermadesk.contract import (CLASS_CODES, MALIGNANT_MASK, MELANOMA_INDEX, RECOMMENDATIONS, preprocess,
                                softmax)
from dermadesk.inference.cam import heatmap, heatmap_rgba_png
from dermadesk.inference.registry import ModelEntry
from dermadesk.inference.session import OnnxModel, ProviderChoice


@dataclass
class Result:
    """One image's assessment; ``cams`` holds the low-resolution class maps (classes x h x w)."""

    probabilities: dict[str, float]
    top_class: str
    malignant_probability: float
    melanoma_probability: float
    risk_tier: str
    recommendation: str
    ood_score: float
    ood_flag: bool
    quality: QualityReport
    cams: np.ndarray
    image_size: tuple[int, int]  # (width, height)
    timing_ms: dict[str, float] = field(default_factory=dict)

    def heatmap(self, class_code: str | None = None) -> np.ndarray:
        """Heat map for ``class_code`` (default: the top class) at the image's size, 0..1."""
        c = CLASS_CODES.index(class_code or self.top_class)
        return heatmap(self.cams[c], *self.image_size)

    def to_row(self, entry: ModelEntry, provider: str) -> dict[str, Any]:
        """Values for an assessments row (the caller stores ``cam_png`` in the image store)."""
        return dict(model_name=entry.manifest.name, model_version=entry.manifest.version, provider=provider,
                    probabilities=self.probabilities, top_class=self.top_class,
                    malignant_probability=self.malignant_probability,
                    melanoma_probability=self.melanoma_probability, risk_tier=self.risk_tier,
                    recommendation=self.recommendation, quality=self.quality.to_dict(),
                    ood_score=self.ood_score, ood_flag=self.ood_flag)


class Assessor:
    """Loads the model's session on first use (start-up stays fast) and reuses it."""

    def __init__(self, entry: ModelEntry, device: str = "auto", threads: int = 0) -> None:
        self.entry, self.device, self.threads = entry, device, threads
        self._model: OnnxModel | None = None

    @property
    def model(self) -> OnnxModel:
        if self._model is None:
            self._model = OnnxModel(self.entry.onnx_path, self.device, self.threads)
        return self._model

    @property
    def choice(self) -> ProviderChoice:
        return self.model.choice

    def assess(self, rgb: np.ndarray) -> Result:
        return self.assess_batch([rgb])[0]

    def assess_batch(self, images: list[np.ndarray]) -> list[Result]:
        """Assess a batch with one session call; per-image timings split the batch stages evenly."""
        m = self.entry.manifest
        n = len(images)
        t0 = time.perf_counter()
        qualities = [check_quality(im) for im in images]
        t1 = time.perf_counter()
        batch = np.concatenate([preprocess(im, m.input) for im in images])
        t2 = time.perf_counter()
        out = self.model.run(batch)
        t3 = time.perf_counter()
        probs = softmax(out["logits"], m.temperature)
        ood = m.ood.score(out["embedding"])
        results = []
        for i, im in enumerate(images):
            p = probs[i]
            mal, mel = float(p[MALIGNANT_MASK].sum()), float(p[MELANOMA_INDEX])
            tier = m.thresholds.tier(mal, mel)
            results.append(Result(
                probabilities={c: float(v) for c, v in zip(CLASS_CODES, p)},
                top_class=CLASS_CODES[int(np.argmax(p))], malignant_probability=mal, melanoma_probability=mel,
                risk_tier=tier, recommendation=RECOMMENDATIONS[tier], ood_score=float(ood[i]),
                ood_flag=bool(ood[i] > m.ood.threshold), quality=qualities[i], cams=out["cams"][i],
                image_size=(im.shape[1], im.shape[0]),
                timing_ms={"quality": (t1 - t0) * 1e3 / n, "preprocess": (t2 - t1) * 1e3 / n,
                           "inference": (t3 - t2) * 1e3 / n}))
        return results

    def cam_png(self, result: Result, class_code: str | None = None) -> tuple[bytes, float]:
        """RGBA heat-map PNG for storage, and the milliseconds it took."""
        t = time.perf_counter()
        data = heatmap_rgba_png(result.heatmap(class_code))
        return data, (time.perf_counter() - t) * 1e3


def open_assessor(data_dir: Path | None, model: str | None = None, device: str = "auto") -> Assessor:
    """The assessor for a model from the registry (bundled + user models)."""
    from dermadesk.inference.registry import ModelRegistry

    return Assessor(ModelRegistry(data_dir).get(model), device)
