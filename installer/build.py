"""Build the one-folder DermaDesk bundle and its GPU pack, check them, run the frozen self-test, print sizes.

    python installer/build.py [--dist DIR] [--skip-build] [--all-in-one]

The core bundle (dist/DermaDesk) runs on the CPU everywhere. onnxruntime's CUDA and TensorRT providers
(284 MB, and useless without NVIDIA's CUDA 13 runtime and cuDNN, which no installer can bundle at a
sensible size) go into dist/DermaDesk-GPU-pack, whose files are copied over the core bundle on GPU
workstations. ``--all-in-one`` builds them into one folder instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("torch", "torchvision", "timm", "training")
GPU_PROVIDER_PREFIXES = ("libonnxruntime_providers_cuda", "libonnxruntime_providers_tensorrt",
                         "onnxruntime_providers_cuda", "onnxruntime_providers_tensorrt")
PACK_README = """DermaDesk GPU pack
==================
onnxruntime's CUDA (and TensorRT) execution providers for DermaDesk {version}.

Install: copy the _internal folder of this pack over the _internal folder of the DermaDesk program
folder (the files go to _internal/onnxruntime/capi/). Remove them again to go back to CPU only.

The machine also needs an NVIDIA driver, the CUDA 13 runtime (cuBLAS, cuRAND, cudart) and cuDNN 9.
Without them DermaDesk says "the CUDA provider could not start" in the status bar and in
`DermaDesk self-test`, and runs on the CPU.
"""


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


def gpu_provider_files() -> list[Path]:
    """onnxruntime's GPU provider libraries in the build environment (none with the CPU-only wheel)."""
    from onnxruntime import capi

    return sorted(p for p in Path(capi.__file__).resolve().parent.iterdir() if p.name.startswith(GPU_PROVIDER_PREFIXES))


def make_gpu_pack(pack: Path, version: str) -> list[Path]:
    """Write the GPU pack: the provider libraries at the path they have inside the bundle, and a README."""
    shutil.rmtree(pack, ignore_errors=True)
    target = pack / "_internal" / "onnxruntime" / "capi"
    target.mkdir(parents=True)
    for lib in gpu_provider_files():
        shutil.copy2(lib, target / lib.name)
    (pack / "README.txt").write_text(PACK_README.format(version=version), encoding="utf-8")
    return sorted(target.iterdir())


def install_gpu_pack(pack: Path, bundle: Path) -> list[Path]:
    """Copy the pack's files into the bundle (what a user does by hand); returns the files written."""
    written = []
    for src in (pack / "_internal").rglob("*"):
        if src.is_file():
            dst = bundle / src.relative_to(pack)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            written.append(dst)
    return written


def self_test(exe: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DERMADESK_DATA_DIR")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.perf_counter()
    proc = subprocess.run([str(exe), "self-test"], env=env, capture_output=True, text=True, timeout=300)
    return proc, time.perf_counter() - t0


def report_failure(proc: subprocess.CompletedProcess[str], what: str) -> int:
    print(proc.stdout[-4000:], end="")
    print(proc.stderr[-4000:], file=sys.stderr)
    print(f"build: frozen self-test {what} FAILED (exit {proc.returncode})", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=ROOT / "installer" / "dist")
    ap.add_argument("--work", type=Path, default=ROOT / "installer" / "build")
    ap.add_argument("--skip-build", action="store_true", help="only check and self-test an existing bundle")
    ap.add_argument("--all-in-one", action="store_true",
                    help="keep onnxruntime's CUDA provider inside the bundle instead of a separate GPU pack")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from dermadesk import __version__

    if not any((ROOT / "models").glob("*.onnx")):
        print("build: models/ holds no .onnx model; the bundle would have nothing to assess with", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    if not args.skip_build:
        cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(args.dist), "--workpath", str(args.work), str(ROOT / "installer" / "dermadesk.spec")]
        print("build:", " ".join(cmd), flush=True)
        build_env = {**os.environ, "DERMADESK_WITH_CUDA": "1" if args.all_in_one else "0"}
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
    proc, self_test_s = self_test(exe)
    print(proc.stdout, end="")
    if proc.returncode != 0:
        return report_failure(proc, "")
    size = folder_size(bundle)
    kind = "with the CUDA provider" if args.all_in_one else "CPU; GPU providers in the GPU pack"
    print(f"bundle: {bundle} {size / 2**20:.0f} MiB ({size / 1e6:.0f} MB, {kind}); build {build_s:.0f} s; "
          f"frozen self-test {self_test_s:.1f} s (no torch, torchvision, timm or training inside)")
    if args.all_in_one or not gpu_provider_files():
        return 0
    pack = args.dist / "DermaDesk-GPU-pack"
    libs = make_gpu_pack(pack, __version__)
    written = install_gpu_pack(pack, bundle)  # check the pack as a user installs it, then take it out again
    try:
        proc, pack_s = self_test(exe)
    finally:
        for f in written:
            f.unlink()
    if proc.returncode != 0:
        return report_failure(proc, "with the GPU pack installed")
    device = next((line.strip() for line in proc.stdout.splitlines() if "device" in line), "no device line")
    pack_size = folder_size(pack)
    print(f"GPU pack: {pack} {pack_size / 2**20:.0f} MiB ({', '.join(p.name for p in libs)}); with it installed "
          f"the self-test passed in {pack_s:.1f} s: {device}")
    print(f"core + GPU pack: {(size + pack_size) / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
