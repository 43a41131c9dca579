"""Damaged and hostile backup archives, built from a good one (for ``bench.faults`` and the tests).

Each builder reproduces one way an archive can lie: changed bytes with a matching checksum, member
names that escape the data directory, a declared size far beyond the real one (a zip bomb), a
settings file that is not an object, malformed manifests and databases, an empty register.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.config import REGISTER_FILE, SETTINGS_FILE
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.storage.archive import MANIFEST
from dermadesk.storage.register import Register

Members = dict[str, bytes]


def fill_register(data_dir: Path, patients: int = 3, captures: int = 2, seed: int = 0) -> int:
    """A small register: ``patients`` patients, one lesion each with ``captures`` synthetic captures (no model);
    returns the number of captures."""
    total = 0
    with tempfile.TemporaryDirectory(prefix="dermadesk-fill-") as tmp, Register(data_dir) as reg:
        images = Path(tmp)
        for p in range(patients):
            patient = reg.patients.add("bench", f"F-{seed}-{p}", f"Fault Trial {p}")
            lesion = reg.lesions.add("bench", patient.id, "anterior torso")
            files = []
            for c in range(captures):
                path = images / f"p{p}c{c}.jpg"
                path.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=seed * 1000 + p * 10 + c), 160, 120)))
                files.append(path)
            total += len(import_files(reg, "bench", lesion.id, files, CaptureMeta(taken_at="2026-01-01"),
                                      compare=False).captures)
    return total


def read_members(archive: Path) -> tuple[Members, dict]:
    with zipfile.ZipFile(archive) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != MANIFEST}
        manifest = json.loads(zf.read(MANIFEST))
    return members, manifest


def write_archive(path: Path, members: Members, manifest: dict | bytes | None = None, rehash: bool = True,
                  duplicate: str | None = None) -> Path:
    """Write members and a manifest (hashes recomputed unless ``rehash`` is False; raw bytes kept as given)."""
    if isinstance(manifest, dict) and rehash:
        manifest = {**manifest, "files": {n: hashlib.sha256(d).hexdigest() for n, d in members.items()}}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        if duplicate:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                zf.writestr(duplicate, members[duplicate])
        if manifest is not None:
            zf.writestr(MANIFEST, manifest if isinstance(manifest, bytes) else json.dumps(manifest))
    return path


def patch_declared_size(path: Path, name: str, size: int) -> None:
    """Overwrite a member's uncompressed size in its local and central headers (a zip bomb's lie)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
        start_dir = zf.start_dir  # type: ignore[attr-defined]
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 22, size)
    pos = start_dir
    while data[pos:pos + 4] == b"PK\x01\x02":
        nlen, elen, clen = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46:pos + 46 + nlen].decode() == name:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 46 + nlen + elen + clen
    path.write_bytes(bytes(data))


