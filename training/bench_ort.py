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
    xt = torch.from_numpy(x)
    with torch.no_grad():
        torch_ms = timed(lambda: model.forward_all(xt), args.runs)
        torch_logits_only = timed(lambda: model(xt), args.runs)
    ort_ms = timed(lambda: sess.run(None, {"image": x}), args.runs)
    ratio = np.median(torch_ms) / np.median(ort_ms)
    print(f"network {ckpt['config']['architecture']} at {size}x{size}, batch 1, {threads} threads, {args.runs} runs")
    print(f"  PyTorch eager (logits, embedding, cams): p50 {np.median(torch_ms):.1f} ms, p95 {np.percentile(torch_ms, 95):.1f} ms")
    print(f"  PyTorch eager (logits only):             p50 {np.median(torch_logits_only):.1f} ms")
    print(f"  ONNX Runtime (logits, embedding, cams):  p50 {np.median(ort_ms):.1f} ms, p95 {np.percentile(ort_ms, 95):.1f} ms")
    print(f"  ONNX Runtime is {ratio:.2f}x faster than PyTorch eager (target >= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
