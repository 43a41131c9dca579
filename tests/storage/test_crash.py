"""Crash safety: a batch import killed with SIGKILL leaves a register that passes db check."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from dermadesk.storage.check import check_register
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")]


def test_sigkill_during_batch_import_never_leaves_a_row_without_its_image(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(30):
        (batch / f"img_{i:02d}.jpg").write_bytes(lesion_jpeg(seed=i, width=480, height=360))
    data_dir = tmp_path / "data"
    with Register(data_dir) as reg:
        lesion = reg.lesions.add("u", reg.patients.add("u", "C1", "Crash Test").id, "head/neck")
    rng = np.random.default_rng(1)
    env = {**os.environ, "DERMADESK_DATA_DIR": str(data_dir)}
    committed_before = 0
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-m", "dermadesk", "capture", "add", "--lesion", str(lesion.id),
                                 "--no-assess", str(batch)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(float(rng.uniform(0.4, 2.0)))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with Register(data_dir) as reg:
            report = check_register(reg)
            assert report.ok, report.to_dict()
            captures = reg.captures.for_lesion(lesion.id)
            assert len(captures) >= committed_before
            committed_before = len(captures)
            for c in captures:  # every committed capture is intact, byte for byte
                data = reg.images.read(c.image_sha256)
                assert data == (batch / c.original_name).read_bytes()
                assert len(data) == c.file_size
            # at most orphan/temporary files, which --clean removes without touching rows once over an hour old
            # (younger ones may be an import's in another process)
            old = time.time() - 7200
            for path in [reg.images.path(sha) for sha in report.orphan_files] + reg.images.leftovers():
                os.utime(path, (old, old))
            report = check_register(reg, clean=True)
            assert report.ok and check_register(reg).orphan_files == []
    assert committed_before > 0, "no run got far enough to commit a capture; raise the sleep"
