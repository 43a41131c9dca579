"""Backup: a consistent snapshot of a sound register + its images + a checksum manifest in one owner-only zip.

Restore lives in ``restore.py``; both read archives through ``archive.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import IO, Callable

from dermadesk import __version__
from dermadesk.config import IMAGES_DIR, REGISTER_FILE, SETTINGS_FILE
from dermadesk.domain.errors import IntegrityError, NotFoundError
from dermadesk.domain.text import missing_folder
from dermadesk.files import atomic_writer
from dermadesk.storage.archive import (MANIFEST, copy_member, members, read_manifest, refuse, require_backup_file,
                                       unreadable)
from dermadesk.storage.db import access_problem, file_problems
from dermadesk.storage.read_only import cannot_write, connect_read_only
from dermadesk.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from dermadesk.storage.sealed import KdfParams, SealedWriter, check_new_passphrase, is_sealed, new_header, unseal

Progress = Callable[[float, str], None]
COUNTED_TABLES = ("patients", "lesions", "captures", "assessments", "comparisons", "audit_log")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _noop(_: float, __: str) -> None:
    return None


# Rows a user does not see (deleted, or under a deleted lesion or patient), all restorable: the manifest records
# them ("deleted") so that the restore question counts what the user sees and names the deleted ones apart.
DELETED_SQL = {
    "patients": "SELECT count(*) FROM patients WHERE deleted_at IS NOT NULL",
    "lesions": "SELECT count(*) FROM lesions l JOIN patients p ON p.id = l.patient_id"
    " WHERE l.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL",
    "captures": "SELECT count(*) FROM captures c JOIN lesions l ON l.id = c.lesion_id"
    " JOIN patients p ON p.id = l.patient_id"
    " WHERE c.deleted_at IS NOT NULL OR l.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL",
}


def deleted_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Deleted (restorable) patients, lesions and captures, a deleted patient's lesions and captures included."""
    return {t: int(conn.execute(sql).fetchone()[0]) for t, sql in DELETED_SQL.items()}


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per register table (the manifest records them; restore compares)."""
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED_TABLES}


def _snapshot(src_path: Path, snapshot: Path) -> tuple[set[str], dict[str, int], dict[str, int]]:
    """Copy the live register with SQLite's backup API; refuse one failing quick_check. A register in a folder this
    account cannot write is read as it is there (``storage.read_only``)."""
    try:
        if cannot_write(src_path.parent):
            src = connect_read_only(src_path, timeout=30)
        else:
            src = sqlite3.connect(str(src_path), timeout=30)
        dst = sqlite3.connect(str(snapshot))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as exc:
        if (problem := access_problem(exc, src_path) or access_problem(exc, snapshot)) is not None:  # full, in use
            raise IntegrityError(f"not backed up: {problem}") from None
        if file_problems(src_path, full=False):
            raise IntegrityError(
                f"{REGISTER_FILE} is damaged ({exc}); not backed up. Run 'dermadesk db check'") from None
        raise IntegrityError(
            f"not backed up ({exc}); the register checks sound: check the target disk and try again") from None
    problems = file_problems(snapshot, full=False)
    if problems:
        raise IntegrityError(f"{REGISTER_FILE} fails its integrity check ({problems[0][:160]}); not backed up. "
                             "Run 'dermadesk db check'")
    conn = sqlite3.connect(str(snapshot))
    try:
        referenced = {r[0] for r in conn.execute(
            "SELECT image_sha256 FROM captures UNION SELECT cam_sha256 FROM assessments "
            "WHERE cam_sha256 IS NOT NULL").fetchall()}
        return referenced, table_counts(conn), deleted_counts(conn)
    finally:
        conn.close()


def backup(data_dir: Path, archive: Path, progress: Progress = _noop, passphrase: str | None = None,
           kdf: KdfParams | None = None) -> dict[str, object]:
    """Write ``archive`` (owner-only): a snapshot taken with SQLite's backup API (safe while the app runs),
    every referenced image, settings, and a manifest of sha256 checksums, schema version and row counts.
    With ``passphrase`` the zip is written through the sealed container (encrypted, authenticated)."""
    data_dir, archive = Path(data_dir), Path(archive)
    if passphrase is not None:
        check_new_passphrase(passphrase)
    src_path = data_dir / REGISTER_FILE
    if not src_path.is_file():
        raise IntegrityError(f"no register at {src_path} to back up")
    if not archive.parent.is_dir():  # a USB drive not mounted: never written to the local disk in its place
        raise NotFoundError(missing_folder(archive.parent))
    with tempfile.TemporaryDirectory(prefix="dermadesk-backup-") as tmp:
        snapshot = Path(tmp) / REGISTER_FILE
        referenced, counts, deleted = _snapshot(src_path, snapshot)
        files: dict[str, str] = {REGISTER_FILE: _sha256(snapshot)}
        with atomic_writer(archive, sweep=True) as raw:  # owner-only temp file, fsynced, renamed into place, or removed
            sink = SealedWriter(raw, *new_header("backup", SCHEMA_VERSION, passphrase, kdf)) if passphrase else raw
            _write_zip(sink, data_dir, snapshot, referenced, {"counts": counts, "deleted": deleted}, files, progress)
            if sink is not raw:
                sink.close()
    return {"archive": str(archive), "files": len(files), "images": len(referenced), "bytes": archive.stat().st_size,
            "encrypted": passphrase is not None, "counts": counts, "deleted": deleted}


def _write_zip(sink: IO[bytes], data_dir: Path, snapshot: Path, referenced: set[str],
               counts: dict[str, dict[str, int]], files: dict[str, str], progress: Progress) -> None:
    """The backup zip: register snapshot, settings, every referenced image, then the manifest (``counts``: its
    "counts" and "deleted" row counts)."""
    with zipfile.ZipFile(sink, "w", allowZip64=True) as zf:
        zf.write(snapshot, REGISTER_FILE, compress_type=zipfile.ZIP_DEFLATED)
        settings = data_dir / SETTINGS_FILE
        if settings.is_file():
            zf.write(settings, SETTINGS_FILE)
            files[SETTINGS_FILE] = _sha256(settings)
        for i, sha in enumerate(sorted(referenced)):
            path = data_dir / IMAGES_DIR / sha[:2] / sha[2:4] / sha
            if not path.is_file():
                raise IntegrityError(f"image {sha[:12]} is missing; run 'dermadesk db check' before "
                                     "backing up")
            name = f"{IMAGES_DIR}/{sha[:2]}/{sha[2:4]}/{sha}"
            zf.write(path, name, compress_type=zipfile.ZIP_STORED)
            files[name] = sha
            progress((i + 1) / max(len(referenced), 1), f"image {i + 1} of {len(referenced)}")
        manifest = {"app": "DermaDesk", "app_version": __version__, "schema_version": SCHEMA_VERSION,
                    "created": dt.datetime.now(dt.timezone.utc).isoformat(), **counts, "files": files}
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1))


def verify_archive(archive: Path, progress: Progress = _noop, passphrase: str | None = None,
                   register_to: Path | None = None) -> dict:
    """Check the manifest, every member's name and size, and every file's sha256, without extracting (an
    encrypted backup is decrypted into a temporary file first); returns the manifest or raises IntegrityError
    or PassphraseError (one line). With ``register_to`` the backup's database is written there as it is checked
    (to read which register it is)."""
    archive = Path(archive)
    require_backup_file(archive)
    if is_sealed(archive):
        with tempfile.TemporaryDirectory(prefix="dermadesk-verify-") as tmp:
            plain = Path(tmp) / "backup.zip"
            with open(plain, "wb") as fh:
                unseal(archive, fh, passphrase, what="backup", newest_schema=SCHEMA_VERSION)
            return _verify_zip(plain, archive, progress, register_to)
    return _verify_zip(archive, archive, progress, register_to)


def _verify_zip(path: Path, archive: Path, progress: Progress, register_to: Path | None = None) -> dict:
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = read_manifest(zf, archive)
            listed = members(zf, archive, manifest)
            for i, member in enumerate(listed):
                if register_to is not None and member.name == REGISTER_FILE:
                    with open(os.open(register_to, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                        copy_member(zf, archive, member, out)
                else:
                    copy_member(zf, archive, member, None)
                progress((i + 1) / len(listed), f"verified {i + 1} of {len(listed)}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, OSError) as exc:
        raise IntegrityError(f"{archive.name}: not a readable DermaDesk backup ({unreadable(exc, path)})") from None
    return manifest


def check_database(path: Path, archive: Path, manifest: dict) -> tuple[int, set[str]]:
    """Integrity, schema and row counts of a restore's staged database against the backup's manifest; returns
    (patients, referenced image digests)."""
    problems = file_problems(path, full=True)
    if problems:
        raise refuse(archive, f"the database in the backup fails its integrity check ({problems[0][:160]})")
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_migrations" not in tables:
            raise refuse(archive, "the database in the backup is not a DermaDesk register")
        done = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY id")]
        known = [m.__name__ for m in MIGRATIONS]
        if done != known[:len(done)]:
            newer = len(done) > len(known) or any(n not in known for n in done)
            raise refuse(archive, "this backup was made by a newer DermaDesk; update DermaDesk to restore it"
                         if newer else "the database's schema history is not one DermaDesk wrote")
        if manifest["schema_version"] != len(done):
            raise refuse(archive, f"the manifest says schema {manifest['schema_version']} but the database has "
                                  f"schema {len(done)}")
        counts = table_counts(conn)
        for table, expected in manifest.get("counts", {}).items():
            if table in counts and counts[table] != expected:
                raise refuse(archive, f"the database holds {counts[table]} {table} rows, the manifest says "
                                      f"{expected}")
        referenced = {r[0] for r in conn.execute(
            "SELECT image_sha256 FROM captures UNION SELECT cam_sha256 FROM assessments "
            "WHERE cam_sha256 IS NOT NULL")}
        return counts["patients"], referenced
    finally:
        conn.close()
