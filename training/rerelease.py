"""A new release of an exported model whose preprocessing changed (e.g. the canonical pose), same weights.

The exported graph (its test-time augmentation inside) is run by ONNX Runtime as the app runs it; the
temperature, thresholds and out-of-distribution statistics are fitted again on the pooled validation
split and every figure is measured again on the test split, because the network now sees other pixels.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.contract import ModelManifest, RiskThresholds


def load_exported(manifest_path: Path) -> tuple[Any, dict[str, Any]]:
    """The graph of a manifest (``OnnxRuntimeNet``; predict with tta "none") and a checkpoint-like dict (config,
    epoch, history) from its provenance."""
    from training.export import OnnxRuntimeNet

    m = ModelManifest.load(manifest_path)
    prov = m.provenance or {}
    norm = "tf" if tuple(m.input.mean) == (0.5, 0.5, 0.5) else "imagenet"
    config = {
        "architecture": m.architecture,
        "size": m.input.height,
        "norm": norm,
        "colour_constancy": m.input.colour_constancy,
        "pose": m.input.pose,
        "hardware": prov.get("hardware", "unknown"),
        "data": prov.get("data", "?"),
        "seed": prov.get("split_seed", "?"),
        "exported_graph": str(manifest_path),
    }
    epochs = int(prov.get("epochs_run", 1) or 1)
    history = [{"seconds": float(prov.get("train_seconds", 0.0))}] + [{} for _ in range(epochs - 1)]
    ckpt = {"config": config, "epoch": int(prov.get("best_epoch", 0)), "best": float("nan"), "history": history}
    return OnnxRuntimeNet.from_file(Path(manifest_path).parent / m.onnx_file), ckpt


def rerelease(
    manifest_path: Path,
    data: str,
    split: Path,
    out: Path,
    version: str,
    pose: str,
    stability_images: int = 300,
    ood_train_images: int = 800,
) -> tuple[Path, dict[str, Any]]:
    """Write ``out/<name>.{onnx,json,md}``: the model at ``manifest_path`` with ``pose``, refitted and measured."""
    from training.calibrate import calibrate
    from training.evaluate import evaluate
    from training.export import evaluation_summary, git_revision, ood_from_calibration
    from training.modelcard import write_model_card

    old = ModelManifest.load(manifest_path)
    out = Path(out)
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    posed = dataclasses.replace(old, input=dataclasses.replace(old.input, pose=pose))
    posed.validate()
    shutil.copy2(Path(manifest_path).parent / old.onnx_file, work / old.onnx_file)
    posed.save(work / f"{old.name}.json")
    cal = calibrate(
        work / f"{old.name}.json",
        data,
        split,
        work / "calibration.json",
        tta="none",
        max_train_for_ood=ood_train_images,
    )
    ev = evaluate(
        work / f"{old.name}.json", work / "calibration.json", data, split, work / "evaluation", stability_images
    )
    tta = (old.provenance or {}).get("test_time_augmentation", "none")
    ev["tta"] = tta.split(":")[0]  # the graph's own views, which calibrate and evaluate ran through
    shutil.copy2(work / old.onnx_file, out / old.onnx_file)
    plots = []
    for plot in ev.get("plots", []):
        shutil.copy2(work / "evaluation" / plot, out / f"{old.name}-{plot}")
        plots.append(f"{old.name}-{plot}")
    card = out / f"{old.name}.md"
    write_model_card(ev, card, old.name, version, plots)
    card.write_text(
        card.read_text(encoding="utf-8") + release_note(old, ev, version, pose, manifest_path), encoding="utf-8"
    )
    manifest = dataclasses.replace(
        posed,
        version=version,
        temperature=float(cal["temperature"]),
        thresholds=RiskThresholds(**cal["thresholds"]),
        ood=ood_from_calibration(cal),
        created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        evaluation=evaluation_summary(ev),
        model_card=card.name,
        provenance={
            **(old.provenance or {}),
            "released_from": f"{old.name} {old.version}",
            "release_change": f"input pose {old.input.pose!r} -> {pose!r}; temperature, thresholds and "
            "OOD statistics refitted on validation; figures measured again on test",
            "git_revision": git_revision(),
        },
    )
    manifest.validate()
    manifest.save(out / f"{old.name}.json")
    return out / f"{old.name}.json", ev


def release_note(old: ModelManifest, ev: dict[str, Any], version: str, pose: str, source: Path) -> str:
    """The model card's section on what changed from the earlier release, with before/after figures."""
    before, after = old.evaluation, ev
    rows = [
        ("balanced accuracy (pooled)", "balanced_accuracy"),
        ("malignant AUROC (pooled)", "auroc_malignant_vs_benign"),
        ("melanoma AUROC (pooled)", "auroc_melanoma"),
        ("ECE", "ece"),
    ]
    lines = [
        "",
        f"## Version {version}: what changed from {old.version}",
        "",
        f"Same network and weights as {old.name} {old.version} (the sections above are measured anew; the "
        f"training recipe is that release's). The input now takes pose `{pose}`: the shared preprocessing "
        "turns each image to the one of its eight quarter-turn/mirror views whose darker-than-skin mass lies "
        "right of and below the centre, so a capture taken with the dermatoscope turned by 90 degrees or "
        "mirrored gives the network the same pixels. Heat maps are turned back to the capture's "
        "orientation. Temperature, thresholds and OOD statistics were refitted on the pooled validation "
        f"split (`python -m training rerelease --manifest {source.name} --pose {pose} ...`).",
        "",
        f"| figure (test) | {old.version} | {version} |",
        "|---|---|---|",
    ]
    for label, key in rows:
        b, a = getattr(before, key, None), after.get(key)
        shown = f"{b:.3f}" if isinstance(b, (int, float)) else "?"
        lines.append(f"| {label} | {shown} | {a:.3f} |")
    sb, sa = dict(getattr(before, "stability", None) or {}), after.get("stability", {})
    for label, key in (
        ("tier changed under quarter turns and mirrors", "tier_changed_rotations_flips"),
        ("tier changed under relighting by -15 % / +15 %", "tier_changed_relight"),
    ):
        b, a = sb.get(key), sa.get(key)
        lines.append(f"| {label} | {'?' if b is None else f'{b:.3f}'} | {'?' if a is None else f'{a:.3f}'} |")
    free = after.get("stability", {}).get("per_variant", {})
    lines += [
        "",
        "What it does not do: turns by other angles than quarter turns still change the pixels "
        "(the network was trained with any angle, but its output is not invariant to them); "
        "relighting is unchanged by the pose." + (f" Variants measured: {', '.join(sorted(free))}." if free else ""),
        "",
    ]
    return "\n".join(lines)


def main_rerelease(
    manifest: str, data: str, split: str, out: str, version: str, pose: str, stability_images: int
) -> int:
    path, ev = rerelease(Path(manifest), data, Path(split), Path(out), version, pose, stability_images)
    print(
        f"released {path}: balanced accuracy {ev['balanced_accuracy']:.3f}, tier changed under turns/mirrors "
        f"{ev['stability']['tier_changed_rotations_flips']:.3f}"
    )
    return 0 if np.isfinite(ev["balanced_accuracy"]) else 1
