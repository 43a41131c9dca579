"""Refit an exported model's out-of-distribution check with outlier exposure, through ONNX Runtime.

The classifier weights stay as they are (same .onnx, same sha256); only the manifest's ``ood`` changes:
the PCA-Mahalanobis distance is kept and a logistic outlier-exposure classifier is added on top of it,
fitted on real training embeddings (of every source given) against images no dermatoscope produces,
with its threshold at the 99.5th percentile of the real validation images. Test images are never read.

    python -m training refit-ood --manifest models/NAME.json --data HAM,ISIC --split runs/x/split.json \\
        --out runs/refit --version 1.1.0
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.contract import INPUT_NAME, OUTPUT_NAMES, ModelManifest, OODStats, preprocess, sha256_file
from training.calibrate import fit_outlier_classifier, synthetic_non_dermoscopy


def onnx_embeddings(session: Any, images: list[np.ndarray], manifest: ModelManifest, batch: int = 32) -> np.ndarray:
    """The model's embedding output for each image, preprocessed exactly as the app does."""
    out = []
    emb_index = OUTPUT_NAMES.index("embedding")
    for i in range(0, len(images), batch):
        x = np.concatenate([preprocess(img, manifest.input) for img in images[i:i + batch]])
        out.append(session.run(list(OUTPUT_NAMES), {INPUT_NAME: x})[emb_index])
    return np.concatenate(out).astype(np.float64)


def refit_ood(manifest_path: Path, data: str, split: Path, out: Path, version: str,
              max_train: int = 3000, seed: int = 0, components: int = 0) -> dict[str, Any]:
    """Write ``out``/<name>.onnx, .json (new ``ood`` and ``version``) and .md; return the check figures.

    ``components`` > 0 also refits the PCA-Mahalanobis distance (on the training images of every source
    given, threshold at the 99th percentile of their validation images); 0 keeps the manifest's.
    """
    import onnxruntime as ort

    from training.data import load_dataset, load_images
    from training.splits import load_split, select

    manifest = ModelManifest.load(manifest_path)
    folder = Path(manifest_path).parent
    onnx = folder / manifest.onnx_file
    if sha256_file(onnx) != manifest.sha256:
        raise ValueError(f"{onnx} does not match its manifest's sha256")
    options = ort.SessionOptions()
    session = ort.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
    samples = load_dataset(data)
    assignment = load_split(split)
    tr, va = select(samples, assignment, "train"), select(samples, assignment, "val")
    rng = np.random.default_rng(seed)
    tr = sorted(rng.choice(tr, size=min(max_train, len(tr)), replace=False).tolist())
    train_emb = onnx_embeddings(session, load_images([samples[i] for i in tr], 512), manifest)
    val_emb = onnx_embeddings(session, load_images([samples[i] for i in va], 512), manifest)
    exposure = onnx_embeddings(session, synthetic_non_dermoscopy(720, seed=1), manifest)
    held_out_odd = onnx_embeddings(session, synthetic_non_dermoscopy(), manifest)
    distance = OODStats.fit(train_emb, val_emb, components) if components > 0 else manifest.ood
    ood = fit_outlier_classifier(distance, train_emb, exposure, val_emb)
    sources = np.array([samples[i].source for i in va])
    check = {
        "val_flagged": float(ood.flags(val_emb).mean()),
        "val_flagged_per_source": {s: float(ood.flags(val_emb[sources == s]).mean()) for s in sorted(set(sources))},
        "synthetic_non_dermoscopy_flagged": float(ood.flags(held_out_odd).mean()),
        "distance_only_synthetic_flagged": float((manifest.ood.score(held_out_odd) > manifest.ood.threshold).mean()),
        "components": len(ood.components), "distance_refitted": components > 0,
        "train_images": len(tr), "val_images": len(va), "exposure_images": len(exposure),
        "data": data, "split": str(split), "refitted": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(onnx, out / manifest.onnx_file)
    provenance = dict(manifest.provenance)
    provenance["ood_refit"] = check
    new = dataclasses.replace(manifest, ood=ood, version=version, provenance=provenance)
    new.validate()
    new.save(out / f"{manifest.name}.json")
    card_path = folder / manifest.model_card if manifest.model_card else None
    if card_path is not None and card_path.is_file():
        card = card_path.read_text(encoding="utf-8")
        card += (f"\n## Out-of-distribution check (version {version})\n\n"
                 f"Same network and weights as before; the out-of-distribution check was refitted with outlier "
                 f"exposure (`python -m training refit-ood`): a logistic classifier on the embedding's "
                 f"{len(ood.components)} PCA features"
                 + (" (the PCA-Mahalanobis distance refitted on the same images)" if components > 0 else "")
                 + f", trained on {len(tr)} real training images ({data}) against "
                 f"{len(exposure)} synthetic images no dermatoscope produces, threshold at the 99.5th percentile "
                 f"of {len(va)} real validation images. Validation images flagged: "
                 f"{check['val_flagged']:.3f} (" + ", ".join(f"{k} {v:.3f}" for k, v in
                                                         check["val_flagged_per_source"].items())
                 + f"); other synthetic non-dermoscopy images flagged: "
                 f"{check['synthetic_non_dermoscopy_flagged']:.3f} (distance alone: "
                 f"{check['distance_only_synthetic_flagged']:.3f}).\n")
        (out / manifest.model_card).write_text(card, encoding="utf-8")
    for png in folder.glob(f"{manifest.name}-*.png"):
        shutil.copy2(png, out / png.name)
    (out / "refit_ood.json").write_text(json.dumps(check, indent=1), encoding="utf-8")
    return check
