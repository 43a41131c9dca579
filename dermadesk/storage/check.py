"""``db check``: SQLite integrity, foreign keys, the audit chain, every image present with its hash, orphan files."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path


from dermadesk.config import REGISTER_FILE
from dermadesk.domain.errors import IntegrityError
from dermadesk.files import FileLock, make_tree_private
from dermadesk.storage.audit_chain import verify_chain
from dermadesk.storage.db import Database, damage_line, file_problems  # noqa: F401 - re-exported for db check
from dermadesk.storage.register import Register
from dermadesk.storage.restore import LOCK_FILE, STAGING_PREFIX
from dermadesk.storage.transfer import TEMP_PREFIX as TRANSFER_TEMP_PREFIX


@dataclass
class CheckReport:
    integrity: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)  # hash-chain breaks: rows changed, removed or reordered
    audit_rows: int = 0
    audit_head: str = ""  # the last row's hash: note it elsewhere to detect a rewritten chain later
    missing_images: list[str] = field(default_factory=list)  # "capture 12: sha..."
    damaged_images: list[str] = field(default_factory=list)
    duplicate_mrns: list[str] = field(default_factory=list)  # MRNs equal ignoring case (older registers)
    orphan_files: list[str] = field(default_factory=list)  # digests with no row; harmless, cleanable
    leftover_temp_files: list[str] = field(default_factory=list)
    captures_checked: int = 0  # distinct capture images
    images_checked: int = 0  # image files: capture images and heat maps (what a backup counts as "images")
    cleaned: int = 0
    not_this_register: str = ""  # why the image files look like another register's (most belong to no capture)

    @property
    def ok(self) -> bool:
        """Orphan and temporary files and case-duplicate MRNs are reported but do not fail the check, unless the
        orphans outnumber the images in use: then the register file was likely replaced or made anew (counting
        only orphans older than the register file or an hour old: a crashed import's fresh files are leftovers)."""
        return not (self.integrity or self.foreign_keys or self.audit or self.missing_images
                    or self.damaged_images or self.not_this_register)

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, **self.__dict__}


STALE_AFTER = 3600.0  # seconds: a file younger than this may belong to an import, restore or transfer running now


def _stale(path: Path) -> bool:
    """Untouched for over STALE_AFTER (a file gone meanwhile is not stale: there is nothing to remove)."""
    try:
        return path.stat().st_mtime < time.time() - STALE_AFTER
    except FileNotFoundError:
        return False


def _leftover_staging(data_dir: Path) -> list[Path]:
    """Staging folders of interrupted restores, and decrypted copies of transfer packages left by an import
    that was killed (those over an hour old: a package being read now is younger)."""
    return sorted(p for p in data_dir.glob(STAGING_PREFIX + "*") if p.is_dir()) + sorted(
        p for p in data_dir.glob(TRANSFER_TEMP_PREFIX + "*") if p.is_dir() and _stale(p))


def _created(db: Database) -> float | None:
    """When the register file was made (its first migration), as a timestamp; None where that is not recorded."""
    try:
        first = next(iter(db.query("SELECT min(applied_at) FROM _migrations")))
        return dt.datetime.fromisoformat(first[0]).timestamp() if first[0] else None
    except (sqlite3.DatabaseError, ValueError, TypeError, StopIteration):
        return None


def _settled(path: Path, created: float | None) -> bool:
    """An orphan that is not an import's fresh leftover: older than the register file itself (an earlier
    register's), or untouched for over STALE_AFTER. A crashed or cancelled import's files are neither at once."""
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return False
    return mtime < time.time() - STALE_AFTER or (created is not None and mtime < created)


def not_this_register(orphans: int, in_use: int) -> str:
    """Why image files that outnumber those the register uses (or exist where it has no capture) look like an
    earlier register's, not an import's leftovers: "" when they do not."""
    if not orphans or orphans <= in_use:
        return ""
    return (f"{orphans} of the {orphans + in_use} image files here belong to no capture of this register: was "
            f"{REGISTER_FILE} replaced by another, or made anew? Those images may be an earlier register's; put "
            "its register file back, or restore a backup")


