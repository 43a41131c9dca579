"""Which DermaDesk app has a data folder open: one at a time, so that one window never overwrites another's changes.

The app holds ``.dermadesk-open.lock`` in the data folder while it is open: a small JSON file naming the computer,
the process, the operator and the start time, with an OS lock (flock / msvcrt) on it that the system lets go when
the process ends, however it ends. A second app finds the OS lock held (DermaDesk is open, on this computer) or
free: a mark left by a crash on this computer is then taken over without a word; one written on another computer
(a shared folder) cannot be checked from here and is respected, unless the user opens the folder anyway.
Qt-free: the app asks the user (``ui.folder_lock``); a command may use it as well.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from dermadesk.domain.errors import DermaDeskError
from dermadesk.files import FILE_MODE, POSIX, lock_now

LOCK_NAME = ".dermadesk-open.lock"
FAR = 1 << 30  # Windows locks a byte range, which others then cannot read: a byte far beyond the text


def this_host() -> str:
    return socket.gethostname() or "this computer"


def _account() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name available (containers)
        return ""


@dataclass(frozen=True)
class Holder:
    """Who has the folder open, as its lock file says."""

    host: str
    pid: int
    operator: str  # the name set in the app ('' where none is), else the OS account below names them
    account: str
    since: str  # ISO 8601, UTC

    @property
    def here(self) -> bool:
        """Written on this computer (host names compared without case, as Windows names them)."""
        return self.host.casefold() == this_host().casefold()

    @property
    def who(self) -> str:
        return self.operator or (f"the account '{self.account}'" if self.account else "an unnamed user")


class FolderInUse(DermaDeskError):
    """DermaDesk is open on the folder already. ``holder``: as its lock file says (None where it cannot be read);
    ``verified``: known to be running (on this computer); False for another computer's mark, which may be left by a
    crash there: ``FolderLock.take(..., anyway=True)`` opens the folder all the same."""

    def __init__(self, folder: Path, holder: Holder | None, verified: bool) -> None:
        self.folder, self.holder, self.verified = Path(folder), holder, verified
        where = f" on {holder.host}, by {holder.who}, since {holder.since}" if holder else ""
        super().__init__(f"DermaDesk is already open on the data folder {folder}{where}")


class FolderLock:
    """This process's mark on a data folder, held until ``release`` (or the process ends). ``held`` is False where
    the folder was opened anyway beside another computer's running app: its mark is left as it is."""

    def __init__(self, path: Path, fd: int | None, holder: Holder | None) -> None:
        self.path, self._fd, self.holder = path, fd, holder

    @property
    def held(self) -> bool:
        return self._fd is not None

    @classmethod
    def take(cls, data_dir: Path, operator: str = "", anyway: bool = False) -> FolderLock:
        """The folder's lock for this process; FolderInUse where DermaDesk is open on it elsewhere. A mark left by a
        process of this computer that has ended is taken over; ``anyway``: another computer's mark too (or, where its
        app still holds the lock, the folder is opened without one)."""
        path = Path(data_dir) / LOCK_NAME
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            if not _lock(fd):
                os.close(fd)
                holder = _read_settled(path)
                if anyway and holder is not None and not holder.here:
                    return cls(path, None, holder)
                raise FolderInUse(data_dir, holder, verified=holder is None or holder.here)
            if not _still_named(fd, path):  # removed by the app that held it as it closed: the next file
                os.close(fd)
                continue
            found = _parse(_read_fd(fd))
            if found is not None and not found.here and not anyway:
                os.close(fd)
                raise FolderInUse(data_dir, found, verified=False)
            lock = cls(path, fd, None)
            lock.name_operator(operator, force=True)
            return lock

    def name_operator(self, operator: str, force: bool = False) -> None:
        """Name ``operator`` in the lock file (the operator changed); nothing where it is not held."""
        if self._fd is None or (not force and self.holder is not None and self.holder.operator == operator):
            return
        since = self.holder.since if self.holder else dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.holder = Holder(this_host(), os.getpid(), operator, _account(), since)
        data = json.dumps(asdict(self.holder), ensure_ascii=False).encode("utf-8")
        with contextlib.suppress(OSError):  # a full disk: the OS lock still keeps a second app out on this computer
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.ftruncate(self._fd, 0)
            os.write(self._fd, data)
            os.fsync(self._fd)

    def release(self) -> None:
        """Let the folder go: the file removed (while it still names this process), then the OS lock."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        ours = self.holder is not None and _parse(_read_fd(fd)) == self.holder
        if POSIX:  # removed while held: an app waiting on the old file takes the next one (``_still_named``)
            if ours:
                with contextlib.suppress(OSError):
                    self.path.unlink()
            os.close(fd)
        else:  # pragma: no cover - Windows: an open file cannot be removed
            os.close(fd)
            if ours:
                with contextlib.suppress(OSError):
                    self.path.unlink()


def holder_of(data_dir: Path) -> Holder | None:
    """Who the lock file names (None: no file, or one that cannot be read); whether they still run is not checked."""
    with contextlib.suppress(OSError):
        return _parse((Path(data_dir) / LOCK_NAME).read_bytes())
    return None


def _lock(fd: int) -> bool:
    if not POSIX:  # pragma: no cover - Windows
        os.lseek(fd, FAR, os.SEEK_SET)
    return lock_now(fd)


def _still_named(fd: int, path: Path) -> bool:
    """Whether the file locked is the one at ``path`` (not one removed meanwhile by the app that held it)."""
    if not POSIX:  # pragma: no cover - Windows: a file open elsewhere cannot be removed
        return True
    try:
        held, named = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _read_fd(fd: int) -> bytes:
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 64 * 1024)
    return b""


def _read_settled(path: Path, tries: int = 20) -> Holder | None:
    """The lock file's holder, read again for a moment while it is empty (its app is writing it just now)."""
    for _ in range(tries):
        holder = holder_of(path.parent)
        if holder is not None:
            return holder
        time.sleep(0.025)
    return None


def _parse(data: bytes) -> Holder | None:
    try:
        raw = json.loads(data.decode("utf-8"))
        return Holder(str(raw["host"]), int(raw["pid"]), str(raw["operator"]), str(raw["account"]), str(raw["since"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
