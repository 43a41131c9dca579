"""Evaluation on the held-out test split: metrics, plots, subgroups, model card."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.contract import CLASS_CODES, MALIGNANT_MASK, MELANOMA_INDEX, RISK_TIERS, RiskThresholds, softmax
from training.metrics import (auroc, balanced_accuracy, confusion, expected_calibration_error, per_class_recall,
                              precision_recall_f1, reliability_bins, sens_spec)


def age_band(age: str) -> str:
    try:
        a = float(age)
    except (TypeError, ValueError):
        return "unknown"
    if a < 30:
        return "<30"
    if a < 50:
        return "30-49"
    if a < 70:
        return "50-69"
    return "70+"


def summarise(probs: np.ndarray, y: np.ndarray, thresholds: dict[str, float]) -> dict[str, Any]:
    """All headline metrics for calibrated probabilities ``probs`` and labels ``y``."""
    pred = probs.argmax(1)
    prf = precision_recall_f1(y, pred)
    mal_p, mel_p = probs[:, MALIGNANT_MASK].sum(1), probs[:, MELANOMA_INDEX]
    is_mal, is_mel = MALIGNANT_MASK[y], y == MELANOMA_INDEX
    return {
        "n": int(len(y)),
        "balanced_accuracy": balanced_accuracy(y, pred),
        "accuracy": float((pred == y).mean()),
        "macro_f1": float(np.nanmean(prf["f1"])),
        "per_class": {c: {"precision": float(prf["precision"][i]), "recall": float(prf["recall"][i]),
                          "f1": float(prf["f1"][i]), "support": int(prf["support"][i]),
                          "auroc": auroc(y == i, probs[:, i])} for i, c in enumerate(CLASS_CODES)},
        "auroc_malignant_vs_benign": auroc(is_mal, mal_p),
        "auroc_melanoma": auroc(is_mel, mel_p),
        "malignant": sens_spec(is_mal, mal_p, thresholds["refer_malignant"]),
        "melanoma": sens_spec(is_mel, mel_p, thresholds["refer_melanoma"]),
        "ece": expected_calibration_error(probs, y),
        "tiers": tier_rates(probs, y, thresholds),
    }


def tier_rates(probs: np.ndarray, y: np.ndarray, thresholds: dict[str, float]) -> dict[str, dict[str, float]]:
    """How often each risk tier is given to benign and to malignant lesions (the tier rule: malignant OR melanoma
    probability at each level), and the share referred (tier refer or urgent): what a clinic sees in practice."""
    rule = RiskThresholds(**thresholds)
    mal_p, mel_p = probs[:, MALIGNANT_MASK].sum(1), probs[:, MELANOMA_INDEX]
    tiers = np.array([rule.tier(float(m), float(q)) for m, q in zip(mal_p, mel_p)])
    out: dict[str, dict[str, float]] = {}
    for group, sel in (("benign", ~MALIGNANT_MASK[y]), ("malignant", MALIGNANT_MASK[y])):
        n = int(sel.sum())
        rates = {t: float((tiers[sel] == t).mean()) if n else float("nan") for t in RISK_TIERS}
        out[group] = {"n": n, **rates, "referred": rates["refer"] + rates["urgent"] if n else float("nan")}
    return out


def subgroups(probs: np.ndarray, y: np.ndarray, meta: list[dict[str, str]], thresholds: dict[str, float]) -> dict:
    out: dict[str, dict[str, Any]] = {}
    keys = {"sex": lambda m: m.get("sex") or "unknown", "age_band": lambda m: age_band(m.get("age", "")),
            "localization": lambda m: m.get("localization") or "unknown"}
    for name, key in keys.items():
        groups: dict[str, list[int]] = {}
        for i, m in enumerate(meta):
            groups.setdefault(key(m), []).append(i)
        out[name] = {}
        for value, idx in sorted(groups.items()):
            sel = np.array(idx)
            yy, pp = y[sel], probs[sel]
            mal = pp[:, MALIGNANT_MASK].sum(1)
            out[name][value] = {
                "n": int(len(sel)),
                "balanced_accuracy": balanced_accuracy(yy, pp.argmax(1)) if len(set(yy.tolist())) > 1 else None,
                "malignant": sens_spec(MALIGNANT_MASK[yy], mal, thresholds["refer_malignant"]),
            }
    return out


def plots(probs: np.ndarray, y: np.ndarray, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = confusion(y, probs.argmax(1))
    norm = m / np.maximum(m.sum(1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6, 5), dpi=120)
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(CLASS_CODES)):
        for j in range(len(CLASS_CODES)):
            ax.text(j, i, f"{m[i, j]}\n{norm[i, j]:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xticks(range(7), CLASS_CODES)
    ax.set_yticks(range(7), CLASS_CODES)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true (test split)")
    ax.set_title("Confusion matrix (rows normalised)")
    fig.tight_layout()
    fig.savefig(out / "confusion_matrix.png")
    plt.close(fig)
    bins = reliability_bins(probs, y)
    fig, ax = plt.subplots(figsize=(5, 5), dpi=120)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.bar([b["lo"] for b in bins], [b["accuracy"] for b in bins], width=1 / 15, align="edge", alpha=0.6,
           edgecolor="black", label="accuracy per confidence bin")
    ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], "o-", color="C3")
    ax.set_xlabel("confidence (top class, calibrated)")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Reliability diagram, ECE {expected_calibration_error(probs, y):.3f}")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(out / "reliability_diagram.png")
    plt.close(fig)
    return ["confusion_matrix.png", "reliability_diagram.png"]


def per_source(probs: np.ndarray, y: np.ndarray, sources: list[str], thresholds: dict[str, float]) -> dict[str, Any]:
    """``summarise`` for each source on its own (the pooled figures are the top level)."""
    out = {}
    src = np.array(sources)
    for name in sorted(set(sources)):
        sel = src == name
        out[name] = summarise(probs[sel], y[sel], thresholds)
        out[name]["classes_present"] = [CLASS_CODES[i] for i in sorted(set(y[sel].tolist()))]
    return out


def variants(img: np.ndarray) -> dict[str, np.ndarray]:
    """The nuisances a tier must survive: quarter turns, mirrors and relighting by +-15 %."""
    out = {f"rot{90 * k}": np.ascontiguousarray(np.rot90(img, k)) for k in (1, 2, 3)}
    out.update({f"mirror_rot{90 * k}": np.ascontiguousarray(np.rot90(img[:, ::-1], k)) for k in range(4)})
    for gain in (0.85, 1.15):
        out[f"light{gain:.2f}"] = np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    return out


def stability(model: Any, images: list[np.ndarray], spec: Any, device: Any, tta: str, temperature: float,
              thresholds: dict[str, float]) -> dict[str, Any]:
    """Tier changes and malignant-probability shifts of each image under ``variants`` (per kind)."""
    from dermadesk.contract import RiskThresholds
    from training.train import predict

    rt = RiskThresholds(**thresholds)

    def tiers_and_mal(imgs: list[np.ndarray]) -> tuple[list[str], np.ndarray]:
        logits, _ = predict(model, imgs, spec, device, hflip_tta=tta)
        p = softmax(logits, temperature)
        mal = p[:, MALIGNANT_MASK].sum(1)
        return [rt.tier(float(m), float(q)) for m, q in zip(mal, p[:, MELANOMA_INDEX])], mal

    base_tiers, base_mal = tiers_and_mal(images)
    kinds: dict[str, dict[str, float]] = {}
    changed_geometry, pairs_geometry = 0, 0
    for name in variants(images[0]):
        t, mal = tiers_and_mal([variants(im)[name] for im in images])
        flips = sum(a != b for a, b in zip(base_tiers, t))
        kinds[name] = {"tier_changed": flips / len(images),
                       "malignant_abs_shift_p50": float(np.median(np.abs(mal - base_mal))),
                       "malignant_abs_shift_p95": float(np.quantile(np.abs(mal - base_mal), 0.95))}
        if not name.startswith("light"):
            changed_geometry += flips
            pairs_geometry += len(images)
    return {"images": len(images), "per_variant": kinds,
            "tier_changed_rotations_flips": changed_geometry / max(pairs_geometry, 1),
            "tier_changed_relight": float(np.mean([kinds[k]["tier_changed"] for k in kinds if k.startswith("light")]))}


def manifest_calibration(manifest_path: Path) -> dict[str, Any]:
    """An exported model's own temperature and thresholds in ``calibrate``'s form: its graph measured again as
    shipped (the graph holds its test-time augmentation, so none is added)."""
    import dataclasses

    from dermadesk.contract import ModelManifest

    m = ModelManifest.load(manifest_path)
    return {"input_size": m.input.height, "temperature": m.temperature, "tta": "none",
            "thresholds": dataclasses.asdict(m.thresholds), "ood_check": dict(m.evaluation.ood_check),
            "threshold_data": f"as stored in {Path(manifest_path).name} (fitted on validation at export)"}


def split_seed(split: Path) -> int | None:
    """The seed the split file was made with (``training prepare --seed``), None where it does not say."""
    try:
        seed = json.loads(Path(split).read_text(encoding="utf-8")).get("seed")
    except (OSError, ValueError):
        return None
    return seed if isinstance(seed, int) else None


def evaluate(checkpoint: Path, calibration: Path | None, data: Path | str, split: Path, out: Path,
             stability_images: int = 400) -> dict[str, Any]:
    """Test-split figures pooled and per source, stability under nuisances, plots and the model card.
    ``calibration`` None: an exported model's manifest (``checkpoint``) with its own temperature and thresholds."""
    import torch

    from training.data import label_indices, load_dataset, load_images
    from training.export import fast_runtime, weights_storage
    from training.model import pick_device, tta_mode
    from training.splits import load_split, select
    from training.train import load_model_from_checkpoint, predict, spec_from_config

    if calibration is None:
        cal = manifest_calibration(Path(checkpoint))
    else:
        cal = json.loads(Path(calibration).read_text(encoding="utf-8"))
    tta = tta_mode(cal.get("tta", bool(cal.get("hflip_tta", False))))
    device = pick_device("auto")
    model, ckpt = load_model_from_checkpoint(checkpoint, device)
    spec = spec_from_config(ckpt["config"], cal["input_size"])
    model = fast_runtime(model, int(cal["input_size"]), device, weights_storage(ckpt["config"]))
    samples = load_dataset(data)
    labels = label_indices(samples)
    test = select(samples, load_split(split), "test")
    images = load_images([samples[i] for i in test], 512)
    with torch.no_grad():
        logits, _ = predict(model, images, spec, device, hflip_tta=tta)
    y = labels[test]
    sources = [samples[i].source for i in test]
    probs = softmax(logits, cal["temperature"])
    summary = summarise(probs, y, cal["thresholds"])
    summary["per_source"] = per_source(probs, y, sources, cal["thresholds"])
    summary["ece_uncalibrated"] = expected_calibration_error(softmax(logits), y)
    summary["confusion_matrix"] = confusion(y, probs.argmax(1)).tolist()
    summary["per_class_recall"] = dict(zip(CLASS_CODES, map(float, per_class_recall(y, probs.argmax(1)))))
    summary["subgroups"] = subgroups(probs, y, [samples[i].meta for i in test], cal["thresholds"])
    summary["split"] = {"method": "grouped by lesion_id (near duplicates merged), stratified by class, split per "
                                  "source; ISIC 2017 test = a held-out quarter (cross-source test)",
                        "file": str(split), "seed": split_seed(split), "test_images": len(test),
                        "test_images_per_source": {s: sources.count(s) for s in sorted(set(sources))}}
    first = sorted(set(sources))[0] if "ham10000" not in sources else "ham10000"
    pick = [i for i, s in enumerate(sources) if s == first]
    pick = [pick[i] for i in np.random.default_rng(0).permutation(len(pick))[:stability_images]]
    with torch.no_grad():
        summary["stability"] = stability(model, [images[i] for i in pick], spec, device, tta, cal["temperature"],
                                         cal["thresholds"])
    summary["stability"]["source"] = first
    summary["temperature"] = cal["temperature"]
    summary["tta"] = tta
    summary["hflip_tta"] = tta != "none"
    summary["thresholds"] = cal["thresholds"]
    summary["threshold_data"] = cal.get("threshold_data", "validation")
    summary["ood_check"] = cal.get("ood_check")
    summary["training"] = {"epochs_run": len(ckpt.get("history", [])), "best_epoch": int(ckpt["epoch"]),
                           "val_score": float(ckpt["best"]), "config": ckpt["config"],
                           "seconds": float(sum(h.get("seconds", 0) for h in ckpt.get("history", []))),
                           "history": ckpt.get("history", [])}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary["plots"] = plots(probs, y, out)
    (out / "evaluation.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    from training.modelcard import write_model_card

    write_model_card(summary, out / "model_card.md")
    return summary
