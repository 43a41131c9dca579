"""The Markdown model card written next to every exported model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dermadesk.contract import CLASSES, DISCLAIMER

CITATION = ("Tschandl P., Rosendahl C., Kittler H. The HAM10000 dataset, a large collection of multi-source "
            "dermatoscopic images of common pigmented skin lesions. Sci. Data 5, 180161 (2018). doi:10.7910/DVN/DBW86T")


def _pct(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.3f}"


def reproduce_command(cfg: dict[str, Any], name: str, version: str) -> str:
    return (f"python -m training pipeline --data HAM10000_DIR --weights efficientnet-lite0-57934424.pth --out WORK "
            f"--arch {cfg.get('architecture', 'efficientnet_lite0')} --epochs {cfg.get('epochs', '?')} "
            f"--size {cfg.get('size', '?')} --patience {cfg.get('patience', '?')} --seed {cfg.get('seed', 0)} "
            f"--name {name or 'NAME'} --version {version or 'VERSION'}")


def write_model_card(s: dict[str, Any], path: Path, name: str = "", version: str = "",
                     plots: list[str] | None = None) -> str:
    cfg = s.get("training", {}).get("config", {})
    t = s["thresholds"]
    lines = [
        f"# Model card: {name or 'DermaDesk lesion classifier'} {version}".rstrip(),
        "",
        f"**{DISCLAIMER}**",
        "",
        "## Intended use",
        "Decision support for clinicians examining dermoscopic images of pigmented skin lesions: a 7-class "
        "estimate (HAM10000 classes), a malignant probability and a risk tier with a recommendation. Not for "
        "use by patients alone, not for non-dermoscopic photographs, not a diagnosis.",
        "",
        "## Data",
        "HAM10000 (10,015 dermoscopic images of 7,470 lesions, here reduced to 200x150 pixels). "
        "Licence: CC BY-NC 4.0 (non-commercial). Citation: " + CITATION,
        "",
        "## Method",
        f"- Architecture: {cfg.get('architecture', '?')} (ImageNet initialisation), head = global average "
        f"pooling + dropout + linear (so Grad-CAM equals CAM); input {cfg.get('size', '?')}x{cfg.get('size', '?')} RGB.",
        f"- Split: {s['split']['method']}; seed {cfg.get('seed', '?')}; test images: {s['split']['test_images']}. "
        "Every figure below is on the held-out test split, never on training data.",
        f"- Training: {s['training']['epochs_run']} epochs (best {s['training']['best_epoch']}), "
        f"{s['training']['seconds'] / 60:.0f} min on the training machine; class balance by sqrt-inverse "
        "frequency sampling and loss weights; AdamW, warm-up + cosine; early stopping on validation balanced accuracy.",
        "- Test-time augmentation: " + ("the image and its mirror image are averaged inside the ONNX graph "
                                         "(logits, embedding and CAM)." if s.get("hflip_tta") else "none."),
        f"- Calibration: temperature {s['temperature']:.3f} fitted on validation; test ECE "
        f"{_pct(s['ece_uncalibrated'])} before, {_pct(s['ece'])} after.",
        f"- Operating thresholds (chosen on validation for sensitivity {t['sensitivity_target']:.2f}): "
        f"malignant >= {t['refer_malignant']:.3f}, melanoma >= {t['refer_melanoma']:.3f} (tier 'refer'); "
        f"monitor from malignant {t['monitor_malignant']:.3f} / melanoma {t['monitor_melanoma']:.3f}; "
        f"urgent from malignant {t['urgent_malignant']:.3f} / melanoma {t['urgent_melanoma']:.3f}.",
        "",
        "## Test results",
        f"- Balanced accuracy: **{_pct(s['balanced_accuracy'])}** (plain accuracy {_pct(s['accuracy'])}, "
        "misleading alone: two thirds of HAM10000 is nevi)",
        f"- Macro-F1: {_pct(s['macro_f1'])}",
        f"- Malignant vs benign AUROC: {_pct(s['auroc_malignant_vs_benign'])}; melanoma AUROC: {_pct(s['auroc_melanoma'])}",
        f"- Malignant at the stored threshold: sensitivity {_pct(s['malignant']['sensitivity'])}, "
        f"specificity {_pct(s['malignant']['specificity'])} ({s['malignant']['positives']} malignant, "
        f"{s['malignant']['negatives']} benign)",
        f"- Melanoma at the stored threshold: sensitivity {_pct(s['melanoma']['sensitivity'])}, "
        f"specificity {_pct(s['melanoma']['specificity'])}",
        f"- ECE after calibration: {_pct(s['ece'])}",
        "",
        "| class | name | precision | recall | F1 | AUROC | test images |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in CLASSES:
        pc = s["per_class"][c.code]
        lines.append(f"| {c.code} | {c.name} | {_pct(pc['precision'])} | {_pct(pc['recall'])} | {_pct(pc['f1'])} | "
                     f"{_pct(pc['auroc'])} | {pc['support']} |")
    lines += ["", "## Subgroups (fairness)", "",
              "| group | value | n | balanced accuracy | malignant sensitivity | malignant specificity |",
              "|---|---|---|---|---|---|"]
    for group, values in s["subgroups"].items():
        for value, r in values.items():
            lines.append(f"| {group} | {value} | {r['n']} | {_pct(r['balanced_accuracy'])} | "
                         f"{_pct(r['malignant']['sensitivity'])} | {_pct(r['malignant']['specificity'])} |")
    ood = s.get("ood_check") or {}
    lines += [
        "", "## Out-of-distribution warning",
        f"PCA-Mahalanobis score on the pooled embedding; threshold at the {ood.get('quantile', 0.99):.0%} "
        f"quantile of validation scores. Flagged: {_pct(ood.get('val_flagged'))} of validation images, "
        f"{_pct(ood.get('synthetic_non_dermoscopy_flagged'))} of {ood.get('synthetic_images', '?')} synthetic "
        "non-dermoscopy images (flat colours, noise, gradients, stripes, checkerboards, text).",
        "", "## Limitations",
        "- Trained and tested on one public data set at 200x150 pixels; performance on other dermatoscopes, "
        "populations and image sizes is unknown until measured locally.",
        "- HAM10000 is mostly from fair-skinned patients in Austria and Australia; skin types V-VI are barely "
        "represented, and no subgroup figures by skin type exist.",
        "- Rare classes (df, vasc, akiec) have few test images: their per-class figures are uncertain.",
        "- Non-pigmented and non-HAM10000 diagnoses (e.g. squamous cell carcinoma beyond in situ, "
        "Merkel cell carcinoma) are outside the label set: the model will still name one of its 7 classes.",
        "- The out-of-distribution score catches images very unlike dermoscopy; it does not catch every unusual lesion.",
    ]
    if plots:
        lines += ["", "## Plots (test split)", ""] + [f"![{Path(p).stem}]({p})" for p in plots]
    lines += ["", "## Reproduce", "",
              "From a checkout with `pip install -e \".[train]\"`, HAM10000 in HAM10000_DIR and the ImageNet "
              "EfficientNet-Lite0 weights file:", "", "```", reproduce_command(cfg, name, version), "```",
              "Training is seeded; on a CPU the result can still differ in the last digits (thread scheduling)."]
    text = "\n".join(lines) + "\n"
    Path(path).write_text(text, encoding="utf-8")
    return text
