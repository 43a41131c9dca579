"""The cost of comparing a follow-up with the reviewed capture on import (``services.since_review``).

Two lesions in a real register, no model: a baseline and a capture grown by 25 % (SIGNIFICANT) on each, the grown
one answered 'monitor' on the first lesion only. Then the same follow-up images are imported into both, one at a
time as at a visit: the first lesion's imports compare each with the baseline and with the reviewed capture, the
second's with the baseline only. Prints the median import time of each, the images each import decoded for its
comparisons (a follow-up compared with both is decoded once: ``tracking.Decoded``) and the time a decode took, and the
comparison with the reviewed capture alone (``compare_with_reviewed`` over the pair, nothing stored).

    python -m dermadesk.bench.since_review [--megapixels 12] [--visits 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion


def _image(root: Path, name: str, scale: float, w: int, h: int, mark: int) -> Path:
    rgb = synthetic_lesion(LesionSpec(seed=7, scale=scale), w, h)
    rgb[:8, :64] = mark  # different bytes each: not refused as the same image twice
    path = root / f"{name}.jpg"
    path.write_bytes(jpeg_bytes(rgb))
    return path


def _count_decodes() -> dict[str, float]:
    """Wraps the comparisons' decoder (``tracking.decode_image``): how many images it decoded and in how long."""
    import dermadesk.services.tracking as tracking

    real, seen = tracking.decode_image, {"images": 0, "seconds": 0.0}

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        out = real(*args, **kwargs)
        seen["images"] += 1
        seen["seconds"] += time.perf_counter() - t0
        return out

    tracking.decode_image = counted
    return seen


def bench(root: Path, megapixels: float, visits: int) -> None:
    from dermadesk.services.captures import CaptureMeta, import_files
    from dermadesk.services.register_ops import review_capture
    from dermadesk.services.tracking import compare_pair
    from dermadesk.storage.register import Register

    w = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    h = int(w * 3 / 4)
    grown = 1.25 ** 0.5
    with Register(root / "data") as reg:
        patient = reg.patients.add("bench", "B-1", "Bench Review")
        lesions = [reg.lesions.add("bench", patient.id, "anterior torso").id for _ in range(2)]
        for k, lid in enumerate(lesions):
            for i, (scale, day) in enumerate(((1.0, "2026-01-05"), (grown, "2026-02-16"))):
                path = _image(root, f"l{k}-{i}", scale, w, h, 10 * k + i)
                import_files(reg, "bench", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02))
        reviewed = reg.captures.for_lesion(lesions[0])[-1]
        review_capture(reg, "bench", reviewed.id, "monitor", "bench")
        times: dict[int, list[float]] = {lid: [] for lid in lesions}
        decoded = {lid: 0.0 for lid in lesions}
        seen = _count_decodes()
        for v in range(visits):
            day = f"2026-03-{v + 1:02d}"
            for k, lid in enumerate(lesions):
                path = _image(root, f"v{v}-{k}", grown, w, h, 100 + 2 * v + k)
                t0, before = time.perf_counter(), seen["images"]
                import_files(reg, "bench", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02))
                times[lid].append(time.perf_counter() - t0)
                decoded[lid] += seen["images"] - before
        later = reg.captures.for_lesion(lesions[0])[-1]
        pair = []
        for _ in range(3):
            t0 = time.perf_counter()
            compare_pair(reg, reviewed.id, later.id)
            pair.append(time.perf_counter() - t0)
        stored = [r for r in reg.comparisons.for_lesion(lesions[0]) if r.baseline_capture_id == reviewed.id]
    with_review, without = (statistics.median(times[lid]) for lid in lesions)
    print(f"{visits} follow-ups of {w}x{h} ({megapixels:.1f} MP) imported one at a time, no model")
    print(f"  import, compared with the baseline only:                 {without:6.2f} s median")
    print(f"  import, also compared with the reviewed capture:         {with_review:6.2f} s median "
          f"(+{with_review - without:.2f} s; {len(stored)} comparisons with it stored)")
    print(f"  comparison with the reviewed capture alone (nothing stored): {statistics.median(pair):6.2f} s median")
    per = [decoded[lid] / visits for lid in lesions]
    print(f"  images decoded per import for its comparisons: {per[0]:.0f} with the reviewed capture, {per[1]:.0f} with "
          f"the baseline only; {seen['seconds'] / max(seen['images'], 1):.2f} s per decode")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megapixels", type=float, default=12.0)
    ap.add_argument("--visits", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(Path(tmp), args.megapixels, args.visits)


if __name__ == "__main__":
    main()
