"""A backup or transfer package written by a process that was killed (power cut, SIGKILL) leaves its temporary
file on the target disk: on a USB stick that Windows does not hide, gigabytes named ".<name>.xxxxxxxx.partial".
The next backup into that folder removes it; a write still in progress (it holds a lock) and other programs'
files are left alone. The killed writer is a real process killed with SIGKILL."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.files import atomic_writer, sweep_partials
from dermadesk.storage.backup import backup, verify_archive

WRITER = """
import sys, time
from pathlib import Path
from dermadesk.files import atomic_writer
with atomic_writer(Path(sys.argv[1])) as fh:
    fh.write(b"x" * 100_000)
    fh.flush()
    print("writing", flush=True)
    time.sleep(600)
"""


def killed_writer(target: Path) -> Path:
    """The temp file a real process left when killed in the middle of writing ``target``."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
    (left,) = [p for p in target.parent.iterdir() if p.name.endswith(".partial")]
    return left


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_the_next_backup_removes_what_a_killed_backup_left(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill_register(data, patients=2)
    stick = tmp_path / "stick"
    stick.mkdir()
    left = killed_writer(stick / "dermadesk-backup-2026-11-20.zip")
    theirs = [stick / "notes.partial", stick / ".report.pdf.partial"]  # not named as ours: kept
    for path in theirs:
        path.write_bytes(b"someone else's")
    backup(data, stick / "dermadesk-backup-2026-11-23.zip")
    assert not left.exists()
    kept = ["dermadesk-backup-2026-11-23.zip", *(p.name for p in theirs)]
    assert sorted(p.name for p in stick.iterdir()) == sorted(kept)
    assert verify_archive(stick / "dermadesk-backup-2026-11-23.zip")  # whole: its checksums hold


def test_a_write_in_progress_is_never_swept(tmp_path: Path) -> None:
    with atomic_writer(tmp_path / "a.zip") as fh:
        fh.write(b"in progress")
        (writing,) = list(tmp_path.iterdir())
        assert sweep_partials(tmp_path) == [] and writing.exists()  # its lock says it is being written
        with atomic_writer(tmp_path / "b.zip", sweep=True) as other:  # a second write beside it, sweeping first
            other.write(b"b")
        assert writing.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "b.zip"]
    assert (tmp_path / "a.zip").read_bytes() == b"in progress"
