"""A data folder as a command found it, so that a refused restore leaves it so: the lock file it took removed, the
folder's permissions put back, the folder removed where the command made it. "Nothing was changed" is then true."""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from dermadesk.files import FileLock


@dataclass(frozen=True)
class Found:
    """The folders made since (outermost first), the folder's permissions and the names in it then (the default:
    a lock file there and nothing to put back)."""

    made: tuple[Path, ...] = ()
    mode: int | None = None
    names: frozenset[str] = frozenset()


def found_as_is(data_dir: Path, lock_name: str) -> Found:
    """``data_dir`` now, before anything is made in it (one that cannot be read: left as it will be, lock file too)."""
    data_dir = Path(data_dir)
    missing = [p for p in (data_dir, *data_dir.parents) if not p.exists()]
    if missing:
        return Found(made=tuple(reversed(missing)))
    try:
        return Found(mode=stat.S_IMODE(data_dir.stat().st_mode), names=frozenset(os.listdir(data_dir)))
    except OSError:
        return Found(names=frozenset({lock_name}))


def leave_as_found(data_dir: Path, found: Found, lock_name: str) -> None:
    """The lock file ``lock_name`` removed where it was not there (taken first: never from under one holding it),
    the folder's permissions put back where it holds nothing new, the folders made since removed where empty. Never
    anything that was there, nor anything another made meanwhile."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return
    if lock_name not in found.names:
        with contextlib.suppress(OSError):
            lock = FileLock(data_dir / lock_name)
            lock.acquire()
            lock.remove_held()
    with contextlib.suppress(OSError):
        if found.mode is not None and set(os.listdir(data_dir)) <= found.names:
            if stat.S_IMODE(data_dir.stat().st_mode) != found.mode:
                os.chmod(data_dir, found.mode)
    for folder in reversed(found.made):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only an empty one
