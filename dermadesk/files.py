"""Owner-only files and folders, durable atomic writes, and a cross-process lock file.

Patient data is readable by its owner only: folders 0700, files 0600 (on POSIX; Windows keeps the
per-user ACLs of the profile folder). Used by storage (register, images, backups) and by the model
registry (installed models), so it lives outside both layers, like ``config``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import IO, Iterator

log = logging.getLogger(__name__)
DIR_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name != "nt"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make it owner-only; returns it."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Take away what 0700 (folder) or 0600 (file) does not give: never a permission added, so a folder or file made
    read-only (a write-protected copy) stays so; silently skips what we do not own."""
    if not POSIX:
        return
    try:
        st = os.stat(path)
        want = DIR_MODE if stat.S_ISDIR(st.st_mode) else FILE_MODE
        mode = stat.S_IMODE(st.st_mode)
        if mode & ~want and st.st_uid == os.getuid():
            os.chmod(path, mode & want)
    except OSError:
        pass


def make_tree_private(root: Path) -> None:
    """``make_private`` on ``root`` and everything under it (no symlinks followed)."""
    make_private(root)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            if not path.is_symlink():
                make_private(path)


def touch_private(path: Path) -> None:
    """Create an empty owner-only file unless it exists (before SQLite creates it with the umask)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    make_private(path)


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (no-op on Windows, where folders cannot be opened)."""
    if not POSIX:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class NotWritten(OSError):
    """A file that could not be written (disk full, name too long, folder read-only...): ``filename`` is the file
    asked for (never the hidden temporary), ``errno`` and ``strerror`` as the system said; ``str()`` is one line
    for a person, saying that nothing was changed (an earlier file of that name is left as it was)."""

    def __str__(self) -> str:
        return not_written_text(Path(str(self.filename)), self.errno, self.strerror)


def not_written_text(target: Path, code: int | None, why: str | None) -> str:
    """'/x/b.zip was not written: the disk is full (...); nothing was changed', with what to do."""
    if code in (errno.ENOSPC, errno.EDQUOT):
        what = f"the disk is full ({why}); free some space or choose another disk"
    elif code == errno.ENAMETOOLONG:
        what = "its name or folder path is too long for that disk; choose a shorter name"
    elif code == errno.EFBIG:
        what = "it is too large for that disk (a FAT32 USB stick holds at most 4 GB per file)"
    else:
        what = why or "the system refused it"
    return f"{target} was not written: {what}; nothing was changed"


WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.ENAMETOOLONG})


PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial$")  # what atomic_writer names its temp files (mkstemp)


def lock_now(fd: int) -> bool:
    """An exclusive lock on the open file ``fd`` if nobody holds one (flock / msvcrt); True when taken. It lasts
    until the file is closed or the process dies, however it dies."""
    try:
        if POSIX:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]  # Windows only
    except OSError:
        return False
    return True


def sweep_partials(folder: Path) -> list[Path]:
    """Remove the temp files that atomic_writer left in ``folder`` when its process was killed (a backup of
    gigabytes on a USB stick, which Windows does not hide): those whose writer holds no lock. A write in progress
    holds its lock, so it is never touched; other programs' files do not match the name. Returns what was removed."""
    removed = []
    with contextlib.suppress(OSError):
        for path in Path(folder).iterdir():
            if not PARTIAL.match(path.name) or not path.is_file():
                continue
            try:
                fd = os.open(path, os.O_RDWR)
            except OSError:
                continue
            try:
                stale = lock_now(fd)
            finally:
                os.close(fd)
            if stale:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
                    log.info("removed %s, left by a write that was interrupted", path)
    return removed


@contextlib.contextmanager
def atomic_writer(target: Path, prefix: str | None = None, sweep: bool = False) -> Iterator[IO[bytes]]:
    """Write an owner-only temp file beside ``target`` (named ``prefix``..., default ".<start of name>."),
    locked while written, fsync, rename over it, fsync the folder. NotWritten (an OSError naming ``target``) when
    the temp file cannot be made or renamed, or the disk is full while writing; other errors of the caller's block
    as raised. The temp name is short, so that any name the disk takes can be written. ``sweep``: first remove
    the temp files an interrupted write left in the folder (``sweep_partials``)."""
    target = Path(target)
    if sweep:
        sweep_partials(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix or f".{target.name[:40]}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise NotWritten(exc.errno, exc.strerror, str(target)) from exc
    lock_now(fd)  # a later sweep leaves it alone while this process lives
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise NotWritten(exc.errno, exc.strerror, str(target)) from exc
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno in WRITE_ERRNOS and not isinstance(exc, NotWritten):
            raise NotWritten(exc.errno, exc.strerror, str(target)) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def write_private(target: Path, data: bytes) -> None:
    """Atomically replace ``target`` with ``data`` (owner-only, durable)."""
    with atomic_writer(target) as fh:
        fh.write(data)


class FileLock:
    """An exclusive advisory lock on a file, released when the process dies (flock / msvcrt)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        while True:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            if POSIX:
                import fcntl

                fcntl.flock(self._fd, fcntl.LOCK_EX)
            else:  # pragma: no cover - Windows
                import msvcrt

                while True:
                    try:
                        msvcrt.locking(self._fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]  # Windows only
                        break
                    except OSError:
                        continue
            if self._still_named():
                return

    def try_acquire(self) -> bool:
        """Take the lock only if nobody holds it; True when taken."""
        while True:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            if not lock_now(self._fd):
                os.close(self._fd)
                self._fd = None
                return False
            if self._still_named():
                return True

    def _still_named(self) -> bool:
        """Whether the file locked is still the one at ``path``: whoever held the lock before may have removed the
        file (``remove_held``), and a lock on a removed file locks nothing, so it is let go and taken again (closed
        here when it is not)."""
        if not POSIX or self._fd is None:  # pragma: no cover - Windows: a file open elsewhere cannot be removed
            return True
        with contextlib.suppress(OSError):
            held, named = os.fstat(self._fd), os.stat(self.path)
            if (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino):
                return True
        self.release()
        return False

    def remove_held(self) -> None:
        """Remove the lock file while holding the lock, then let the lock go (a folder left as found): whoever waits
        for it takes it again on a new file (``_still_named``). Kept where it cannot be removed (Windows)."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            if POSIX:
                import fcntl

                fcntl.flock(self._fd, fcntl.LOCK_UN)
            else:  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]  # Windows only
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "FileLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
