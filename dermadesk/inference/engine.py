"""From RGB images to calibrated, explained assessments with one ONNX session."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.analysis.overlays import heat_png
from dermadesk.analysis.quality import QualityReport, check_quality
from dermadesk.contract import (
    CLASS_CODES,
    MALIGNANT_MASK,
    MELANOMA_INDEX,
    RECOMMENDATIONS,
    assessment_status,
    output_problem,
    preprocess_with_view,
    softmax,
    undo_view,
)
from dermadesk.domain.records import Assessment
from dermadesk.inference.cam import heatmap
from dermadesk.inference.registry import ModelEntry
from dermadesk.inference.session import OnnxModel, ProviderChoice


@dataclass(frozen=True, kw_only=True)
class Result(Assessment):
    """One image's assessment as the engine makes it (not stored: ``id`` is 0), with what only the engine has:
    the quality report, the low-resolution class maps (classes x h x w), the image size, per-stage timings and
    the status reason codes. Store it with ``register.assessments.store`` (the Assessment fields only)."""

    quality_report: QualityReport | None = None
    cams: np.ndarray | None = None
    image_size: tuple[int, int] = (0, 0)  # (width, height)
    timing_ms: dict[str, float] = field(default_factory=dict)
    status_codes: list[str] = field(default_factory=list)

    def heatmap(self, class_code: str | None = None) -> np.ndarray | None:
        """Heat map for ``class_code`` (default: the top class) at the image's size, 0..1 (None: no valid CAM)."""
        if self.cams is None or not (class_code or self.top_class):
            return None
        c = CLASS_CODES.index(class_code or self.top_class)
        return heatmap(self.cams[c], *self.image_size)


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

    def assess(self, rgb: np.ndarray, modality: str = "dermoscopic") -> Result:
        return self.assess_batch([rgb], [modality])[0]

    def assess_batch(self, images: list[np.ndarray], modalities: list[str] | None = None) -> list[Result]:
        """Assess a batch with one session call; per-image timings split the batch stages evenly.

        Every image gets a status (contract.assessment_status): a failed quality check, an
        out-of-distribution image, a modality the model was not validated on (``modalities``, default
        dermoscopic) or invalid model output makes it "not assessable", with no tier.
        """
        m = self.entry.manifest
        n = len(images)
        t0 = time.perf_counter()
        qualities = [check_quality(im) for im in images]
        t1 = time.perf_counter()
        prepared = [preprocess_with_view(im, m.input) for im in images]
        batch = np.concatenate([x for x, _ in prepared])
        t2 = time.perf_counter()
        out = self.model.run(batch)
        t3 = time.perf_counter()
        with np.errstate(all="ignore"):
            probs = softmax(out["logits"], m.temperature)
            embedding = np.nan_to_num(out["embedding"], nan=1e6, posinf=1e6, neginf=-1e6)
            ood, ood_flags = m.ood.score(embedding), m.ood.flags(embedding)
        cams_all = out.get("cams")
        modalities = modalities or ["dermoscopic"] * n
        results = []
        for i, im in enumerate(images):
            p = probs[i]
            cams = cams_all[i] if cams_all is not None and len(cams_all) > i else None
            if cams is not None and np.ndim(cams) >= 2:  # heat maps back in the capture's orientation
                cams = undo_view(np.asarray(cams), prepared[i][1])
            problem = output_problem(np.asarray(out["logits"][i]), p, cams)
            ood_score = float(ood[i]) if np.isfinite(ood[i]) else None
            ood_flag = ood_score is None or bool(ood_flags[i])
            grey = qualities[i].greyscale  # its own reason and next step, not "failed the quality check (...)"
            failures = [c.message for c in qualities[i].checks if c.status == "fail" and c.name != "colour"]
            status = assessment_status(failures, ood_flag and not problem, modalities[i], m.modalities, problem, grey)
            timing = {
                "quality": (t1 - t0) * 1e3 / n,
                "preprocess": (t2 - t1) * 1e3 / n,
                "inference": (t3 - t2) * 1e3 / n,
            }
            common: dict[str, Any] = dict(
                model_name=m.name,
                model_version=m.version,
                provider=self.choice.provider,
                quality=qualities[i].to_dict(),
                quality_report=qualities[i],
                ood_score=ood_score,
                ood_flag=ood_flag,
                image_size=(im.shape[1], im.shape[0]),
                timing_ms=timing,
                status=status.status,
                status_reasons=list(status.reasons),
                status_codes=list(status.codes),
                modality=modalities[i],
            )
            if problem:
                results.append(
                    Result(
                        probabilities={},
                        top_class="",
                        malignant_probability=None,
                        melanoma_probability=None,
                        risk_tier=None,
                        recommendation=None,
                        cams=None,
                        **common,
                    )
                )
                continue
            mal, mel = float(p[MALIGNANT_MASK].sum()), float(p[MELANOMA_INDEX])
            tier = m.thresholds.tier(mal, mel) if status.assessable else None
            results.append(
                Result(
                    probabilities={c: float(v) for c, v in zip(CLASS_CODES, p)},
                    top_class=CLASS_CODES[int(np.argmax(p))],
                    malignant_probability=mal,
                    melanoma_probability=mel,
                    risk_tier=tier,
                    recommendation=RECOMMENDATIONS[tier] if tier else None,
                    cams=cams,
                    **common,
                )
            )
        return results

    def cam_png(self, result: Result, class_code: str | None = None) -> tuple[bytes | None, float]:
        """RGBA heat-map PNG for storage (None without a valid CAM), and the milliseconds it took."""
        t = time.perf_counter()
        heat = result.heatmap(class_code)
        data = heat_png(heat) if heat is not None else None
        return data, (time.perf_counter() - t) * 1e3


def open_assessor(data_dir: Path | None, model: str | None = None, device: str = "auto") -> Assessor:
    """The assessor for a model from the registry (bundled + user models)."""
    from dermadesk.inference.registry import ModelRegistry

    return Assessor(ModelRegistry(data_dir).get(model), device)
