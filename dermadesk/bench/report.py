"""Report benchmark: a lesion with 10 visits (assessed by the bundled model when there is one),
then the time to build its PDF and the file size.

    python -m dermadesk.bench.report [--visits 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.domain.errors import NotFoundError
from dermadesk.inference.engine import open_assessor
from dermadesk.services.assessment import assess_fn
from dermadesk.services.captures import CaptureMeta, import_capture
from dermadesk.services.reports import write_lesion_report
from dermadesk.services.tracking import compare_latest_with_baseline
from dermadesk.storage.register import Register


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--visits", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        reg = Register(Path(tmp))
        try:
            assess = assess_fn(open_assessor(None, None, "cpu"))
        except NotFoundError:
            assess = None
        p = reg.patients.add("bench", "R1", "Report Bench Ωмега")
        lesion = reg.lesions.add("bench", p.id, "posterior torso", "bench", body_view="back", body_x=0.5, body_y=0.3)
        start = dt.date(2024, 1, 1)
        for i in range(args.visits):
            img = synthetic_lesion(LesionSpec(seed=3, scale=float(1 + 0.03 * i)), 1200, 900)  # 1 MP captures
            import_capture(reg, "bench", lesion.id, jpeg_bytes(img), f"v{i}.jpg",
                           CaptureMeta(taken_at=(start + dt.timedelta(days=90 * i)).isoformat(), mm_per_px=0.01),
                           assess)
            compare_latest_with_baseline(reg, "bench", lesion.id)
        times = []
        out = Path(tmp) / "report.pdf"
        for _ in range(args.repeat):
            t = time.perf_counter()
            write_lesion_report(reg, Settings(clinic_name="Bench Clinic"), lesion.id, out)
            times.append(time.perf_counter() - t)
        print(f"lesion report, {args.visits} visits of 1200x900 JPEGs ({'assessed' if assess else 'not assessed'}): "
              f"build p50 {statistics.median(times):.2f} s, min {min(times):.2f} s over {args.repeat} runs; "
              f"file {out.stat().st_size / 2**20:.2f} MiB")
        reg.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
