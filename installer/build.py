"""Build the one-folder DermaDesk bundle, check it has no torch, run its self-test, print its size.

    python installer/build.py [--dist DIR] [--skip-build]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("torch", "torchvision", "timm", "training")


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def forbidden_in(bundle: Path) -> list[str]:
    """Paths in the bundle that belong to torch, torchvision, timm or the training package."""
    hits = []
    for p in bundle.rglob("*"):
        parts = {part.lower() for part in p.relative_to(bundle).parts}
        if parts & set(FORBIDDEN) or p.name.startswith(("libtorch", "torch_")):
            hits.append(str(p.relative_to(bundle)))
    return hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=ROOT / "installer" / "dist")
    ap.add_argument("--work", type=Path, default=ROOT / "installer" / "build")
    ap.add_argument("--skip-build", action="store_true", help="only check and self-test an existing bundle")
    ap.add_argument("--cpu-only", action="store_true",
                    help="leave out onnxruntime's CUDA provider (284 MB) for CPU-only field laptops")
    args = ap.parse_args(argv)
    if not any((ROOT / "models").glob("*.onnx")):
        print("build: models/ holds no .onnx model; the bundle would have nothing to assess with", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    if not args.skip_build:
        cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(args.dist), "--workpath", str(args.work), str(ROOT / "installer" / "dermadesk.spec")]
        print("build:", " ".join(cmd), flush=True)
        build_env = {**os.environ, "DERMADESK_CPU_ONLY": "1" if args.cpu_only else "0"}
        if subprocess.run(cmd, cwd=ROOT, env=build_env).returncode != 0:
            print("build: PyInstaller failed", file=sys.stderr)
            return 1
    build_s = time.perf_counter() - t0
    bundle = args.dist / "DermaDesk"
    exe = bundle / ("DermaDesk.exe" if os.name == "nt" else "DermaDesk")
    hits = forbidden_in(bundle)
    if hits:
        print(f"build: torch/training found in the bundle, refusing it: {hits[:10]}", file=sys.stderr)
        return 1
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DERMADESK_DATA_DIR")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t1 = time.perf_counter()
    proc = subprocess.run([str(exe), "self-test"], env=env, capture_output=True, text=True, timeout=300)
    self_test_s = time.perf_counter() - t1
    print(proc.stdout, end="")
    if proc.returncode != 0:
        print(proc.stderr[-4000:], file=sys.stderr)
        print(f"build: frozen self-test FAILED (exit {proc.returncode})", file=sys.stderr)
        return 1
    size = folder_size(bundle)
    print(f"bundle: {bundle} {size / 2**20:.0f} MiB; build {build_s:.0f} s; frozen self-test {self_test_s:.1f} s "
          f"(no torch, torchvision, timm or training inside)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
