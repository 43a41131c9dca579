"""Export: ONNX with ``logits``, ``embedding`` and ``cams``, checked, plus the manifest the app loads."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from dermadesk.contract import (CLASS_CODES, INPUT_NAME, OUTPUT_NAMES, InputSpec, ModelManifest, OODStats,
                                RiskThresholds, sha256_file)

PARITY_TOLERANCE = 1e-3
HALF_PARITY_TOLERANCE = 1e-2  # weights rounded to float16: measured 1.5e-3 relative on Lite2 logits and CAMs
# weights rounded to int8 per output channel: measured on 400 real validation images through 3.1.0's three Lite2
# networks, largest difference 0.047 (logits), 0.078 (embedding), 0.052 (CAMs) of the output's largest value;
# validation AUROCs within 0.001 of the float16 graph's. Random-pixel inputs are further from the training data.
INT8_PARITY_TOLERANCE = 0.15
WEIGHT_STORAGES = ("float32", "float16", "int8")
STORAGE_WORDS = {"float32": "float32", "float16": "float16 (cast to float32 when loaded)",
                 "int8": "int8 per output channel (scaled back to float32 when loaded)"}


def export_onnx(model: Any, path: Path, size: int, opset: int = 18, hflip_tta: bool | str = True) -> str:
    """Write the ONNX graph (dynamic batch, one file) and run the ONNX checker on it; returns the exporter used.

    torch.export ("dynamo") first; the TorchScript exporter, which torch has deprecated, only if it fails.
    """
    import onnx
    import torch

    from training.model import ExportWrapper

    wrapper = ExportWrapper(model.cpu().eval().to(memory_format=torch.contiguous_format), hflip_tta).eval()
    dummy = torch.randn(2, 3, size, size)
    names: dict[str, Any] = dict(input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES), opset_version=opset)
    path.unlink(missing_ok=True)
    try:
        torch.onnx.export(wrapper, (dummy,), str(path), dynamo=True, external_data=False,
                          dynamic_shapes=({0: torch.export.Dim.DYNAMIC},), **names)
        exporter = "dynamo"
    except Exception as exc:  # noqa: BLE001 - any exporter failure: fall back, and say so
        print(f"export: the dynamo exporter failed ({type(exc).__name__}: {str(exc)[:200]}); "
              "using the TorchScript exporter")
        torch.onnx.export(wrapper, (dummy,), str(path), dynamo=False,
                          dynamic_axes={INPUT_NAME: {0: "batch"}, **{o: {0: "batch"} for o in OUTPUT_NAMES}}, **names)
        exporter = "torchscript"
    onnx.checker.check_model(onnx.load(str(path)))
    return exporter


def store_weights_half(path: Path, min_elements: int = 1024) -> int:
    """Store the graph's large float32 weights as float16, each turned back into float32 by a Cast node that
    ONNX Runtime folds when it loads the model: the same arithmetic speed, about half the file. The weights
    are rounded to float16, so figures must be measured on the graph stored so (``OnnxRuntimeNet`` does).
    Returns the number of weights converted."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(path))
    casts = []
    for init in model.graph.initializer:
        if init.data_type != TensorProto.FLOAT:
            continue
        values = numpy_helper.to_array(init)
        if values.size < min_elements:
            continue
        name = init.name
        init.CopyFrom(numpy_helper.from_array(values.astype(np.float16), f"{name}__fp16"))
        casts.append(helper.make_node("Cast", [f"{name}__fp16"], [name], to=TensorProto.FLOAT, name=f"{name}__cast"))
    nodes = [*casts, *model.graph.node]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return len(casts)


