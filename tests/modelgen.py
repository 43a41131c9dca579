"""Tiny contract-conforming ONNX models built with onnx.helper (no torch, no ../shared).

The feature extractor is two hand-set 3x3 convolutions + ReLU, average-pooled by 8; channel 0
responds to blue-grey pixels, so a class weighted on it has a CAM that peaks where such pixels are.
The graph has the full contract: input ``image``, outputs ``logits``, ``embedding``, ``cams``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.contract import (CLASS_CODES, INPUT_NAME, OUTPUT_NAMES, InputSpec, ModelManifest, OODStats,
                                RiskThresholds, preprocess, sha256_file)

K = 8  # feature channels
POOL = 8
SPEC = InputSpec(height=64, width=64)


def _conv_weights() -> tuple[np.ndarray, np.ndarray]:
    """(K, 3, 3, 3) kernels on normalised RGB: colour detectors and edge detectors."""
    w = np.zeros((K, 3, 3, 3), np.float32)
    b = np.zeros(K, np.float32)
    centre = np.zeros((3, 3), np.float32)
    centre[1, 1] = 1.0
    lap = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], np.float32)
    w[0, 2] = 2.0 * centre  # blue minus red: blue-grey detector
    w[0, 0] = -2.0 * centre
    b[0] = -0.5
    w[1, :] = -0.6 * centre  # darkness
    w[2, 0] = 1.0 * centre  # redness
    w[2, 1] = -0.5 * centre
    w[3, :] = 0.5 * lap  # edges (+)
    w[4, :] = -0.5 * lap  # edges (-)
    w[5, 1] = 1.0 * centre  # green
    rng = np.random.default_rng(7)
    w[6:] = rng.normal(0, 0.3, (K - 6, 3, 3, 3))
    return w, b


def _head() -> tuple[np.ndarray, np.ndarray]:
    """(7, K) linear head: melanoma likes blue-grey and darkness, nevus likes redness."""
    W = np.zeros((len(CLASS_CODES), K), np.float32)
    W[CLASS_CODES.index("mel"), 0] = 6.0
    W[CLASS_CODES.index("mel"), 1] = 1.0
    W[CLASS_CODES.index("nv"), 2] = 2.0
    W[CLASS_CODES.index("bkl"), 1] = 1.5
    W[CLASS_CODES.index("vasc"), 2] = 1.0
    W[CLASS_CODES.index("bcc"), 3] = 1.0
    b = np.array([0.0, 0.0, 0.0, -0.5, -1.0, 1.0, -1.0], np.float32)
    return W, b


def build_graph(nan_head: bool = False) -> onnx.ModelProto:
    """The tiny model; ``nan_head``: a broken one whose class scores are NaN (embedding and CAMs still fine)."""
    cw, cb = _conv_weights()
    W, b = _head()
    if nan_head:
        b[:] = np.nan
    nodes = [
        helper.make_node("Conv", [INPUT_NAME, "cw", "cb"], ["conv"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["act"]),
        helper.make_node("AveragePool", ["act"], ["maps"], kernel_shape=[POOL, POOL], strides=[POOL, POOL]),
        helper.make_node("GlobalAveragePool", ["maps"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["embedding"], axis=1),
        helper.make_node("Gemm", ["embedding", "W", "b"], ["logits"], transB=1),
        helper.make_node("Einsum", ["maps", "W"], ["cams"], equation="nkhw,ck->nchw"),
    ]
    graph = helper.make_graph(
        nodes, "tiny-dermadesk",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", 3, SPEC.height, SPEC.width])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", len(CLASS_CODES)]),
         helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", K]),
         helper.make_tensor_value_info("cams", TensorProto.FLOAT, ["N", len(CLASS_CODES), "h", "w"])],
        [numpy_helper.from_array(cw, "cw"), numpy_helper.from_array(cb, "cb"),
         numpy_helper.from_array(W, "W"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def in_distribution_images(n: int, start_seed: int = 100) -> list[np.ndarray]:
    out = []
    for i in range(n):
        rng = np.random.default_rng(start_seed + i)
        spec = LesionSpec(seed=start_seed + i, radius=float(rng.uniform(0.15, 0.3)),
                          skin=tuple(int(v) for v in rng.integers([200, 150, 130], [235, 190, 170])),
                          hair=int(rng.integers(0, 3)))
        out.append(synthetic_lesion(spec, 160, 120))
    return out


def embeddings_of(model: onnx.ModelProto, images: list[np.ndarray]) -> np.ndarray:
    import onnxruntime as ort

    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    batch = np.concatenate([preprocess(im, SPEC) for im in images])
    return sess.run(["embedding"], {INPUT_NAME: batch})[0]


def write_tiny_model(folder: Path, name: str = "tiny-test", version: str = "0.0.1",
                     temperature: float = 1.5, thresholds: RiskThresholds | None = None,
                     nan_head: bool = False) -> Path:
    """Write ``<name>.onnx`` and ``<name>.json`` into ``folder``; returns the manifest path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model = build_graph(nan_head)
    onnx_path = folder / f"{name}.onnx"
    onnx.save(model, onnx_path)
    train = embeddings_of(model, in_distribution_images(150, 100))
    val = embeddings_of(model, in_distribution_images(60, 500))
    ood = OODStats.fit(train, val, components=3, quantile=1.0)
    ood = OODStats(ood.mean, ood.components, ood.variances, ood.residual_mean, ood.threshold * 1.5)
    manifest = ModelManifest(
        name=name, version=version, onnx_file=onnx_path.name, sha256=sha256_file(onnx_path), input=SPEC,
        temperature=temperature, thresholds=thresholds or RiskThresholds(), ood=ood, outputs=OUTPUT_NAMES,
        created=dt.datetime.now(dt.timezone.utc).isoformat(), embedding_dim=K, architecture="tiny-test-cnn",
        evaluation={"note": "synthetic test model, not for clinical use"}, provenance={"built_by": "tests/modelgen.py"})
    manifest.validate()
    path = folder / f"{name}.json"
    manifest.save(path)
    return path
