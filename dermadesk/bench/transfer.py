"""Transfer benchmark: a register of 100 patients x 5 lesions x 4 captures (synthetic 600x450 JPEGs, an
assessment with a heat map per capture, comparisons with the baseline), exported to an encrypted package,
imported into an empty register, then imported again (nothing new).

    python -m dermadesk.bench.transfer [--patients 100] [--lesions 5] [--captures 4] [--dir DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.domain.records import SITES
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.sealed import KdfParams, derive_key

PASSPHRASE = "bench passphrase"
BASES = 24  # distinct lesion drawings; each capture stamps its own number on one, so every image is unique


def build(reg: Register, patients: int, lesions: int, captures: int) -> int:
    """Fill ``reg``; returns the number of images stored."""
    bases = [synthetic_lesion(LesionSpec(seed=s, scale=1 + (s % 4) / 10)) for s in range(BASES)]
    ok, cam = cv2.imencode(".png", np.linspace(0, 255, 56 * 56, dtype=np.uint8).reshape(56, 56))
    cam_sha = reg.images.put(cam.tobytes())
    n = 0
    for i in range(patients):
        with reg.database.transaction():
            p = reg.patients.add("bench", f"BENCH-{i:04d}", f"Bench Patient {i}", "1970-01-01", "female", "III")
            for j in range(lesions):
                les = reg.lesions.add("bench", p.id, SITES[(i + j) % len(SITES)], f"lesion {j}")
                ids = []
                for k in range(captures):
                    rgb = bases[n % BASES].copy()
                    cv2.putText(rgb, f"{n}", (10, 440), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (250, 250, 250), 1)
                    data = jpeg_bytes(rgb)
                    sha = reg.images.put(data)
                    c = reg.captures.add("bench", les.id, f"202{k}-03-01", sha, 600, 450, len(data), "JPEG",
                                         mm_per_px=0.02, original_name=f"img{n}.jpg")
                    reg.assessments.add("bench", c.id, model_name="bench", model_version="1.0", provider="CPU",
                                        probabilities={"nv": 0.9, "mel": 0.1}, top_class="nv",
                                        malignant_probability=0.1, melanoma_probability=0.1, risk_tier="low",
                                        recommendation="routine follow-up", quality={"status": "pass"},
                                        ood_score=0.1, ood_flag=False, cam_sha256=cam_sha)
                    ids.append(c.id)
                    n += 1
                for follow in ids[1:]:
                    reg.comparisons.add("bench", les.id, ids[0], follow, 365, "not significant", ["no change"],
                                        {"area_change_percent": 2.0}, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    return n + 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=100)
    ap.add_argument("--lesions", type=int, default=5)
    ap.add_argument("--captures", type=int, default=4)
    ap.add_argument("--dir", help="where to build the registers (default: a temporary folder)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir or tmp)
        t0 = time.perf_counter()
        with Register(folder / "clinic") as reg:
            images = build(reg, args.patients, args.lesions, args.captures)
        print(f"register: {args.patients} patients x {args.lesions} lesions x {args.captures} captures, "
              f"{images} images; built in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        derive_key(PASSPHRASE, {"n": KdfParams().n, "r": KdfParams().r, "p": KdfParams().p, "salt": "00" * 16})
        print(f"scrypt key (n={KdfParams().n}, r={KdfParams().r}, p={KdfParams().p}): {time.perf_counter() - t0:.2f} s")
        package = folder / "bench.ddtx"
        with Register(folder / "clinic") as reg:
            t0 = time.perf_counter()
            result = export_patients(reg, package, PASSPHRASE)
            export_s = time.perf_counter() - t0
        print(f"export (encrypted): {export_s:.1f} s, package {result.bytes / 1e6:.1f} MB "
              f"({result.counts})")
        with Register(folder / "laptop") as reg:
            t0 = time.perf_counter()
            outcome = import_package(reg, package, PASSPHRASE, "bench")
            import_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = import_package(reg, package, PASSPHRASE, "bench")
            again_s = time.perf_counter() - t0
        print(f"import into an empty register: {import_s:.1f} s ({outcome.plan.added})")
        print(f"re-import of the same package (nothing new, nothing written): {again_s:.1f} s "
              f"(applied: {again.applied}, present: {again.plan.present})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
