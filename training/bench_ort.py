"""ONNX Runtime against PyTorch eager inference on the same network, same inputs, same threads.

    python -m training.bench_ort --checkpoint RUN/best.pt --onnx models/NAME.onnx [--runs 100]

PyTorch eager (model.eval(), torch.no_grad(), batch 1) is what comparable open-source skin-lesion
projects ship; the app uses ONNX Runtime.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np


def timed(fn, runs: int) -> list[float]:
    for _ in range(5):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1e3)
    return out


def main(argv: list[str] | None = None) -> int:
    import onnxruntime as ort
    import torch

    from dermadesk.contract import ModelManifest
    from training.model import forward_tta
    from training.train import load_model_from_checkpoint

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--onnx", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--threads", type=int, default=0, help="0: all cores, for both runtimes")
    args = ap.parse_args(argv)
    threads = args.threads or (torch.get_num_threads())
    torch.set_num_threads(threads)
    model, ckpt = load_model_from_checkpoint(args.checkpoint, "cpu")
    size = int(ckpt["config"]["size"])
    x = np.random.default_rng(0).normal(size=(1, 3, size, size)).astype(np.float32)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    sess = ort.InferenceSession(str(args.onnx), options, providers=["CPUExecutionProvider"])
    manifest_path = args.onnx.with_suffix(".json")
    tta = manifest_path.is_file() and ModelManifest.load(manifest_path).provenance.get(
        "test_time_augmentation", "none") != "none"
    xt = torch.from_numpy(x)
    with torch.no_grad():
        torch_ms = timed(lambda: forward_tta(model, xt, tta), args.runs)  # the same computation as the graph
        torch_single = timed(lambda: model.forward_all(xt), args.runs)
    ort_ms = timed(lambda: sess.run(None, {"image": x}), args.runs)
    ratio = np.median(torch_ms) / np.median(ort_ms)
    what = "image + mirror averaged" if tta else "single view"
    print(f"network {ckpt['config']['architecture']} at {size}x{size}, batch 1, {threads} threads, {args.runs} runs; "
          f"graph: {what}")
    print(f"  PyTorch eager, same computation ({what}): p50 {np.median(torch_ms):.1f} ms, "
          f"p95 {np.percentile(torch_ms, 95):.1f} ms")
    print(f"  PyTorch eager, one view:                  p50 {np.median(torch_single):.1f} ms")
    print(f"  ONNX Runtime ({what}):       p50 {np.median(ort_ms):.1f} ms, p95 {np.percentile(ort_ms, 95):.1f} ms")
    print(f"  ONNX Runtime is {ratio:.2f}x faster than PyTorch eager on the same computation (target >= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
