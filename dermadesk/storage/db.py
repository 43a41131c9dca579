"""Opening the register: pragmas, migrations, explicit transactions."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

import sqlite_utils

from dermadesk.storage.migrations import migrate


def utc_now() -> str:
    """UTC timestamp, ISO 8601 with milliseconds."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


class Database:
    """A sqlite-utils database in autocommit mode with explicit, nestable transactions.

    sqlite-utils' write helpers commit on their own, so all writes go through ``transaction()``
    and plain SQL; sqlite-utils is used for schema work (migrations, FTS) and queries.
    """

    def __init__(self, path: Path, busy_timeout_ms: int = 5000, check_same_thread: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                               check_same_thread=check_same_thread)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._depth = 0
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; nested calls join the outer one."""
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
