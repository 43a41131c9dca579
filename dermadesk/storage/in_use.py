"""Who has a register open: each open Register holds an exclusive lock on a file of its own in the data folder
(``.in-use-*.lock``), released by the OS when the process ends however it ends. A restore, which replaces the
files under every open register, counts the marks it cannot lock and refuses while there are any."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dermadesk.files import FileLock

IN_USE_PREFIX = ".in-use-"


class InUse:
    """This Register's mark on its data folder, held until ``release``."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / f"{IN_USE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.lock"
        self.lock = FileLock(self.path)
        self.held = self.lock.try_acquire()  # a new file of its own: nobody else holds it

    def release(self) -> None:
        if self.held:
            self.lock.release()
            self.held = False
        _remove(self.path)


def others_using(data_dir: Path) -> int:
    """How many registers are open on ``data_dir`` now, in any process (marks left by ended ones are removed)."""
    count = 0
    for path in sorted(Path(data_dir).glob(f"{IN_USE_PREFIX}*.lock")):
        probe = FileLock(path)
        if probe.try_acquire():  # nobody holds it: left by a process that ended without closing
            probe.release()
            _remove(path)
        else:
            count += 1
    return count


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # Windows: still open elsewhere; the next count removes it
        pass
