"""A backup archive read defensively: its manifest, its member names and sizes, streamed hashing.

Nothing in an archive is trusted: the manifest must be a JSON object of the expected shape, every
member name must be one DermaDesk writes (``register.sqlite3``, ``settings.json``,
``images/ab/cd/<sha256>``), every declared size must fit the limits before a byte is written, and
actual sizes are counted while reading, so a zip bomb or a junk member never reaches the disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable

from dermadesk.config import IMAGES_DIR, REGISTER_FILE, SETTINGS_FILE
from dermadesk.domain.errors import IntegrityError, NotFoundError
from dermadesk.domain.text import counted, limit_text, size_text
from dermadesk.storage.sealed import starts_with

MANIFEST = "MANIFEST.json"
# Limits on what a backup's members declare, round decimal figures as refusals say them ("over the 300 MB limit";
# each at least the binary one it replaced: 64 MiB, 256 MiB, 1 MiB, 64 GiB, 1 TiB)
MAX_MANIFEST_BYTES = 70 * 10**6
MAX_IMAGE_BYTES = 300 * 10**6  # imports stop at 200 MB; heat maps are small
MAX_SETTINGS_BYTES = 2 * 10**6
MAX_DATABASE_BYTES = 70 * 10**9
MAX_TOTAL_BYTES = 2 * 10**12  # 2 TB; the free space on the target disk is checked as well
FREE_SPACE_MARGIN = 256 * 2**20
SHA256 = re.compile(r"[0-9a-f]{64}")
IMAGE_NAME = re.compile(rf"{IMAGES_DIR}/([0-9a-f]{{2}})/([0-9a-f]{{2}})/([0-9a-f]{{64}})")
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Member:
    name: str  # as in the archive, validated
    sha256: str  # from the manifest
    size: int  # declared (uncompressed) size

    @property
    def is_image(self) -> bool:
        return self.name.startswith(IMAGES_DIR + "/")


ZIP_START = b"PK\x03\x04"  # the first bytes of every zip file DermaDesk writes


def unreadable(exc: BaseException, path: Path | None = None) -> str:
    """Why a backup cannot be read, in plain words and never Python's name for the error: "not a zip file" (a
    photograph picked by mistake), "damaged or cut short" (``path`` starts as a zip but its end, where a zip lists
    its contents, is missing: copied only in part), "the file ends too early", else the reader's own words
    starting lower-case ("bad CRC-32 for file ..."), at most 160 characters."""
    text = str(exc).strip()
    if isinstance(exc, zipfile.BadZipFile) and text in ("", "File is not a zip file"):
        if path is not None and starts_with(path, ZIP_START):
            return "the file is damaged or cut short: it may have been copied only in part; use another copy"
        return "not a zip file"
    if isinstance(exc, EOFError) or text.startswith("Truncated"):
        return "the file ends too early: it may have been copied only in part"
    if isinstance(exc, zlib.error):
        return "its compressed data is damaged"
    if isinstance(exc, (KeyError, TypeError, AttributeError)) or not text:
        return "its contents are not laid out as a DermaDesk backup's"
    return (text[:1].lower() + text[1:] if text[1:2].islower() else text)[:160]


def refuse(archive: Path, message: str) -> IntegrityError:
    return IntegrityError(f"{Path(archive).name}: {message}; nothing was changed")


def require_backup_file(archive: Path) -> None:
    """NotFoundError "backup file not found: PATH" for a missing file, IntegrityError for a folder: said first, in
    the words of the file asked for (never the system's "No such file or directory")."""
    if os.path.isdir(archive):
        raise IntegrityError(f"{archive} is a folder, not a backup file; nothing was changed")
    if not os.path.exists(archive):  # os.path: a name too long is not found either, never an OSError
        raise NotFoundError(f"backup file not found: {archive}")


def read_manifest(zf: zipfile.ZipFile, archive: Path) -> dict:
    """The manifest as a dict with a ``files`` mapping of member name to sha256; IntegrityError otherwise."""
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise refuse(archive, f"a zip file, but not a DermaDesk backup (no {MANIFEST}): choose a .zip made by "
                              "DermaDesk's Back up") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise refuse(archive, f"{MANIFEST} declares {size_text(info.file_size)}, over the "
                              f"{limit_text(MAX_MANIFEST_BYTES)} limit")
    with zf.open(info) as fh:
        raw = fh.read(MAX_MANIFEST_BYTES + 1)
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise refuse(archive, f"{MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise refuse(archive, f"{MANIFEST} is not a JSON object")
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise refuse(archive, f"{MANIFEST} has no list of files")
    for name, sha in files.items():
        if not isinstance(sha, str) or not SHA256.fullmatch(sha):
            raise refuse(archive, f"{MANIFEST} gives no valid sha256 for {str(name)[:80]!r}")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refuse(archive, f"{MANIFEST} has no valid schema_version")
    counts = manifest.get("counts", {})
    if not isinstance(counts, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in counts.items()):
        raise refuse(archive, f"{MANIFEST} has malformed row counts")
    return manifest


def _name_problem(name: str, sha: str) -> str | None:
    if name in (REGISTER_FILE, SETTINGS_FILE):
        return None
    m = IMAGE_NAME.fullmatch(name)
    if m is None:
        return f"member {name[:120]!r} is not a file DermaDesk writes (absolute, parent or unexpected path)"
    if not (m.group(3).startswith(m.group(1) + m.group(2))):
        return f"image {name[:120]!r} lies in the wrong folder"
    if m.group(3) != sha:
        return f"image {m.group(3)[:12]}: the manifest's checksum does not match its name"
    return None


def members(zf: zipfile.ZipFile, archive: Path, manifest: dict, data_dir: Path | None = None,
            max_total: int = MAX_TOTAL_BYTES) -> list[Member]:
    """Every member checked by name and declared size against the manifest and the limits."""
    files: dict[str, str] = manifest["files"]
    infos = [i for i in zf.infolist() if i.filename != MANIFEST]
    names = [i.filename for i in infos]
    if len(names) != len(set(names)) or names.count(MANIFEST) or len(zf.infolist()) != len(infos) + 1:
        raise refuse(archive, "the archive holds a file name twice")
    if set(names) != set(files):
        extra, missing = sorted(set(names) - set(files)), sorted(set(files) - set(names))
        detail = (f"{counted(len(extra), 'file')} not in the manifest, e.g. {extra[0][:120]!r}" if extra else
                  f"{counted(len(missing), 'file')} of the manifest missing, e.g. {missing[0][:120]!r}")
        raise refuse(archive, f"archive contents do not match its manifest ({detail})")
    if REGISTER_FILE not in files:
        raise refuse(archive, f"the archive holds no {REGISTER_FILE}")
    out, total = [], 0
    for info in infos:
        problem = _name_problem(info.filename, files[info.filename])
        if problem:
            raise refuse(archive, problem)
        if info.is_dir() or info.flag_bits & 0x1:
            raise refuse(archive, f"member {info.filename!r} is a folder or encrypted")
        limit = (MAX_DATABASE_BYTES if info.filename == REGISTER_FILE else
                 MAX_SETTINGS_BYTES if info.filename == SETTINGS_FILE else MAX_IMAGE_BYTES)
        if info.file_size > limit:
            raise refuse(archive, f"{info.filename} declares {size_text(info.file_size)}, over the "
                                  f"{limit_text(limit)} limit for such a file")
        total += info.file_size
        out.append(Member(info.filename, files[info.filename], info.file_size))
    if total > max_total:
        raise refuse(archive, f"its files add up to {size_text(total)}, over the {limit_text(max_total)} limit")
    if data_dir is not None:
        free = shutil.disk_usage(data_dir).free
        if total + FREE_SPACE_MARGIN > free:
            raise refuse(archive, f"restoring needs {size_text(total)} but only {size_text(free)} is free on "
                                  "that disk")
    return out


def copy_member(zf: zipfile.ZipFile, archive: Path, member: Member, out: IO[bytes] | None) -> None:
    """Stream one member (to ``out``, or only hash it), counting bytes against its declared size, and
    check its sha256 against the manifest (and, for an image, against its name)."""
    h, size = hashlib.sha256(), 0
    with zf.open(member.name) as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            size += len(block)
            if size > member.size:
                raise refuse(archive, f"{member.name} is larger than it declares (a zip bomb?)")
            h.update(block)
            if out is not None:
                out.write(block)
    if size != member.size:
        raise refuse(archive, f"{member.name} is shorter than it declares")
    if h.hexdigest() != member.sha256:
        raise refuse(archive, f"{member.name} is damaged (checksum mismatch)")
