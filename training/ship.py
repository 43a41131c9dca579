"""Ship trained members: ensemble (when several), calibrate, evaluate, export, refit the OOD check."""

from __future__ import annotations

from pathlib import Path


def ship(
    members: list[Path],
    data: str,
    split: Path,
    work: Path,
    name: str,
    version: str,
    tta: str = "flip",
    weights_storage: str = "float16",
    ood_train_images: int = 800,
    stability_images: int = 300,
    ood_max_train: int = 6000,
    ood_components: int = 64,
) -> Path:
    """Ensemble (when several), calibrate, evaluate, export and refit the OOD check: ``work/final``."""
    from training.__main__ import main as training_main

    checkpoint = members[0]
    steps: list[list[str]] = []
    if len(members) > 1:
        checkpoint = work / "ensemble.pt"
        steps.append(
            ["ensemble", "--members", *map(str, members), "--out", str(checkpoint)]
            + ["--weights-storage", weights_storage]
        )
    calibration, evaluation, export = work / "calibration.json", work / "evaluation", work / "export"
    common = ["--data", data, "--split", str(split)]
    steps += [
        [
            "calibrate",
            "--checkpoint",
            str(checkpoint),
            *common,
            "--out",
            str(calibration),
            "--tta",
            tta,
            "--ood-train-images",
            str(ood_train_images),
        ],
        [
            "evaluate",
            "--checkpoint",
            str(checkpoint),
            "--calibration",
            str(calibration),
            *common,
            "--out",
            str(evaluation),
            "--stability-images",
            str(stability_images),
        ],
        [
            "export",
            "--checkpoint",
            str(checkpoint),
            "--calibration",
            str(calibration),
            "--evaluation",
            str(evaluation / "evaluation.json"),
            "--out",
            str(export),
            "--name",
            name,
            "--version",
            version,
        ],
        [
            "refit-ood",
            "--manifest",
            str(export / f"{name}.json"),
            *common,
            "--out",
            str(work / "final"),
            "--version",
            version,
            "--components",
            str(ood_components),
            "--max-train",
            str(ood_max_train),
        ],
    ]
    for step in steps:
        print(f"== {step[0]}", flush=True)
        if training_main(step):
            raise SystemExit(f"{step[0]} failed")
    return work / "final"
