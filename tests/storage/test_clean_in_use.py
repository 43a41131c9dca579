"""``db check --clean`` never removes what another process is writing now: an import stores its images before
the rows that refer to them are committed, so only orphan and temporary files untouched for an hour go."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from dermadesk.storage.check import STALE_AFTER, check_register
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def age(path: Path, seconds: float) -> None:
    when = time.time() - seconds
    os.utime(path, (when, when))


def in_use(reg: Register, count: int) -> int:
    """A lesion with ``count`` committed captures (a register in use: its orphans are an import's leftovers, not
    an earlier register's images); returns the lesion's id."""
    lesion = reg.lesions.add("t", reg.patients.add("t", "CL-1", "Clean Person").id, "posterior torso")
    for seed in range(10, 10 + count):
        reg.captures.add("t", lesion.id, "2025-01-01", reg.images.put(lesion_jpeg(seed=seed)), 64, 64, 100, "JPEG")
    return lesion.id


def test_an_image_stored_for_an_import_not_yet_committed_survives_a_clean(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Register(data_dir) as reg:
        lesion_id = in_use(reg, 3)
        pending = reg.images.put(lesion_jpeg(seed=1))  # an import's first step, its row not yet written
        forgotten = reg.images.put(lesion_jpeg(seed=2))  # an import killed long ago
        age(reg.images.path(forgotten), STALE_AFTER + 60)
        temp = reg.images.path(pending).parent / ".incoming-abc"
        temp.write_bytes(b"half")  # a write in flight
        # the command line's clean, in another process, while the import is between its two steps
        env = {**os.environ, "DERMADESK_DATA_DIR": str(data_dir)}
        out = subprocess.run([sys.executable, "-m", "dermadesk", "db", "check", "--clean"], env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert "orphan files: 2, leftover temporary files: 1 (removed 1; those under an hour old are kept" in out.stdout
        assert reg.images.exists(pending) and temp.exists() and not reg.images.exists(forgotten)
        capture = reg.captures.add("t", lesion_id, "2025-01-02", pending, 64, 64, 100, "JPEG")  # the import commits
        report = check_register(reg)
        assert report.ok and report.missing_images == [] and reg.images.read(capture.image_sha256)


def test_storing_an_orphan_again_makes_it_young(tmp_path: Path) -> None:
    with Register(tmp_path / "data") as reg:
        in_use(reg, 1)
        sha = reg.images.put(lesion_jpeg(seed=3))
        age(reg.images.path(sha), STALE_AFTER + 60)
        assert reg.images.put(lesion_jpeg(seed=3)) == sha  # the same bytes imported again: the file is kept
        assert check_register(reg, clean=True).cleaned == 0 and reg.images.exists(sha)