def check_register(register: Register, clean: bool = False, force: bool = False) -> CheckReport:
    """Check the register; with ``clean`` delete orphan and temporary files (never referenced data) untouched
    for an hour: an import in another process stores its images before the rows that refer to them. Where the
    orphans outnumber the images in use (``not_this_register``), ``clean`` deletes nothing and raises
    IntegrityError unless ``force``: those may be every image of a register whose file was lost."""
    report = CheckReport()
    db = register.database
    try:
        result = [r[0] for r in db.query("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    report.integrity = [] if result == ["ok"] else result
    if report.integrity:
        return report  # nothing else can be trusted in a damaged file
    report.foreign_keys = [f"{r[0]} row {r[1]} → {r[2]}" for r in db.query("PRAGMA foreign_key_check")]
    report.audit_rows, report.audit_head, report.audit = verify_chain(
        dict(r) for r in db.query("SELECT * FROM audit_log ORDER BY id"))
    groups: dict[str, list[tuple[int, str]]] = {}
    for r in db.query("SELECT id, mrn FROM patients WHERE mrn COLLATE NOCASE IN (SELECT mrn FROM patients "
                      "GROUP BY mrn COLLATE NOCASE HAVING count(*) > 1) ORDER BY id"):
        groups.setdefault(r[1].lower(), []).append((r[0], r[1]))
    report.duplicate_mrns = [" = ".join(m for _, m in g) + f" (patients {', '.join(str(i) for i, _ in g)})"
                             for g in groups.values()]
    referenced: dict[str, str] = {}
    for row in db.query("SELECT id, image_sha256 FROM captures"):
        referenced[row[1]] = f"capture {row[0]}"
    for row in db.query("SELECT id, cam_sha256 FROM assessments WHERE cam_sha256 IS NOT NULL"):
        referenced.setdefault(row[1], f"assessment {row[0]} heat map")
    for sha, owner in referenced.items():
        if not register.images.exists(sha):
            report.missing_images.append(f"{owner}: {sha}")
        elif not register.images.verify(sha):
            report.damaged_images.append(f"{owner}: {sha}")
        report.captures_checked += owner.startswith("capture")
    report.images_checked = len(referenced)
    if register.images.root.is_dir() and not register.read_only:  # earlier versions' images were readable by others
        make_tree_private(register.images.root)
    report.orphan_files = sorted(sha for sha in register.images if sha not in referenced)
    report.leftover_temp_files = ([str(p) for p in register.images.leftovers()]
                                  + [str(p) for p in _leftover_staging(register.data_dir)])
    in_use = len(referenced) - len(report.missing_images)
    created = _created(db)
    settled = [sha for sha in report.orphan_files if _settled(register.images.path(sha), created)]
    report.not_this_register = not_this_register(len(settled), in_use)
    if clean and report.not_this_register and not force:
        raise IntegrityError(f"not cleaned: {report.not_this_register}; if you are sure that this register is the "
                             "right one and the files are left over, give --force with --clean; nothing was deleted")
    if clean:
        removed = kept = 0
        for sha in report.orphan_files:
            if _stale(register.images.path(sha)):
                register.images.delete(sha)
                removed += 1
            else:
                kept += 1
        report.not_this_register = not_this_register(kept, in_use)  # forced: only those left count now
        for path in register.images.leftovers():
            if _stale(path):
                path.unlink(missing_ok=True)
                removed += 1
        lock = FileLock(register.data_dir / LOCK_FILE)
        if lock.try_acquire():  # a restore running now holds the lock: its staging folder stays
            try:
                for folder in _leftover_staging(register.data_dir):
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
            finally:
                lock.release()
        report.cleaned = removed
    return report
