"""What a register in another folder holds, read without opening it as the register: before the app is told to
use that folder from its next start (Settings > Data directory), nothing there is upgraded, tied to this machine,
marked in use or otherwise written."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dermadesk.config import REGISTER_FILE
from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.backup import DELETED_SQL
from dermadesk.storage.identity import RegisterIdentity, identity_of
from dermadesk.storage.migrations import MIGRATIONS


@dataclass(frozen=True)
class RegisterPeek:
    """A register's patients (the deleted ones apart), which register it is, and its newest audit row."""

    patients: int  # all, the deleted ones included (as ``services.restore_text.patients_text`` takes them)
    deleted: int
    identity: RegisterIdentity | None
    last_change: str = ""  # ISO date-time ("" where none is recorded)
    last_actor: str = ""


def peek_register(data_dir: Path) -> RegisterPeek:
    """What ``data_dir``'s register file holds, read only; IntegrityError (one line, naming the file) where it
    cannot be read as a register, or was written by a newer DermaDesk (the app would refuse it at its start)."""
    path = Path(data_dir) / REGISTER_FILE
    # No write-ahead log beside it: nobody has it open, the file is the whole register, read as it is (a read-only
    # open would leave a -wal and a -shm file behind). With one, as any reader does (they are there already).
    alone = not path.with_name(REGISTER_FILE + "-wal").exists()
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{'immutable=1' if alone else 'mode=ro'}", uri=True, timeout=10
        )
    except (sqlite3.Error, OSError, ValueError) as exc:
        raise IntegrityError(f"{path} cannot be read ({exc})") from exc
    try:
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        done = [str(r[0]) for r in conn.execute("SELECT name FROM _migrations")] if "_migrations" in tables else []
        known = {m.__name__ for m in MIGRATIONS}
        if any(name not in known for name in done):
            raise IntegrityError(f"{path} was written by a newer DermaDesk; update DermaDesk to open it")
        if "patients" not in tables:
            return RegisterPeek(0, 0, None)
        patients = int(conn.execute("SELECT count(*) FROM patients").fetchone()[0])
        deleted = int(conn.execute(DELETED_SQL["patients"]).fetchone()[0])
        last = None
        if "audit_log" in tables:
            last = conn.execute("SELECT at, actor FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        return RegisterPeek(
            patients, deleted, identity_of(conn), str(last[0]) if last else "", str(last[1]) if last else ""
        )
    except sqlite3.Error as exc:
        raise IntegrityError(f"{path} cannot be read as a register ({exc}); 'dermadesk db check' says more") from exc
    finally:
        conn.close()
