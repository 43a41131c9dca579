"""A data folder this account cannot write: a register on a read-only share, a copy on a DVD or a write-protected
stick, a folder IT copied with the wrong permissions. It is read as it is (nothing is made, locked or changed in it);
a change is refused before anything is done, naming the folder and saying what to do.

SQLite reads a register in WAL mode through its ``-wal`` and ``-shm`` files, which a read-only folder cannot take
when they are not there. A register closed cleanly has no ``-wal`` file: its main file is the whole register, read
as it is (``immutable``). One with a ``-wal`` file holding changes (copied while DermaDesk had it open) is read with
them where SQLite can; where it cannot, it is refused: its main file alone would leave out the latest changes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from dermadesk.config import DATA_DIR_ENV, REGISTER_FILE, RESTORE_LOCK
from dermadesk.domain.errors import DermaDeskError
from dermadesk.files import POSIX

WHAT_TO_DO = (
    "copy the whole folder somewhere writable and point {env} (or --data-dir, or Edit > Settings > Data directory "
    "in the app) at the copy, or ask IT to give this account write access to the folder"
).format(env=DATA_DIR_ENV)
# SQLite's words where the -wal and -shm files a WAL register needs cannot be made beside it
CANNOT_MAKE_BESIDE = ("readonly", "read-only", "unable to open database file")


class ReadOnlyFolder(DermaDeskError):
    """A change asked of a data folder this account cannot write (or a register that cannot be read there): one
    line naming the folder, why (``cannot_write``), what was not done, and what to do ``to`` do it."""

    def __init__(self, folder: Path, why: str, what: str = "nothing was changed", to: str = "make changes") -> None:
        self.folder, self.why = Path(folder), why
        super().__init__(f"the data folder {folder} is read-only ({why}): {what}. To {to}, {WHAT_TO_DO}")


def cannot_write(data_dir: Path) -> str | None:
    """Why this account cannot write ``data_dir``, in words ("this account may not write in it"), or None where it
    can, or where the folder is not there (made when needed). Checked as the system answers this account (access
    control lists included), and a lock file or register file that is read-only on its own counts as well."""
    folder = Path(data_dir)
    if not folder.is_dir():
        return None
    with contextlib.suppress(OSError, AttributeError):  # no statvfs on Windows
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only disk or share"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "this account may not write in it"
    register = folder / REGISTER_FILE
    if register.exists() and not os.access(register, os.R_OK | os.W_OK):
        return f"this account may not write its {REGISTER_FILE}"
    lock = folder / RESTORE_LOCK
    if lock.exists():
        try:  # opened, never locked or changed here (Windows answers os.access from the read-only flag alone)
            os.close(os.open(lock, os.O_RDWR))
        except PermissionError:
            return f"this account may not write its {RESTORE_LOCK}"
        except OSError:
            pass
    return None


def _uri(path: Path, query: str) -> str:
    return f"{Path(path).resolve().as_uri()}?{query}"


def connect_read_only(path: Path, timeout: float = 30.0, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection that only reads the register file at ``path``, with any changes its ``-wal`` file holds.

    Where the folder cannot take the ``-wal`` and ``-shm`` files SQLite reads a WAL register through: without a
    ``-wal`` file holding changes the file is read as it is (immutable: no lock, nothing made beside it); with one,
    ReadOnlyFolder (nothing read: the main file alone would leave those changes out). Other errors as SQLite
    raises them (a file that is not a database, one in use)."""
    path = Path(path)
    if path.exists() and not os.access(path, os.R_OK):
        raise DermaDeskError(f"{path} cannot be read by this account; ask IT to give it read access to the folder")
    conn = sqlite3.connect(_uri(path, "mode=ro"), uri=True, timeout=timeout, check_same_thread=check_same_thread)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        conn.close()
        why = cannot_write(path.parent) if isinstance(exc, sqlite3.OperationalError) else None
        if why is None or not any(words in str(exc).lower() for words in CANNOT_MAKE_BESIDE):
            raise
    wal = path.with_name(path.name + "-wal")
    with contextlib.suppress(FileNotFoundError):
        if wal.stat().st_size > 0:
            raise ReadOnlyFolder(
                path.parent,
                why,
                f"its register holds changes not yet written into {path.name} (in {wal.name}), which SQLite cannot "
                "read without writing beside it; nothing was read, so that no register is shown without them",
                to="read it",
            )
    return sqlite3.connect(
        _uri(path, "mode=ro&immutable=1"), uri=True, timeout=timeout, check_same_thread=check_same_thread
    )


def wait_for_restore(data_dir: Path) -> None:
    """Wait for a restore running now (by an account that may write the folder) to finish, as opening a register
    does: a shared lock on its lock file, opened for reading and let go at once. Nothing where there is no lock file
    or it cannot be read, nor on Windows (a lock there needs a file opened for writing)."""
    if not POSIX:  # pragma: no cover - Windows
        return
    import fcntl

    try:
        fd = os.open(Path(data_dir) / RESTORE_LOCK, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        pass
    finally:
        os.close(fd)
