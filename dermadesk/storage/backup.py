"""Backup (consistent snapshot + images + checksum manifest in one zip) and verified restore."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

from dermadesk import __version__
from dermadesk.config import IMAGES_DIR, REGISTER_FILE, SETTINGS_FILE
from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.db import open_db
from dermadesk.storage.migrations import SCHEMA_VERSION

MANIFEST = "MANIFEST.json"
Progress = Callable[[float, str], None]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _noop(_: float, __: str) -> None:
    return None


def backup(data_dir: Path, archive: Path, progress: Progress = _noop) -> dict[str, object]:
    """Write ``archive``: a snapshot taken with SQLite's backup API (safe while the app runs)."""
    data_dir, archive = Path(data_dir), Path(archive)
    src_path = data_dir / REGISTER_FILE
    if not src_path.is_file():
        raise IntegrityError(f"no register at {src_path} to back up")
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dermadesk-backup-") as tmp:
        snapshot = Path(tmp) / REGISTER_FILE
        src = sqlite3.connect(str(src_path), timeout=30)
        dst = sqlite3.connect(str(snapshot))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        referenced = {r[0] for r in sqlite3.connect(str(snapshot)).execute(
            "SELECT image_sha256 FROM captures UNION SELECT cam_sha256 FROM assessments "
            "WHERE cam_sha256 IS NOT NULL").fetchall()}
        files: dict[str, str] = {REGISTER_FILE: _sha256(snapshot)}
        partial = archive.with_name(archive.name + ".partial")
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zf:
            zf.write(snapshot, REGISTER_FILE, compress_type=zipfile.ZIP_DEFLATED)
            settings = data_dir / SETTINGS_FILE
            if settings.is_file():
                zf.write(settings, SETTINGS_FILE)
                files[SETTINGS_FILE] = _sha256(settings)
            for i, sha in enumerate(sorted(referenced)):
                path = data_dir / IMAGES_DIR / sha[:2] / sha[2:4] / sha
                if not path.is_file():
                    raise IntegrityError(f"image {sha[:12]} is missing; run 'dermadesk db check' before backing up")
                name = f"{IMAGES_DIR}/{sha[:2]}/{sha[2:4]}/{sha}"
                zf.write(path, name, compress_type=zipfile.ZIP_STORED)
                files[name] = sha
                progress((i + 1) / max(len(referenced), 1), f"image {i + 1} of {len(referenced)}")
            manifest = {"app": "DermaDesk", "app_version": __version__, "schema_version": SCHEMA_VERSION,
                        "created": dt.datetime.now(dt.timezone.utc).isoformat(), "files": files}
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1))
        partial.replace(archive)
    return {"archive": str(archive), "files": len(files), "images": len(referenced), "bytes": archive.stat().st_size}


def verify_archive(archive: Path, progress: Progress = _noop) -> dict:
    """Check the manifest and every file's sha256; returns the manifest or raises IntegrityError."""
    try:
        with zipfile.ZipFile(archive) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            files: dict[str, str] = manifest["files"]
            names = set(zf.namelist()) - {MANIFEST}
            if names != set(files):
                raise IntegrityError(f"{archive.name}: archive contents do not match its manifest")
            for i, (name, expected) in enumerate(files.items()):
                h = hashlib.sha256()
                with zf.open(name) as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
                if h.hexdigest() != expected:
                    raise IntegrityError(f"{archive.name}: {name} is damaged (checksum mismatch)")
                progress((i + 1) / len(files), f"verified {i + 1} of {len(files)}")
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError) as exc:
        raise IntegrityError(f"{Path(archive).name}: not a readable DermaDesk backup ({exc})") from None
    return manifest


def restore(archive: Path, data_dir: Path, progress: Progress = _noop) -> dict[str, object]:
    """Verify, unpack beside the data, check the database, then swap; the old data is kept aside."""
    archive, data_dir = Path(archive), Path(data_dir)
    manifest = verify_archive(archive, lambda f, m: progress(0.5 * f, m))
    if int(manifest.get("schema_version", 0)) > SCHEMA_VERSION:
        raise IntegrityError("this backup was made by a newer DermaDesk; update DermaDesk to restore it")
    data_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(staging, [n for n in zf.namelist() if n != MANIFEST])
        staged_db = open_db(staging / REGISTER_FILE)  # also upgrades an older schema
        try:
            bad = [r[0] for r in staged_db.query("PRAGMA integrity_check")]
            if bad != ["ok"]:
                raise IntegrityError(f"the database in the backup fails its integrity check: {bad[:3]}")
        finally:
            staged_db.close()
        progress(0.8, "replacing data")
        previous = data_dir / f"previous-{stamp}"
        moved = []
        for name in (REGISTER_FILE, REGISTER_FILE + "-wal", REGISTER_FILE + "-shm", IMAGES_DIR, SETTINGS_FILE):
            if (data_dir / name).exists():
                previous.mkdir(exist_ok=True)
                (data_dir / name).replace(previous / name)
                moved.append(name)
        for name in (REGISTER_FILE, IMAGES_DIR, SETTINGS_FILE):
            if (staging / name).exists():
                (staging / name).replace(data_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    progress(1.0, "restored")
    return {"restored_from": str(archive), "previous_data": str(previous) if moved else None,
            "files": len(manifest["files"])}