def _db_edit(members: Members, sql: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / REGISTER_FILE
        db.write_bytes(members[REGISTER_FILE])
        conn = sqlite3.connect(db)
        conn.executescript(sql)
        conn.close()
        return db.read_bytes()


def _overwrite_page(db_bytes: bytes, table: str = "patients") -> bytes:
    """4 KiB of the page holding ``table``'s rows overwritten with junk."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "x.sqlite3"
        db.write_bytes(db_bytes)
        conn = sqlite3.connect(db)
        root, page_size = conn.execute(f"SELECT rootpage FROM sqlite_master WHERE name = '{table}'").fetchone()[0], \
            conn.execute("PRAGMA page_size").fetchone()[0]
        conn.close()
    data = bytearray(db_bytes)
    offset = (root - 1) * page_size
    data[offset:offset + 4096] = os.urandom(4096)
    return bytes(data)


def crafted_archives(good: Path, empty: Path, out: Path) -> dict[str, tuple[Path, bool]]:
    """name -> (archive, restored only with --force); every one must be refused without --force."""
    out.mkdir(parents=True, exist_ok=True)
    members, manifest = read_members(good)
    image = sorted(n for n in members if n.startswith("images/"))[0]
    made: dict[str, tuple[Path, bool]] = {}

    def add(name: str, build: Callable[[Path], object], force_ok: bool = False) -> None:
        path = out / f"{name}.zip"
        build(path)
        made[name] = (path, force_ok)

    changed = members[image][:-1] + bytes([members[image][-1] ^ 0xFF])
    add("image-and-checksum-changed", lambda p: write_archive(p, {**members, image: changed}, manifest))
    renamed_sha = hashlib.sha256(changed).hexdigest()
    renamed = {n: d for n, d in members.items() if n != image}
    renamed[f"images/{renamed_sha[:2]}/{renamed_sha[2:4]}/{renamed_sha}"] = changed
    add("image-renamed-to-its-new-hash", lambda p: write_archive(p, renamed, manifest))
    add("image-missing", lambda p: write_archive(p, {n: d for n, d in members.items() if n != image}, manifest))
    add("parent-path", lambda p: write_archive(p, {**members, "../escaped.txt": b"x"}, manifest))
    add("absolute-path", lambda p: write_archive(p, {**members, "/tmp/dermadesk-escaped.txt": b"x"}, manifest))
    add("subfolder", lambda p: write_archive(p, {**members, "sub/" + REGISTER_FILE: members[REGISTER_FILE]},
                                             manifest))
    add("duplicate-member", lambda p: write_archive(p, members, manifest, duplicate=image))
    junk = b"\0" * (1 << 20)
    junk_sha = "ab" * 32

    def zip_bomb(p: Path) -> None:
        files = {**members, f"images/ab/ab/{junk_sha}": junk}
        write_archive(p, files, {**manifest, "files": {**manifest["files"], f"images/ab/ab/{junk_sha}": junk_sha}},
                      rehash=False)
        patch_declared_size(p, f"images/ab/ab/{junk_sha}", 0xF000_0000)  # "4 GiB" from a 1 MiB member
    add("zip-bomb-4gib-member", zip_bomb)
    add("understated-size", lambda p: (write_archive(p, members, manifest),
                                       patch_declared_size(p, REGISTER_FILE, 100)))
    add("settings-not-an-object", lambda p: write_archive(p, {**members, SETTINGS_FILE: b"[]"}, manifest))
    add("settings-not-json", lambda p: write_archive(p, {**members, SETTINGS_FILE: b"{oops"}, manifest))
    add("manifest-a-list", lambda p: write_archive(p, members, b"[]"))
    add("manifest-not-json", lambda p: write_archive(p, members, b"\xff\xfe not json"))
    add("manifest-files-a-list", lambda p: write_archive(p, members, {**manifest, "files": []}, rehash=False))
    add("manifest-bad-checksum-type", lambda p: write_archive(
        p, members, {**manifest, "files": {n: 5 for n in members}}, rehash=False))
    add("manifest-missing", lambda p: write_archive(p, members, None))
    add("manifest-schema-mismatch", lambda p: write_archive(p, members, {**manifest, "schema_version": 99}))
    add("manifest-schema-a-string", lambda p: write_archive(p, members, {**manifest, "schema_version": "7"}))
    add("counts-mismatch", lambda p: write_archive(p, members, {**manifest, "counts": {
        **manifest.get("counts", {}), "patients": 99}}))
    add("database-junk", lambda p: write_archive(p, {**members, REGISTER_FILE: os.urandom(8192)}, manifest))
    add("database-page-overwritten", lambda p: write_archive(
        p, {**members, REGISTER_FILE: _overwrite_page(members[REGISTER_FILE])}, manifest))
    add("database-not-a-register", lambda p: write_archive(
        p, {**members, REGISTER_FILE: _db_edit(members, "DROP TABLE _migrations;")}, manifest))
    add("not-a-zip", lambda p: p.write_bytes(b"PK\x03\x04 this is not a zip archive"))
    add("empty-register", lambda p: p.write_bytes(empty.read_bytes()), force_ok=True)
    return made