def store_weights_int8(path: Path, min_elements: int = 1024) -> int:
    """Store the graph's large float weights (float32, or float16 as ``store_weights_half`` left them) as int8,
    symmetric per output channel (axis 0), each scaled back to float32 by a Cast and a Mul that ONNX Runtime folds
    when it loads the model: the same arithmetic speed, about a quarter of the float32 file. The rounding moves
    the outputs by a few per cent of their range (``INT8_PARITY_TOLERANCE``), so figures must be measured on the
    graph stored so (``OnnxRuntimeNet`` does). Returns the number of weights converted."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(path))
    half_casts = {n.input[0] for n in model.graph.node if n.op_type == "Cast" and n.input[0].endswith("__fp16")}
    dequantise, dropped = [], set()
    for init in list(model.graph.initializer):
        if init.data_type not in (TensorProto.FLOAT, TensorProto.FLOAT16):
            continue
        if init.data_type == TensorProto.FLOAT16 and init.name not in half_casts:
            continue  # a float16 tensor the graph computes in float16: leave it
        values = numpy_helper.to_array(init).astype(np.float32)
        if values.size < min_elements or values.ndim < 2:
            continue
        name = init.name.removesuffix("__fp16")
        rows = values.reshape(values.shape[0], -1)
        scale = np.abs(rows).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        quantised = np.clip(np.round(rows / scale[:, None]), -127, 127).astype(np.int8).reshape(values.shape)
        if init.name in half_casts:
            dropped.add(init.name)
        init.CopyFrom(numpy_helper.from_array(quantised, f"{name}__int8"))
        model.graph.initializer.append(numpy_helper.from_array(
            scale.astype(np.float32).reshape((-1,) + (1,) * (values.ndim - 1)), f"{name}__scale"))
        dequantise += [
            helper.make_node("Cast", [f"{name}__int8"], [f"{name}__dequant"], to=TensorProto.FLOAT,
                             name=f"{name}__cast"),
            helper.make_node("Mul", [f"{name}__dequant", f"{name}__scale"], [name], name=f"{name}__rescale"),
        ]
    nodes = [*dequantise, *(n for n in model.graph.node if not (n.op_type == "Cast" and n.input[0] in dropped))]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return len(dequantise) // 2


def check_storage(storage: str) -> str:
    """``storage`` where it is one of ``WEIGHT_STORAGES``; ValueError naming them otherwise."""
    if storage not in WEIGHT_STORAGES:
        raise ValueError(f"unknown weight storage {storage!r}: one of {', '.join(WEIGHT_STORAGES)}")
    return storage


def store_weights(path: Path, storage: str) -> int:
    """Store the exported graph's weights as ``storage`` (one of ``WEIGHT_STORAGES``); returns how many changed."""
    if check_storage(storage) == "float16":
        return store_weights_half(path)
    if storage == "int8":
        return store_weights_int8(path)
    return 0


def parity_tolerance(storage: str) -> float:
    """How far ONNX Runtime may stray from torch for weights stored as ``storage``."""
    return {"float16": HALF_PARITY_TOLERANCE, "int8": INT8_PARITY_TOLERANCE}.get(storage, PARITY_TOLERANCE)


def weights_storage(config: dict[str, Any]) -> str:
    """How a checkpoint's export stores its weights (``training ensemble --weights-storage``); float32 if unsaid."""
    return str(config.get("weights_storage") or "float32")


class OnnxRuntimeNet:
    """A network exported without test-time augmentation and run by ONNX Runtime, the runtime the app uses;
    on a CPU it is several times faster than PyTorch eager. ``forward_all`` takes and returns torch tensors,
    so ``forward_tta`` and ``predict`` use it like the network itself (TTA views are made around it)."""

    def __init__(self, model: Any, size: int, storage: str = "float32") -> None:
        import tempfile

        import onnxruntime as ort

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "net.onnx"
            export_onnx(model, path, size, hflip_tta="none")
            store_weights(path, storage)
            self.session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    @classmethod
    def from_file(cls, onnx_path: Path) -> "OnnxRuntimeNet":
        """An exported model's graph as it is (its own test-time augmentation inside: predict with tta "none")."""
        import onnxruntime as ort

        net = cls.__new__(cls)
        net.session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
        return net

    def eval(self) -> "OnnxRuntimeNet":
        return self

    def forward_all(self, x: Any) -> tuple[Any, Any, Any]:
        import torch

        outs = self.session.run(list(OUTPUT_NAMES), {INPUT_NAME: x.detach().cpu().contiguous().numpy()})
        return tuple(torch.from_numpy(o) for o in outs)  # type: ignore[return-value]


