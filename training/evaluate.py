"""Evaluation on the held-out test split: metrics, plots, subgroups, model card."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.contract import CLASS_CODES, MALIGNANT_MASK, MELANOMA_INDEX, softmax
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
    }


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


def evaluate(checkpoint: Path, calibration: Path, data: Path, split: Path, out: Path) -> dict[str, Any]:
    import torch

    from training.data import label_indices, load_dataset, load_images
    from training.model import pick_device
    from training.splits import load_split, select
    from training.train import load_model_from_checkpoint, predict

    cal = json.loads(Path(calibration).read_text(encoding="utf-8"))
    device = pick_device("auto")
    model, ckpt = load_model_from_checkpoint(checkpoint, device)
    from training.train import spec_from_config

    spec = spec_from_config(ckpt["config"], cal["input_size"])
    samples = load_dataset(data)
    labels = label_indices(samples)
    test = select(samples, load_split(split), "test")
    with torch.no_grad():
        logits, _ = predict(model, load_images([samples[i] for i in test], 512), spec, device,
                            hflip_tta=bool(cal.get("hflip_tta", False)))
    y = labels[test]
    probs = softmax(logits, cal["temperature"])
    summary = summarise(probs, y, cal["thresholds"])
    summary["ece_uncalibrated"] = expected_calibration_error(softmax(logits), y)
    summary["confusion_matrix"] = confusion(y, probs.argmax(1)).tolist()
    summary["per_class_recall"] = dict(zip(CLASS_CODES, map(float, per_class_recall(y, probs.argmax(1)))))
    summary["subgroups"] = subgroups(probs, y, [samples[i].meta for i in test], cal["thresholds"])
    summary["split"] = {"method": "grouped by lesion_id (near duplicates merged), stratified by class",
                        "file": str(split), "test_images": len(test)}
    summary["temperature"] = cal["temperature"]
    summary["hflip_tta"] = bool(cal.get("hflip_tta", False))
    summary["thresholds"] = cal["thresholds"]
    summary["ood_check"] = cal.get("ood_check")
    summary["training"] = {"epochs_run": len(ckpt.get("history", [])), "best_epoch": int(ckpt["epoch"]),
                           "val_balanced_accuracy": float(ckpt["best"]), "config": ckpt["config"],
                           "seconds": float(sum(h.get("seconds", 0) for h in ckpt.get("history", [])))}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary["plots"] = plots(probs, y, out)
    (out / "evaluation.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    from training.modelcard import write_model_card

    write_model_card(summary, out / "model_card.md")
    return summary

