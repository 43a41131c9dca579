"""Startup benchmark: cold start of the main window to interactive (model loaded lazily), and memory.

    python -m dermadesk.bench.startup [--runs 5] [--patients 100000]

Each run is a fresh process (``python -m dermadesk``) that prints when its event loop first turns.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--patients", type=int, default=0, help="fill the register first (rows only)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.patients:
            from dermadesk.bench.register import fill
            from dermadesk.storage.register import Register

            reg = Register(Path(tmp))
            fill(reg, args.patients)
            reg.close()
        from dermadesk.config import Settings

        Settings(disclaimer_acknowledged=True).save(Path(tmp))
        env = {**os.environ, "DERMADESK_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM",
                                                                                              "offscreen")}
        walls, inner = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "dermadesk", "--data-dir", tmp], env=env,
                                  capture_output=True, text=True, timeout=120)
            walls.append(time.perf_counter() - t)
            m = re.search(r"interactive after ([0-9.]+) s", proc.stdout)
            if m:
                inner.append(float(m.group(1)))
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"main window to interactive ({args.patients or 'empty'} register, model loaded lazily): "
              f"process wall p50 {statistics.median(walls):.2f} s (includes interpreter start and exit), "
              f"inside main() p50 {statistics.median(inner) if inner else float('nan'):.2f} s; "
              f"peak RSS of a run {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