def fast_runtime(model: Any, size: int, device: Any, storage: str = "float32") -> Any:
    """The network to predict with: ONNX Runtime on a CPU (same figures, several times faster), else itself.
    ``storage``: the weights as the export will store them (float16, int8), so the figures are the shipped
    graph's; then ONNX Runtime even where a GPU is."""
    if isinstance(model, OnnxRuntimeNet):  # an exported graph (training.rerelease): run as it is
        return model
    on_cpu = getattr(device, "type", str(device)) == "cpu"
    stored = storage != "float32"
    return OnnxRuntimeNet(model, size, storage) if on_cpu or stored else model


def parity(model: Any, onnx_path: Path, spec: InputSpec, images: list[np.ndarray] | None = None,
           hflip_tta: bool | str = True, tolerance: float = PARITY_TOLERANCE) -> dict[str, float]:
    """Max |ORT - torch| per output on contract-preprocessed inputs; raises if above tolerance (relative to
    the output's largest value; stored weights need ``parity_tolerance(storage)``)."""
    import onnxruntime as ort
    import torch

    from dermadesk.contract import preprocess

    rng = np.random.default_rng(0)
    images = images or [rng.integers(0, 256, (150, 200, 3), dtype=np.uint8) for _ in range(3)]
    x = np.concatenate([preprocess(im, spec) for im in images])
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = dict(zip(OUTPUT_NAMES, sess.run(list(OUTPUT_NAMES), {INPUT_NAME: x})))
    from training.model import forward_tta

    with torch.no_grad():
        ref = dict(zip(OUTPUT_NAMES, (t.numpy() for t in forward_tta(model.cpu().eval(), torch.from_numpy(x),
                                                                      hflip_tta))))
    diffs = {k: float(np.abs(got[k] - ref[k]).max()) for k in OUTPUT_NAMES}
    bad = {k: v for k, v in diffs.items() if v > tolerance * max(1.0, float(np.abs(ref[k]).max()))}
    if bad:
        raise RuntimeError(f"ONNX Runtime disagrees with torch: {bad}")
    return diffs


def licence(sources: dict[str, Any]) -> str:
    terms = {"ham10000": "HAM10000 (CC BY-NC 4.0)",
             "isic2017": "ISIC 2017 challenge data (ISIC archive terms: research, non-commercial, attribution)"}
    return "trained on " + "; ".join(terms.get(s, s) for s in sorted(sources))


def ensemble_provenance(config: dict[str, Any]) -> dict[str, Any]:
    """The members of an ensemble checkpoint (seed, best epoch, validation score); nothing for one network."""
    members = config.get("ensemble") or []
    return {"ensemble": [{k: m.get(k) for k in ("seed", "epoch", "val_score")} for m in members]} if members else {}


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              timeout=10, cwd=Path(__file__).parent).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def ood_from_calibration(cal: dict[str, Any]) -> OODStats:
    """The out-of-distribution statistics ``training calibrate`` fitted."""
    o = cal["ood"]
    return OODStats(tuple(o["mean"]), tuple(tuple(r) for r in o["components"]), tuple(o["variances"]),
                    o["residual_mean"], o["threshold"], o.get("method", "pca-mahalanobis"),
                    tuple(o.get("clf_weights", ())), float(o.get("clf_bias", 0.0)),
                    float(o.get("clf_threshold", 1.0)))


