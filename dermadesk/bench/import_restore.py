"""Import and restore throughput, with how often each file is decoded and each backup byte read.

Import: the app's Import images... path (the dialog's background reading of the files, then the import) over
synthetic JPEGs into a real register, no model; counts ``decode_image`` calls per file. Restore: ``dermadesk
restore`` on a terminal answering y (the question, then the restore) over a backup of the size asked; counts
the reads of its members (``copy_member``), its decryptions (``unseal``) and the bytes the process read.

    python -m dermadesk.bench.import_restore [--files 20] [--megapixels 12] [--restore-mb 1024] [--encrypted] [--cold]
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion


class Counter:
    """Wraps ``module.name`` (the real function, called through) and counts its calls."""

    def __init__(self, module: Any, name: str) -> None:
        self.module, self.name, self.calls = module, name, 0
        self.original: Callable[..., Any] = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return self.original(*args, **kwargs)

        setattr(module, name, counted)

    def undo(self) -> None:
        setattr(self.module, self.name, self.original)


def _io_bytes() -> tuple[int, int]:
    """Bytes this process has read and written through read() and write() calls so far (page cache included)."""
    with open("/proc/self/io") as fh:
        fields = dict(line.split(":") for line in fh)
    return int(fields["rchar"]), int(fields["wchar"])


def bench_import(root: Path, n: int, megapixels: float) -> None:
    import dermadesk.services.captures as captures
    from dermadesk.storage.register import Register

    w = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    h = int(w * 3 / 4)
    base = synthetic_lesion(LesionSpec(seed=7), w, h)
    files = []
    for i in range(n):
        rgb = base.copy()
        rgb[i % h, : 64] = (i * 37) % 256  # different bytes each: not refused as the same image twice
        path = root / f"c{i:03d}.jpg"
        path.write_bytes(jpeg_bytes(rgb))
        files.append(path)
    size = sum(p.stat().st_size for p in files)
    with Register(root / "data") as reg:
        patient = reg.patients.add("bench", "B-1", "Bench Import")
        lesion = reg.lesions.add("bench", patient.id, "anterior torso")
        decodes = Counter(captures, "decode_image")
        t0, cpu = time.perf_counter(), time.process_time()
        facts = captures.read_file_facts(files)
        t1 = time.perf_counter()
        result = captures.import_files(reg, "bench", lesion.id, files, captures.CaptureMeta(taken_at="2026-01-01"),
                                       compare=False, ahead=facts.hand_over())
        t2, cpu = time.perf_counter(), time.process_time() - cpu
        decodes.undo()
    assert len(result.captures) == n, result.errors
    print(f"import: {n} JPEGs of {w}x{h} ({size / n / 2**20:.1f} MiB each)")
    print(f"  dialog's reading {t1 - t0:.2f} s, import {t2 - t1:.2f} s, together {n / (t2 - t0):.2f} files/s "
          f"({cpu:.2f} s of processor time)")
    print(f"  decode_image calls: {decodes.calls} ({decodes.calls / n:.2f} per file)")


def _fill_backup(data_dir: Path, megabytes: int) -> None:
    """A register whose captures reference random image files adding up to ``megabytes`` MiB (rows and bytes only:
    a backup and a restore never decode them)."""
    from dermadesk.storage.register import Register

    rng = np.random.default_rng(0)
    each = 8 * 2**20
    with Register(data_dir) as reg:
        patient = reg.patients.add("bench", "R-1", "Bench Restore")
        lesion = reg.lesions.add("bench", patient.id, "anterior torso")
        for i in range(max(megabytes * 2**20 // each, 1)):
            sha = reg.images.put(rng.integers(0, 256, each, dtype=np.uint8).tobytes())
            reg.captures.add("bench", lesion.id, "2026-01-01", sha, 4000, 3000, each, "JPEG", "dermoscopic",
                             None, None, None, "", f"r{i}.jpg")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _evict(path: Path) -> None:
    """Drop ``path``'s pages from the page cache (Linux), so that it is read from the disk as on a cold start."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def bench_restore(root: Path, megabytes: int, encrypted: bool, cold: bool = False) -> None:
    import dermadesk.storage.backup as backup_mod
    import dermadesk.storage.restore as restore_mod
    from dermadesk.main import main

    data_dir, archive = root / "restore-data", root / "backup.zip"
    _fill_backup(data_dir, megabytes)
    argv = ["restore", str(archive), "--data-dir", str(data_dir)]
    passphrase: str | None = None
    if encrypted:
        secret = root / "secret.txt"
        passphrase = "bench passphrase, long enough"
        secret.write_text(passphrase + "\n")
        argv += ["--passphrase-file", str(secret)]
    files = int(backup_mod.backup(data_dir, archive, passphrase=passphrase)["files"])
    size = archive.stat().st_size
    counters = [Counter(m, name) for m in (restore_mod, backup_mod) for name in ("copy_member", "unseal")]
    os.sync()  # the register and the backup just written reach the disk before the clock starts
    if cold:
        _evict(archive)
    stdin, ask = sys.stdin, builtins.input
    sys.stdin, builtins.input = _Terminal(), lambda prompt="": "y"  # type: ignore[assignment]
    try:
        before, t0, cpu = _io_bytes(), time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):  # the question and the answer's text
            code = main(argv)
        seconds, after, cpu = time.perf_counter() - t0, _io_bytes(), time.process_time() - cpu
    finally:
        sys.stdin, builtins.input = stdin, ask
        for c in counters:
            c.undo()
    assert code == 0
    copy, unseal = sum(c.calls for c in counters[0::2]), sum(c.calls for c in counters[1::2])
    print(f"restore{' (encrypted)' if encrypted else ''}: backup of {size / 2**20:.0f} MiB"
          f"{', not in the page cache at the start' if cold else ''}, question answered y")
    print(f"  {seconds:.2f} s, {size / 2**20 / seconds:.0f} MiB/s of backup ({cpu:.2f} s of processor time)")
    print(f"  member reads (copy_member): {copy} for {files} files; decryptions (unseal): {unseal}")
    read, written = after[0] - before[0], after[1] - before[1]
    print(f"  bytes read by the process: {read / 2**20:.0f} MiB ({read / size:.2f} x the backup), written: "
          f"{written / 2**20:.0f} MiB ({written / size:.2f} x)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=20, help="JPEGs to import (0: skip the import bench)")
    ap.add_argument("--megapixels", type=float, default=12.0)
    ap.add_argument("--restore-mb", type=int, default=1024, help="backup size in MiB (0: skip the restore bench)")
    ap.add_argument("--encrypted", action="store_true", help="also restore an encrypted backup")
    ap.add_argument("--cold", action="store_true", help="drop the backup from the page cache before restoring it")
    ap.add_argument("--dir", help="scratch folder (default: a temporary one)")
    args = ap.parse_args(argv)
    os.environ.setdefault("DERMADESK_CONFIG_DIR", tempfile.mkdtemp(prefix="dermadesk-bench-config-"))
    with tempfile.TemporaryDirectory(prefix="dermadesk-bench-", dir=args.dir) as tmp:
        if args.files:
            (Path(tmp) / "import").mkdir()
            bench_import(Path(tmp) / "import", args.files, args.megapixels)
        if args.restore_mb:
            (Path(tmp) / "plain").mkdir()
            bench_restore(Path(tmp) / "plain", args.restore_mb, False, args.cold)
            if args.encrypted:
                (Path(tmp) / "sealed").mkdir()
                bench_restore(Path(tmp) / "sealed", args.restore_mb, True, args.cold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
