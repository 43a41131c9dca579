"""Assessment benchmark for the bundled model on this machine: per-stage latency for 600x450 JPEGs,
batch throughput and peak memory.

    python -m dermadesk.bench.inference [--images 60] [--data ../shared/data/ham10000] [--device cpu]

(ONNX Runtime against PyTorch eager on the same network: python -m training.bench_ort.)
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from dermadesk.analysis.decode import decode_image
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.inference.engine import open_assessor
from dermadesk.services.captures import CaptureMeta, import_capture
from dermadesk.storage.register import Register


def sample_jpegs(n: int, data: Path | None) -> list[bytes]:
    """600x450 JPEGs: HAM10000 images scaled back to their original size, else synthetic lesions."""
    out = []
    files = sorted((data / "images").glob("*.jpg"))[:: max(1, 10015 // max(n, 1))][:n] if data else []
    for i in range(n):
        if files:
            rgb = cv2.cvtColor(cv2.imread(str(files[i % len(files)])), cv2.COLOR_BGR2RGB)
            rgb = cv2.resize(rgb, (600, 450), interpolation=cv2.INTER_CUBIC)
        else:
            rgb = synthetic_lesion(LesionSpec(seed=i, hair=i % 3), 600, 450)
        out.append(jpeg_bytes(rgb, 92))
    return out


def peak_rss_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024 if sys.platform != "darwin" else usage / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=60)
    ap.add_argument("--data", type=Path, help="HAM10000 folder (else synthetic images)")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "gpu"])
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args(argv)
    jpegs = sample_jpegs(args.images, args.data)
    rss_before = peak_rss_mb()
    t = time.perf_counter()
    assessor = open_assessor(None, None, args.device)
    assessor.choice  # noqa: B018 - create the session now
    load_ms = (time.perf_counter() - t) * 1000
    print(f"model {assessor.entry.key} on {assessor.choice.device_label} ({assessor.choice.provider}); "
          f"session created in {load_ms:.0f} ms; {len(jpegs)} images of 600x450"
          + (f" from {args.data}" if args.data else " (synthetic)"))
    assessor.assess(decode_image(jpegs[0]).rgb)  # warm-up
    stages: dict[str, list[float]] = {k: [] for k in ("decode", "quality", "preprocess", "inference", "cam", "store",
                                                      "total")}
    with tempfile.TemporaryDirectory() as tmp:
        reg = Register(Path(tmp))
        lesion = reg.lesions.add("bench", reg.patients.add("bench", "B1", "Bench").id, "head/neck")
        for i, data in enumerate(jpegs):
            t0 = time.perf_counter()
            decoded = decode_image(data, f"bench{i}.jpg")
            t1 = time.perf_counter()
            result = assessor.assess(decoded.rgb)
            t2 = time.perf_counter()
            png, cam_ms = assessor.cam_png(result)
            t3 = time.perf_counter()
            import_capture(reg, "bench", lesion.id, data, f"bench{i}.jpg", CaptureMeta(),
                           lambda _d, _modality, r=result, p=png: (r, p))
            t4 = time.perf_counter()
            stages["decode"].append((t1 - t0) * 1e3)
            for k in ("quality", "preprocess", "inference"):
                stages[k].append(result.timing_ms[k])
            stages["cam"].append((t3 - t2) * 1e3)
            stages["store"].append((t4 - t3) * 1e3 - 0.0)
            stages["total"].append((t4 - t0) * 1e3)
        reg.close()
    print("per-image latency, ms (store = decode again in import + image file fsync + one transaction):")
    for k, v in stages.items():
        print(f"  {k:<11} p50 {np.percentile(v, 50):7.1f}   p95 {np.percentile(v, 95):7.1f}")
    rgbs = [decode_image(d).rgb for d in jpegs[: args.batch * 3]]
    t = time.perf_counter()
    for start in range(0, len(rgbs), args.batch):
        assessor.assess_batch(rgbs[start:start + args.batch])
    batch_s = time.perf_counter() - t
    print(f"batch throughput (batch {args.batch}, quality + preprocess + inference): "
          f"{len(rgbs) / batch_s:.1f} images/s")
    print(f"peak RSS: {peak_rss_mb():.0f} MB (process before loading the model: {rss_before:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
