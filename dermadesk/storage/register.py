"""The register: one data directory holding the SQLite file, the image store and settings."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from dermadesk.config import IMAGES_DIR, REGISTER_FILE
from dermadesk.files import FileLock, private_dir
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import MIGRATIONS, applied, migrate
from dermadesk.storage.read_only import ReadOnlyFolder, cannot_write, wait_for_restore
from dermadesk.storage.identity import bind_to_machine
from dermadesk.storage.images import ImageStore
from dermadesk.storage.assessments import Assessments
from dermadesk.storage.repositories import Audit, Captures, Comparisons, Lesions, Patients
from dermadesk.storage.in_use import InUse, others_using
from dermadesk.storage.lost_register import NEW_ANYWHERE, refuse_lost_register
from dermadesk.storage.restore import JOURNAL, LOCK_FILE, recover_interrupted_restore

KNOWN = frozenset(m.__name__ for m in MIGRATIONS)


class Register:
    """Repositories over one database plus the image store beside it.

    Opening first finishes a restore that a crash interrupted, and refuses to create an empty register
    where earlier data lies beside the missing one (the message names the folder), or where ``new`` allows none
    (``storage.lost_register``: a command that only reads, a folder that is not there); ``created`` says that
    this open made a new, empty register. Its workstation identity is tied to this machine; on another machine it
    takes a new one (``identity_note`` says so).

    In a folder this account cannot write (``read_only`` says why), the register is read as it is (``open_read_only``)
    and every change is refused before anything is done (``storage.read_only.ReadOnlyFolder``).
    """

    def __init__(self, data_dir: Path, database: Database | None = None, new: str = NEW_ANYWHERE) -> None:
        self.data_dir = Path(data_dir)
        self.created = False
        self.recovered: str | None = None
        self.in_use: InUse | None = None
        self.identity_note: str | None = None
        # why this account cannot write the folder: the register is read as it is there, every change refused
        self.read_only = database.read_only if database is not None else cannot_write(self.data_dir)
        if database is not None:
            if not self.read_only:
                private_dir(self.data_dir)
            self.database = database
        elif self.read_only:
            self.database = open_read_only(self.data_dir, self.read_only, new)
        else:
            self.recovered = recover_interrupted_restore(self.data_dir)
            refuse_lost_register(self.data_dir, new)
            self.created = not (self.data_dir / REGISTER_FILE).exists()
            private_dir(self.data_dir)
            self.database = open_db(self.data_dir / REGISTER_FILE)
            # marked open, so that no restore replaces the files under it (waits for one running)
            with FileLock(self.data_dir / LOCK_FILE):
                self.in_use = InUse(self.data_dir)
            self.identity_note = bind_to_machine(self.database)
        self.images = ImageStore(self.data_dir / IMAGES_DIR)
        self.audit = Audit(self.database)
        self.patients = Patients(self.database, self.audit)
        self.lesions = Lesions(self.database, self.audit)
        self.captures = Captures(self.database, self.audit)
        self.assessments = Assessments(self.database, self.audit)
        self.comparisons = Comparisons(self.database, self.audit)

    def close(self) -> None:
        self.database.close()
        if self.in_use is not None:
            self.in_use.release()
            self.in_use = None

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_read_only(data_dir: Path, why: str, new: str = NEW_ANYWHERE) -> Database:
    """The register in a folder this account cannot write (``why``), read as it is: nothing is made, locked, tied to
    this machine or changed there. Refused where opening it would have to write: an interrupted restore to finish,
    no register to read (none can be made there), one made by an earlier DermaDesk that is updated as it opens
    (ReadOnlyFolder, saying what to do); a lost register or a newer one as every open refuses them."""
    if (data_dir / JOURNAL).exists():
        raise ReadOnlyFolder(
            data_dir,
            why,
            "a restore into it was interrupted, and finishing it writes there; nothing was read",
            to="finish it",
        )
    refuse_lost_register(data_dir, new)
    if not (data_dir / REGISTER_FILE).exists():
        raise ReadOnlyFolder(
            data_dir,
            why,
            f"it holds no {REGISTER_FILE}, and none can be made there; nothing was created",
            to="start a register",
        )
    wait_for_restore(data_dir)
    database = Database(data_dir / REGISTER_FILE, read_only=why)
    try:
        done = applied(database.db)
        if any(m.__name__ not in done for m in MIGRATIONS) and all(n in KNOWN for n in done):
            raise ReadOnlyFolder(
                data_dir,
                why,
                "its register was made by an earlier DermaDesk and is updated as it "
                "opens, which writes to it; nothing was read",
                to="open it",
            )
        migrate(database.db)  # nothing left to apply: writes nothing, and refuses a register of a newer DermaDesk
    except BaseException:
        database.close()
        raise
    return database


# what opening a new register makes in its folder: the database with its journal files, the restore lock, images
NEW_REGISTER_NAMES = (
    *(REGISTER_FILE + end for end in ("", "-wal", "-shm", "-journal")),
    LOCK_FILE,
    IMAGES_DIR,
)


def names_before(data_dir: Path) -> frozenset[str] | None:
    """The names in ``data_dir`` before a register is made there, for ``remove_unused``; None: no folder there. A
    folder that cannot be listed counts as holding everything a register makes, so nothing is removed from it."""
    try:
        return frozenset(os.listdir(data_dir))
    except FileNotFoundError:
        return None
    except OSError:
        return frozenset(NEW_REGISTER_NAMES)


def remove_unused(register: Register, before: frozenset[str] | None) -> list[str]:
    """Close ``register``, which this process just made (``created``), and remove it again where it holds no record
    (no patient, lesion, capture, assessment or comparison: what was to go in it failed) and nobody else has it
    open: the files and folders of ``NEW_REGISTER_NAMES`` that were not in its folder ``before`` (``names_before``;
    an image folder made by the failed write with what it stored), and the folder itself where it was not there
    and is left empty. Never a name that was there before. Returns the names removed (none where it is kept)."""
    from dermadesk.storage.migrations import UID_TABLES

    data_dir = register.data_dir
    try:
        empty = register.created and not any(
            register.database.one(f"SELECT 1 FROM {table} LIMIT 1") for table in UID_TABLES
        )
    except (sqlite3.Error, OSError):  # it cannot be read: kept, for a person to look at
        empty = False
    register.close()
    if not empty or others_using(data_dir):
        return []
    removed = []
    for name in NEW_REGISTER_NAMES:
        path = data_dir / name
        if (before is not None and name in before) or not os.path.lexists(path):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:  # still open elsewhere (Windows): left as it is
            continue
        removed.append(name)
    if before is None:
        try:
            data_dir.rmdir()  # only where nothing else is in it
            removed.append(str(data_dir))
        except OSError:
            pass
    return removed
