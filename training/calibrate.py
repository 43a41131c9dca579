"""Calibration on the validation split: temperature, operating thresholds, OOD statistics."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.contract import CLASS_CODES, MALIGNANT_MASK, MELANOMA_INDEX, OODStats, RiskThresholds, softmax
from training.metrics import expected_calibration_error, threshold_for_sensitivity


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    p = softmax(logits, temperature)
    return float(-np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, None)).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """Temperature minimising validation NLL: a log-spaced grid, then a finer grid around the best."""
    grid = np.exp(np.linspace(np.log(0.05), np.log(20), 200))
    best = float(grid[np.argmin([nll(logits, labels, t) for t in grid])])
    fine = np.linspace(max(best * 0.9, 0.05), min(best * 1.1, 20.0), 101)
    return float(fine[np.argmin([nll(logits, labels, t) for t in fine])])


def choose_thresholds(probs: np.ndarray, labels: np.ndarray, sensitivity: float = 0.90,
                      monitor_sensitivity: float = 0.97, urgent_specificity: float = 0.97) -> RiskThresholds:
    """Refer at ``sensitivity`` for malignant and melanoma; monitor at a higher sensitivity;
    urgent where only (1 - urgent_specificity) of the negatives score."""
    mal = probs[:, MALIGNANT_MASK].sum(axis=1)
    mel = probs[:, MELANOMA_INDEX]
    is_mal = MALIGNANT_MASK[labels]
    is_mel = labels == MELANOMA_INDEX
    refer_mal = threshold_for_sensitivity(is_mal, mal, sensitivity)
    refer_mel = threshold_for_sensitivity(is_mel, mel, sensitivity)
    monitor_mal = min(threshold_for_sensitivity(is_mal, mal, monitor_sensitivity), refer_mal)
    monitor_mel = min(threshold_for_sensitivity(is_mel, mel, monitor_sensitivity), refer_mel)
    urgent_mal = max(float(np.quantile(mal[~is_mal], urgent_specificity)), refer_mal)
    urgent_mel = max(float(np.quantile(mel[~is_mel], urgent_specificity)), refer_mel)
    return RiskThresholds(sensitivity_target=sensitivity, monitor_malignant=round(monitor_mal, 6),
                          monitor_melanoma=round(monitor_mel, 6), refer_malignant=round(refer_mal, 6),
                          refer_melanoma=round(refer_mel, 6), urgent_malignant=round(min(urgent_mal, 1.0), 6),
                          urgent_melanoma=round(min(urgent_mel, 1.0), 6))


def procedural_blob(rng: np.random.Generator, size: int) -> np.ndarray:
    """A drawn 'lesion': a smooth dark ellipse on a skin-toned noise field (what a demo or a drawing shows)."""
    import cv2

    skin = rng.uniform([170, 120, 100], [240, 200, 180])
    field = cv2.GaussianBlur(rng.normal(0, 1, (size, size)).astype(np.float32), (0, 0), rng.uniform(1, 8))
    img = np.clip(skin + rng.uniform(2, 12) * field[..., None] / max(float(field.std()), 1e-6), 0, 255)
    mask = np.zeros((size, size), np.float32)
    centre = tuple(int(v) for v in rng.uniform(0.3, 0.7, 2) * size)
    axes = tuple(int(v) for v in rng.uniform(0.1, 0.3, 2) * size)
    cv2.ellipse(mask, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), rng.uniform(1, 6))[..., None]
    colour = rng.uniform([50, 25, 15], [170, 120, 90])
    return (img * (1 - mask) + colour * mask).astype(np.uint8)


def drawn_lesion(rng: np.random.Generator, size: int) -> np.ndarray:
    """A procedurally drawn 'lesion' on textured skin: an irregular two-tone blob, sometimes with hairs and a
    dark rim (what a demo, a textbook drawing or a rendered phantom shows; no dermatoscope image)."""
    import cv2

    skin = rng.uniform([170, 120, 100], [240, 200, 180])
    field = np.zeros((size, size), np.float32)
    for sigma in (1.0, 4.0, 16.0):
        noise = cv2.GaussianBlur(rng.normal(0, 1, (size, size)).astype(np.float32), (0, 0), sigma)
        field += noise / max(float(noise.std()), 1e-6) * rng.uniform(0, 1)
    img = np.clip(skin + rng.uniform(3, 15) * field[..., None], 0, 255).astype(np.float32)
    for _ in range(int(rng.integers(0, 40))):  # freckles and pores
        cv2.circle(img, tuple(int(v) for v in rng.integers(0, size, 2)), int(rng.integers(1, 3)),
                   tuple(float(v) for v in skin * rng.uniform(0.7, 0.9)), -1)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    cx, cy = rng.uniform(0.35, 0.65, 2) * size
    angle = np.arctan2(yy - cy, xx - cx)
    radius = rng.uniform(0.12, 0.32) * size * (1 + sum(rng.uniform(0, 0.15) * np.cos(k * angle + rng.uniform(0, 6.3))
                                                      for k in range(2, 6)))
    t = np.clip(np.hypot(xx - cx, yy - cy) / radius, 0, 1.5)
    inside = cv2.GaussianBlur((t < 1).astype(np.float32), (0, 0), rng.uniform(0.5, 4))[..., None]
    core, rim = rng.uniform([40, 20, 10], [120, 80, 60]), rng.uniform([110, 70, 40], [190, 140, 110])
    pigment = core * (1 - np.clip(t, 0, 1)[..., None]) + rim * np.clip(t, 0, 1)[..., None]
    img = img * (1 - inside) + pigment * inside
    for _ in range(int(rng.integers(0, 6))):  # hairs
        a, b = rng.integers(0, size, 2), rng.integers(0, size, 2)
        cv2.line(img, tuple(int(v) for v in a), tuple(int(v) for v in b), (40.0, 30.0, 25.0), 1)
    if rng.random() < 0.5:  # a dermatoscope-like dark rim drawn round it
        img *= np.clip(1.6 - np.hypot(xx - size / 2, yy - size / 2) / (size / 2), 0, 1)[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def procedural_scene(rng: np.random.Generator, size: int) -> np.ndarray:
    """Overlapping filled shapes of many colours, blurred a little: object-like content, not skin."""
    import cv2

    img = np.empty((size, size, 3), np.float32)
    img[:] = rng.uniform(0, 255, 3)
    for _ in range(int(rng.integers(4, 20))):
        colour = tuple(float(v) for v in rng.uniform(0, 255, 3))
        shape = rng.integers(0, 3)
        if shape == 0:
            cv2.circle(img, tuple(int(v) for v in rng.integers(0, size, 2)), int(rng.integers(5, size // 3)), colour,
                       -1)
        elif shape == 1:
            p = rng.integers(0, size, 4)
            cv2.rectangle(img, (int(p[0]), int(p[1])), (int(p[2]), int(p[3])), colour, -1)
        else:
            cv2.fillPoly(img, [rng.integers(0, size, (int(rng.integers(3, 7)), 2)).astype(np.int32)], colour)
    return np.clip(cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 2.5)), 0, 255).astype(np.uint8)


def synthetic_non_dermoscopy(n: int = 48, size: int = 224, seed: int = 0) -> list[np.ndarray]:
    """Images no dermatoscope produces: flat colours, noise, gradients, stripes, checkerboards, text-like
    marks, drawn blobs on skin-toned noise, drawn lesions on textured skin and scenes of shapes.

    None of these comes from ``dermadesk.analysis.synthetic`` (the demo's lesions) or from the photographs
    that ``dermadesk.bench.ood`` uses, so that benchmark measures how the check carries over to oddities
    it was not fitted on."""
    import cv2

    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        kind = i % 9
        if kind >= 6:
            out.append((procedural_blob, drawn_lesion, procedural_scene)[kind - 6](rng, size))
            continue
        if kind == 0:
            img = np.empty((size, size, 3), np.uint8)
            img[:] = rng.integers(0, 256, 3)
        elif kind == 1:
            img = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        elif kind == 2:
            ramp = np.linspace(0, 255, size, dtype=np.float32)
            img = np.dstack([np.tile(ramp, (size, 1)), np.tile(ramp[:, None], (1, size)),
                             np.full((size, size), rng.uniform(0, 255), np.float32)]).astype(np.uint8)
        elif kind == 3:
            period = int(rng.integers(4, 24))
            stripes = ((np.arange(size) // period) % 2 * 255).astype(np.uint8)
            img = np.dstack([np.tile(stripes, (size, 1))] * 3)
        elif kind == 4:
            period = int(rng.integers(8, 40))
            yy, xx = np.mgrid[0:size, 0:size]
            board = (((yy // period) + (xx // period)) % 2 * 255).astype(np.uint8)
            img = np.dstack([board, 255 - board, board])
        else:
            img = np.full((size, size, 3), 255, np.uint8)
            for j in range(12):
                cv2.putText(img, "DERMADESK 0123"[j:j + 6], (4, 18 * (j + 1)), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                            tuple(int(v) for v in rng.integers(0, 120, 3)), 2)
        out.append(img)
    return out


def fit_outlier_classifier(ood: OODStats, real: np.ndarray, odd: np.ndarray, val: np.ndarray,
                           quantile: float = 0.995, l2: float = 1e-2, steps: int = 800) -> OODStats:
    """Outlier exposure: logistic regression on ``ood.features`` separating real training embeddings from
    embeddings of images no dermatoscope produces; threshold at ``quantile`` of real validation images."""
    x = np.vstack([ood.features(real), ood.features(odd)])
    y = np.r_[np.zeros(len(real)), np.ones(len(odd))]
    weight = np.where(y == 1, 0.5 / len(odd), 0.5 / len(real))  # both classes count equally
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):  # plain gradient descent: 33 features, a few thousand rows
        p = 1 / (1 + np.exp(-np.clip(x @ w + b, -50, 50)))
        g = weight * (p - y)
        w -= 0.5 * (x.T @ g + l2 * w)
        b -= 0.5 * g.sum()
    base = OODStats(ood.mean, ood.components, ood.variances, ood.residual_mean, ood.threshold, ood.method,
                    tuple(map(float, w)), float(b), 1.0)
    threshold = float(np.quantile(base.outlier_probability(val), quantile))
    return OODStats(ood.mean, ood.components, ood.variances, ood.residual_mean, ood.threshold,
                    "pca-mahalanobis + outlier-exposure classifier", base.clf_weights, base.clf_bias,
                    min(max(threshold, 0.5), 0.999))


def calibrate(checkpoint: Path, data: Path | str, split: Path, out: Path, sensitivity: float = 0.90,
              ood_components: int = 32, ood_quantile: float = 0.99, max_train_for_ood: int = 3000,
              seed: int = 0, tta: bool | str = "flip") -> dict[str, Any]:
    """Fit temperature, thresholds and OOD statistics on the pooled validation of every source; write ``out``.

    Thresholds come from all sources' validation images together (not HAM10000 alone), so that the one
    stored threshold transfers; sensitivity and specificity at it are reported per source as well.
    """
    import torch

    from training.data import label_indices, load_dataset, load_images
    from training.metrics import sens_spec
    from training.export import fast_runtime, weights_storage
    from training.model import pick_device, tta_mode
    from training.splits import load_split, select
    from training.train import load_model_from_checkpoint, predict, spec_from_config

    tta = tta_mode(tta)
    device = pick_device("auto")
    model, ckpt = load_model_from_checkpoint(checkpoint, device)
    size = int(ckpt["config"]["size"])
    model = fast_runtime(model, size, device, weights_storage(ckpt["config"]))
    spec = spec_from_config(ckpt["config"], size)
    samples = load_dataset(data)
    labels = label_indices(samples)
    assignment = load_split(split)
    va, tr = select(samples, assignment, "val"), select(samples, assignment, "train")
    rng = np.random.default_rng(seed)
    tr_sub = sorted(rng.choice(tr, size=min(max_train_for_ood, len(tr)), replace=False).tolist())
    with torch.no_grad():
        val_logits, val_emb = predict(model, load_images([samples[i] for i in va], 512), spec, device, hflip_tta=tta)
        _, train_emb = predict(model, load_images([samples[i] for i in tr_sub], 512), spec, device, hflip_tta=tta)
        _, odd_emb = predict(model, synthetic_non_dermoscopy(), spec, device, hflip_tta=tta)
        _, exposure_emb = predict(model, synthetic_non_dermoscopy(720, seed=1), spec, device, hflip_tta=tta)
    y = labels[va]
    temperature = fit_temperature(val_logits, y)
    probs = softmax(val_logits, temperature)
    thresholds = choose_thresholds(probs, y, sensitivity)
    ood = OODStats.fit(train_emb, val_emb, components=min(ood_components, train_emb.shape[1]), quantile=ood_quantile)
    ood = fit_outlier_classifier(ood, train_emb, exposure_emb, val_emb)
    sources = np.array([samples[i].source for i in va])
    per_source = {}
    for src in sorted(set(sources.tolist())):
        sel = sources == src
        mal = probs[sel][:, MALIGNANT_MASK].sum(1)
        per_source[src] = {"val_images": int(sel.sum()),
                           "malignant": sens_spec(MALIGNANT_MASK[y[sel]], mal, thresholds.refer_malignant),
                           "ece": expected_calibration_error(probs[sel], y[sel])}
    result = {
        "checkpoint": str(checkpoint), "input_size": size, "temperature": temperature, "tta": tta,
        "hflip_tta": tta != "none",
        "val_images": len(va), "val_nll": {"before": nll(val_logits, y, 1.0), "after": nll(val_logits, y, temperature)},
        "val_ece": {"before": expected_calibration_error(softmax(val_logits), y),
                    "after": expected_calibration_error(probs, y)},
        "thresholds": asdict(thresholds), "threshold_data": "pooled validation of every source",
        "val_per_source": per_source,
        "ood": asdict(ood),
        "ood_check": {"val_flagged": float(ood.flags(val_emb).mean()),
                      "train_flagged": float(ood.flags(train_emb).mean()),
                      "synthetic_non_dermoscopy_flagged": float(ood.flags(odd_emb).mean()),
                      "distance_only_val_flagged": float((ood.score(val_emb) > ood.threshold).mean()),
                      "distance_only_synthetic_flagged": float((ood.score(odd_emb) > ood.threshold).mean()),
                      "synthetic_images": len(odd_emb), "quantile": ood_quantile},
        "embedding_dim": int(val_emb.shape[1]), "classes": list(CLASS_CODES),
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result
