"""Opening the register: pragmas, migrations, explicit transactions."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterator

import sqlite_utils

from dermadesk.domain.text import size_text
from dermadesk.files import make_private, private_dir, touch_private
from dermadesk.storage.read_only import ReadOnlyFolder, connect_read_only
from dermadesk.storage.migrations import migrate


def utc_now() -> str:
    """UTC timestamp, ISO 8601 with milliseconds."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def _set_wal(conn: sqlite3.Connection, timeout_s: float) -> None:
    """WAL mode; on a new file several processes may race for it (SQLITE_BUSY without the busy handler)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Database:
    """A sqlite-utils database in autocommit mode with explicit, nestable transactions.

    sqlite-utils' write helpers commit on their own, so all writes go through ``transaction()``
    and plain SQL; sqlite-utils is used for schema work (migrations, FTS) and queries.
    """

    def __init__(self, path: Path, busy_timeout_ms: int = 5000, check_same_thread: bool = False,
                 read_only: str | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only  # why its folder cannot be written: read only, nothing made, transaction() refused
        if read_only:
            conn = connect_read_only(self.path, busy_timeout_ms / 1000, check_same_thread)
            conn.isolation_level = None
        else:
            private_dir(self.path.parent)
            touch_private(self.path)  # owner-only from the start; SQLite gives -wal and -shm the same mode
            for side in ("-wal", "-shm"):  # ... unless an earlier version left them readable by others
                make_private(self.path.with_name(self.path.name + side))
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                                   check_same_thread=check_same_thread)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")  # REPLACE's implicit delete fires delete triggers
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if not read_only:
            _set_wal(conn, busy_timeout_ms / 1000)
            conn.execute("PRAGMA synchronous = NORMAL")
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._depth = 0
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; nested calls join the outer one. ReadOnlyFolder,
        before anything is begun, on a register opened read-only."""
        if self.read_only:
            raise ReadOnlyFolder(self.path.parent, self.read_only)
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version`` on this connection: it changes when another connection (a command,
        another window, a transfer import) commits, never for this connection's own writes. None while another
        thread uses the connection (never waited for: asked again later) or once it is closed."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self.conn.close()


def open_db(path: Path, **kwargs: object) -> Database:
    """Open (creating if needed) and upgrade a register file; refuses a newer file."""
    database = Database(path, **kwargs)  # type: ignore[arg-type]
    try:
        migrate(database.db)
    except BaseException:
        database.close()
        raise
    return database


def file_problems(path: Path, full: bool = True) -> list[str]:
    """``PRAGMA integrity_check`` (or ``quick_check``) on a read-only connection: [] when the file is sound.

    A file SQLite cannot read at all ("file is not a database", "disk image is malformed") is one problem;
    nothing here raises for a damaged file, and nothing is written to it.
    """
    try:  # in a read-only folder too (ReadOnlyFolder where its changes cannot be read: none is called damage)
        conn = connect_read_only(Path(path), timeout=30)
    except sqlite3.OperationalError as exc:
        return [f"cannot open: {exc}"]
    except sqlite3.DatabaseError as exc:  # read as it opened ("file is not a database"): as the check says it
        return [str(exc)]
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
        result = [str(r[0]) for r in rows]
        return [] if result == ["ok"] else result
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


def damage_line(path: Path, problems: list[str]) -> str:
    """One line for a damaged database file, with what to do about it."""
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    first = " ".join(problems[0].replace("*** in database main ***", "").split())  # SQLite's may span lines
    return (f"{Path(path).name} is damaged: {first[:160]}{more}; restore the latest backup "
            "(dermadesk restore FILE.zip)")


DATABASE_ERRORS = (sqlite3.Error,)  # for layers above storage, which do not import sqlite3 themselves
IN_USE = ("database is locked", "database is busy", "database table is locked")
CANNOT_WRITE = ("disk i/o error", "database or disk is full", "unable to open database file",
                "attempt to write a readonly database", "readonly database")
LOW_SPACE = 1 << 20  # bytes free below which "disk I/O error" is the disk being full


def access_problem(exc: BaseException, path: Path) -> str | None:
    """What is wrong around a sound register file when SQLite refuses it (in use, disk full, read-only), in
    words that do not send anyone to a backup; None when the error says nothing of the kind."""
    text, folder = str(exc).lower(), Path(path).parent
    if any(words in text for words in IN_USE):
        return (f"the register is in use by another DermaDesk or command ({exc}); wait for it or close it, "
                "then try again. Nothing is damaged")
    if not any(words in text for words in CANNOT_WRITE):
        return None
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if free is not None and free < LOW_SPACE:
        return (f"the disk holding {folder} is full ({size_text(free)} free; {exc}): free some space and try "
                "again. The register is not damaged")
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except (OSError, AttributeError):  # no statvfs on Windows
        read_only = not os.access(folder, os.W_OK)
    if read_only:
        return f"the data folder {folder} is read-only ({exc}): make it writable and try again"
    return None


def explain_db_error(exc: BaseException, path: Path) -> str:
    """One line for an SQLite error on the register at ``path``: in use, disk full or read-only as such; damage
    (and the advice to restore) only where a check of the file finds it."""
    if (problem := access_problem(exc, path)) is not None:
        return problem
    problems = file_problems(path, full=False) if Path(path).is_file() else [str(exc)]
    if problems:
        return damage_line(path, problems)
    return (f"the register could not be read or written ({exc}), but its file checks sound: check the disk "
            "and try again ('dermadesk db check' tells more)")
