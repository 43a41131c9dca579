"""The workstation identity of a register, tied to the machine it was made on.

A register copied to another machine (a backup restored there, a copied data folder) must not go on speaking
for the machine it came from: packages exported from the copy would claim to come from the clinic. So the
register's own workstation row records the machine it belongs to (a digest of the OS machine id, or of a
random id kept in the user's config folder where there is none); when the register is opened on another
machine it takes a new identity there, and the old one stays in ``workstations`` as a known workstation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from dermadesk.storage.db import Database

MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def _config_machine_id() -> str:
    """A random id kept in the user's config folder (machines without an OS machine id: Windows, macOS)."""
    import platformdirs

    path = Path(platformdirs.user_config_dir("DermaDesk", appauthor=False)) / "machine-id"
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    except OSError:
        pass
    text = str(uuid.uuid4())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    except OSError:
        return f"node:{uuid.getnode()}"  # nowhere to keep one: the network card's address
    return text


def machine_id() -> str:
    """This machine, as a digest (the raw OS machine id is not stored in registers)."""
    raw = ""
    for path in MACHINE_ID_FILES:
        try:
            raw = path.read_text(encoding="utf-8").strip()
        except OSError:
            continue
        if raw:
            break
    raw = raw or _config_machine_id()
    return hashlib.sha256(f"dermadesk machine\n{raw}".encode()).hexdigest()[:32]


def bind_to_machine(db: Database) -> str | None:
    """Tie the register's identity to this machine; on another machine give it a new one. Returns a line saying
    so when the identity changed, else None."""
    here = machine_id()
    row = db.one("SELECT uid, machine FROM workstations WHERE is_self = 1")
    if row is not None and row[1] == here:
        return None
    with db.transaction() as conn:
        row = conn.execute("SELECT uid, machine FROM workstations WHERE is_self = 1").fetchone()
        if row is not None and row[1] == here:
            return None
        if row is not None and row[1] is None:  # made before identities were tied to machines: it is this one's
            conn.execute("UPDATE workstations SET machine = ? WHERE is_self = 1", (here,))
            return None
        conn.execute("UPDATE workstations SET is_self = 0 WHERE is_self = 1")
        new = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO workstations (uid, hostname, is_self, first_seen, machine) VALUES (?, ?, 1, ?, ?)",
            (new, socket.gethostname() or "unknown", dt.datetime.now(dt.timezone.utc).isoformat(), here),
        )
    if row is None:
        return None
    return (
        f"this register was made on another machine (workstation {str(row[0])[:8]}); it has a new workstation "
        f"identity here ({new[:8]}), the old one stays known"
    )


@dataclass(frozen=True)
class RegisterIdentity:
    """Which register a database is: its workstation identity now, and every identity it has had (the ones it had
    on the machines it was on before, as a backup restored or a copied folder; never a workstation it only
    imported patients from)."""

    uid: str
    hostname: str
    own: frozenset[str]  # ``uid`` and its earlier identities

    @property
    def name(self) -> str:
        """'workstation laptop-2 (6f1c2a3b)', as a transfer names where a package comes from."""
        return f"workstation {self.hostname} ({self.uid[:8]})"

    def same_register(self, other: RegisterIdentity) -> bool:
        """True when the two share an identity: the same register, or a copy of it (on another machine, later)."""
        return bool(self.own & other.own)


def identity_of(conn: sqlite3.Connection) -> RegisterIdentity | None:
    """The register identity of an open database; None for one without it (made before transfer ids, or not
    readable)."""
    try:
        row = conn.execute("SELECT uid, hostname FROM workstations WHERE is_self = 1").fetchone()
        if row is None:
            return None
        tied = "machine" in {r[1] for r in conn.execute("PRAGMA table_info(workstations)")}  # schema 9 on
        earlier = conn.execute("SELECT uid FROM workstations WHERE machine IS NOT NULL").fetchall() if tied else []
    except sqlite3.Error:
        return None
    return RegisterIdentity(str(row[0]), str(row[1]), frozenset({str(row[0])} | {str(r[0]) for r in earlier}))


def identity_of_file(path: Path) -> RegisterIdentity | None:
    """``identity_of`` a database file, read only (a backup's, unpacked); None when there is none or it cannot
    be read."""
    try:
        conn = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        return identity_of(conn)
    finally:
        conn.close()
