"""The register: one data directory holding the SQLite file, the image store and settings."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from dermadesk.config import IMAGES_DIR, REGISTER_FILE
from dermadesk.files import FileLock, private_dir
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.identity import bind_to_machine
from dermadesk.storage.images import ImageStore
from dermadesk.storage.assessments import Assessments
from dermadesk.storage.repositories import Audit, Captures, Comparisons, Lesions, Patients
from dermadesk.storage.in_use import InUse, others_using
from dermadesk.storage.lost_register import NEW_ANYWHERE, refuse_lost_register
from dermadesk.storage.restore import LOCK_FILE, recover_interrupted_restore


class Register:
    """Repositories over one database plus the image store beside it.

    Opening first finishes a restore that a crash interrupted, and refuses to create an empty register
    where earlier data lies beside the missing one (the message names the folder), or where ``new`` allows none
    (``storage.lost_register``: a command that only reads, a folder that is not there); ``created`` says that
    this open made a new, empty register. Its workstation identity is tied to this machine; on another machine it
    takes a new one (``identity_note`` says so).
    """

    def __init__(self, data_dir: Path, database: Database | None = None, new: str = NEW_ANYWHERE) -> None:
        self.data_dir = Path(data_dir)
        self.created = False
        if database is None:
            self.recovered = recover_interrupted_restore(self.data_dir)
            refuse_lost_register(self.data_dir, new)
            self.created = not (self.data_dir / REGISTER_FILE).exists()
        else:
            self.recovered = None
        private_dir(self.data_dir)
        self.database = database or open_db(self.data_dir / REGISTER_FILE)
        self.in_use: InUse | None = None
        if database is None:  # marked open, so that no restore replaces the files under it (waits for one running)
            with FileLock(self.data_dir / LOCK_FILE):
                self.in_use = InUse(self.data_dir)
        self.identity_note = None if database is not None else bind_to_machine(self.database)
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
