"""How often the model's input ends as "not assessable", and why: oddities that must, real dermoscopy that must not.

(a) at least 200 synthetic oddities: flat colours, gradients, noise, stripes and checkerboards, text,
    crops of ordinary photographs (matplotlib's sample photos, when installed) and the demo's procedural
    lesions; target: >= 0.95 not assessable;
(b) real images of each data set given (HAM10000, ISIC 2017); target: <= 0.03 not assessable, per reason,
    and which quality checks fail.

    python -m dermadesk.bench.ood [--data ../shared/data/ham10000 --data ../shared/data/isic2017] [--images 1000]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from dermadesk.analysis.decode import decode_image
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.inference.engine import Assessor, open_assessor

KINDS = ("flat colour", "gradient", "noise", "stripes/checkerboard", "text", "photograph", "procedural lesion")


def _photos() -> list[np.ndarray]:
    """Ordinary photographs shipped with matplotlib (a portrait, a product shot), if it is installed."""
    try:
        import matplotlib
    except ImportError:
        return []
    folder = Path(matplotlib.get_data_path()) / "sample_data"
    out = []
    for name in ("grace_hopper.jpg", "Minduka_Present_Blue_Pack.png", "logo2.png"):
        if (folder / name).is_file():
            out.append(decode_image(folder / name).rgb)
    return out


def oddity(kind: str, rng: np.random.Generator, photos: list[np.ndarray], w: int = 400, h: int = 300) -> np.ndarray:
    """One image of ``kind`` that no dermatoscope produces."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "flat colour":
        return np.full((h, w, 3), rng.integers(0, 256, 3), np.uint8)
    if kind == "gradient":
        a, b = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
        t = (np.cos(rng.uniform(0, np.pi)) * xx / w + np.sin(rng.uniform(0, np.pi)) * yy / h)[..., None]
        t = (t - t.min()) / max(float(np.ptp(t)), 1e-6)
        return (a * (1 - t) + b * t).astype(np.uint8)
    if kind == "noise":
        which = rng.integers(0, 3)
        if which == 0:
            return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        if which == 1:
            return np.clip(rng.normal(rng.uniform(60, 200), 40, (h, w, 3)), 0, 255).astype(np.uint8)
        img = np.full((h, w, 3), rng.integers(0, 256, 3), np.uint8)
        img[rng.random((h, w)) < 0.1] = 0
        img[rng.random((h, w)) < 0.1] = 255
        return img
    if kind == "stripes/checkerboard":
        period = int(rng.integers(4, 40))
        pattern = ((xx // period) % 2) if rng.random() < 0.5 else (((xx // period) + (yy // period)) % 2)
        a, b = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
        return np.where(pattern[..., None] > 0, a, b).astype(np.uint8)
    if kind == "text":
        img = np.full((h, w, 3), rng.integers(180, 256, 3), np.uint8)
        for line in range(int(rng.integers(4, 12))):
            words = "".join(chr(int(c)) for c in rng.integers(65, 91, int(rng.integers(6, 20))))
            cv2.putText(img, words, (8, 24 + 26 * line), cv2.FONT_HERSHEY_SIMPLEX, rng.uniform(0.5, 1.0),
                        tuple(int(v) for v in rng.integers(0, 120, 3)), 2)
        return img
    if kind == "photograph" and photos:
        photo = photos[int(rng.integers(0, len(photos)))]
        ph, pw = photo.shape[:2]
        side = int(rng.uniform(0.3, 1.0) * min(ph, pw))
        y, x = int(rng.integers(0, ph - side + 1)), int(rng.integers(0, pw - side + 1))
        return cv2.resize(np.ascontiguousarray(photo[y:y + side, x:x + side]), (w, h), interpolation=cv2.INTER_AREA)
    spec = LesionSpec(seed=int(rng.integers(0, 100_000)), radius=float(rng.uniform(0.12, 0.3)),
                      hair=int(rng.integers(0, 4)), blob_colour=None)
    return synthetic_lesion(spec, w, h)


def run_oddities(assessor: Assessor, per_kind: int, rng: np.random.Generator) -> None:
    photos = _photos()
    kinds = [k for k in KINDS if k != "photograph" or photos]
    total, caught = 0, 0
    print(f"(a) synthetic oddities, {per_kind} per kind ({len(kinds) * per_kind} images):")
    for kind in kinds:
        results = assessor.assess_batch([oddity(kind, rng, photos) for _ in range(per_kind)])
        reasons = Counter(code for r in results for code in r.status_codes)
        n = sum(not r.assessable for r in results)
        total, caught = total + len(results), caught + n
        print(f"  {kind:<22} not assessable {n / len(results):.2f}  ({dict(reasons)})")
    print(f"  all: not assessable {caught / total:.3f} of {total} (target >= 0.95)")


def run_real(assessor: Assessor, folder: Path, n: int, rng: np.random.Generator) -> None:
    files = sorted((folder / "images").glob("*.jpg"))
    files = [files[i] for i in sorted(rng.choice(len(files), size=min(n, len(files)), replace=False))]
    reasons: Counter[str] = Counter()
    failed_checks: Counter[str] = Counter()
    withheld = 0
    for start in range(0, len(files), 32):
        batch = [decode_image(f).rgb for f in files[start:start + 32]]
        for r in assessor.assess_batch(batch):
            withheld += not r.assessable
            reasons.update(r.status_codes)
            failed_checks.update(c.name for c in r.quality_report.checks if c.status == "fail")
    print(f"(b) {folder.name}: {len(files)} real images, not assessable {withheld / len(files):.3f} (target <= 0.03); "
          f"by reason {dict(reasons)}; failed quality checks {dict(failed_checks)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, action="append", default=[], help="a data set folder with images/")
    ap.add_argument("--images", type=int, default=1000, help="real images per data set")
    ap.add_argument("--per-kind", type=int, default=32)
    ap.add_argument("--model", help="model name (default: the default model)")
    ap.add_argument("--data-dir", type=Path, help="a DermaDesk data directory whose installed models to use")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    assessor = open_assessor(args.data_dir, args.model, "cpu")
    print(f"model {assessor.entry.key}: OOD threshold {assessor.entry.manifest.ood.threshold:.3f}")
    rng = np.random.default_rng(args.seed)
    run_oddities(assessor, args.per_kind, rng)
    for folder in args.data:
        run_real(assessor, folder, args.images, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
