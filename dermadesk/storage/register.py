"""The register: one data directory holding the SQLite file, the image store and settings."""

from __future__ import annotations

from pathlib import Path

from dermadesk.config import IMAGES_DIR, REGISTER_FILE
from dermadesk.files import FileLock, private_dir
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.identity import bind_to_machine
from dermadesk.storage.images import ImageStore
from dermadesk.storage.repositories import Assessments, Audit, Captures, Comparisons, Lesions, Patients
from dermadesk.storage.in_use import InUse
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
