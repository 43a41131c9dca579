"""The demo register's throwaway folder: made in the temporary directory, removed on exit, and found again when
a demo was killed (SIGKILL, a crash, a power cut) so the next start removes it.

Each folder is ``dermadesk-demo-*`` holding ``demo.lock`` (an advisory lock held for the demo's life: the system
drops it when the process dies, whatever kills it) and ``demo.pid`` (the owner's process id, for a person
looking). A folder whose lock can be taken is stale: its DermaDesk is gone. Unlike a bare pid check this is
not fooled by a new process that got the same pid, and it never sends a signal (on Windows ``os.kill`` ends
the process it names).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from dermadesk.files import POSIX, FileLock

PREFIX = "dermadesk-demo-"
LOCK_FILE = "demo.lock"
PID_FILE = "demo.pid"
UNLOCKED_GRACE_S = 600.0  # a folder with no lock file yet: being made right now, or left by an older DermaDesk


def _stale(folder: Path, now: float) -> bool:
    """True when no running DermaDesk holds ``folder`` (or, without a lock file, it is older than the grace)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if POSIX and folder.stat().st_uid != os.getuid():
        return False  # another user's demo: theirs to remove
    lock_path = folder / LOCK_FILE
    if not lock_path.exists():
        return now - folder.stat().st_mtime > UNLOCKED_GRACE_S
    lock = FileLock(lock_path)
    if not lock.try_acquire():
        return False  # its DermaDesk is still running
    lock.release()
    return True


def clean_stale(base: Path | None = None) -> list[Path]:
    """Remove the demo folders in ``base`` (the temporary directory) that no running DermaDesk holds."""
    base = Path(base) if base is not None else Path(tempfile.gettempdir())
    removed = []
    now = time.time()
    for folder in sorted(base.glob(PREFIX + "*")):
        try:
            if _stale(folder, now):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:
            continue  # vanished meanwhile, or not ours to read
    return removed


class DemoFolder:
    """A new demo folder, held until ``remove()``; stale ones from earlier runs are removed first."""

    def __init__(self, base: Path | None = None) -> None:
        self.base = Path(base) if base is not None else Path(tempfile.gettempdir())
        self.stale_removed = clean_stale(self.base)
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.base))
        self._lock: FileLock | None = FileLock(self.path / LOCK_FILE)
        self._lock.acquire()  # a fresh file: nobody else holds it
        (self.path / PID_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")

    def remove(self) -> None:
        """Release the folder and delete it with the demo register inside (safe to call twice)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        shutil.rmtree(self.path, ignore_errors=True)