def evaluation_summary(ev: dict[str, Any]) -> dict[str, Any]:
    """The manifest's evaluation block from ``training evaluate``'s figures (pooled and per source)."""
    headline = ("balanced_accuracy", "accuracy", "macro_f1", "auroc_malignant_vs_benign", "auroc_melanoma",
                "malignant", "melanoma", "ece")
    summary = {k: ev[k] for k in (*headline, "ece_uncalibrated", "per_class_recall", "split", "ood_check")}
    summary["per_class_auroc"] = {c: ev["per_class"][c]["auroc"] for c in CLASS_CODES}
    summary["per_source"] = {
        src: {**{k: figures[k] for k in headline},
              "per_class_auroc": {c: figures["per_class"][c]["auroc"] for c in figures["classes_present"]}}
        for src, figures in ev.get("per_source", {}).items()}
    pairs = [(ev, summary)] + [(f, summary["per_source"][src]) for src, f in ev.get("per_source", {}).items()]
    for figures, block in pairs:
        if "tiers" in figures:  # evaluations written before the tier rates were measured have none
            block["tiers"] = figures["tiers"]
    if "stability" in ev:
        summary["stability"] = {k: v for k, v in ev["stability"].items() if k != "per_variant"}
    return summary


def export(checkpoint: Path, calibration: Path, evaluation: Path, out: Path, name: str = "dermadesk-effnetlite0",
           version: str = "1.0.0", install_to: Path | None = None) -> Path:
    """Write ``<name>.onnx``, ``<name>.json`` (manifest) and ``<name>.md`` (model card) into ``out``."""
    from training.modelcard import write_model_card
    from training.train import load_model_from_checkpoint

    cal = json.loads(Path(calibration).read_text(encoding="utf-8"))
    ev = json.loads(Path(evaluation).read_text(encoding="utf-8"))
    model, ckpt = load_model_from_checkpoint(checkpoint, "cpu")
    size = int(ckpt["config"]["size"])
    from training.train import spec_from_config

    spec = spec_from_config(ckpt["config"], size)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / f"{name}.onnx"
    from training.model import TTA_VIEWS, tta_mode

    tta = tta_mode(cal.get("tta", bool(cal.get("hflip_tta", False))))
    exporter = export_onnx(model, onnx_path, size, hflip_tta=tta)
    storage = weights_storage(ckpt["config"])
    store_weights(onnx_path, storage)
    diffs = parity(model, onnx_path, spec, hflip_tta=tta, tolerance=parity_tolerance(storage))
    card = out / f"{name}.md"
    plots = []
    for plot in ev.get("plots", []):
        source = Path(evaluation).parent / plot
        if source.is_file():
            shutil.copy2(source, out / f"{name}-{plot}")
            plots.append(f"{name}-{plot}")
    write_model_card(ev, card, name, version, plots)
    ood = ood_from_calibration(cal)
    evaluation = evaluation_summary(ev)
    manifest = ModelManifest(
        name=name, version=version, onnx_file=onnx_path.name, sha256=sha256_file(onnx_path), input=spec,
        temperature=float(cal["temperature"]), thresholds=RiskThresholds(**cal["thresholds"]), ood=ood,
        created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        embedding_dim=int(cal["embedding_dim"]), architecture=str(ckpt["config"]["architecture"]),
        evaluation=evaluation,
        provenance={"data": str(ckpt["config"]["data"]), "split_seed": ev.get("split", {}).get("seed", "unknown"),
                    "training_seed": ckpt["config"]["seed"],
                    "hardware": ckpt["config"].get("hardware", "unknown"),
                    "git_revision": git_revision(), "epochs_run": ev["training"]["epochs_run"],
                    "best_epoch": ev["training"]["best_epoch"], "train_seconds": ev["training"]["seconds"],
                    "onnx_parity_max_abs_diff": diffs, "onnx_exporter": exporter,
                    "weights_storage": STORAGE_WORDS[storage],
                    "licence": licence(ev.get("per_source", {}) or {"ham10000": {}}),
                    "test_time_augmentation": f"{tta}: {len(TTA_VIEWS[tta])} view(s) averaged in the graph",
                    **ensemble_provenance(ckpt["config"])},
        model_card=card.name)
    manifest.validate()
    manifest_path = out / f"{name}.json"
    manifest.save(manifest_path)
    if install_to is not None:
        target = Path(install_to) / "models"
        target.mkdir(parents=True, exist_ok=True)
        for f in (onnx_path, manifest_path, card, *(out / p for p in plots)):
            shutil.copy2(f, target / f.name)
    return manifest_path
