"""Verified restore: unpack into a staging folder, check everything, then switch with a journal.

The switch moves the current data into ``previous-<date>/`` and the staged data into place. Before the
first move a journal naming both folders is written (atomically); if the switch is interrupted (crash,
power cut, full disk), the next open of the data directory finishes it from the journal (the staged
data was fully verified before the journal existed). A data directory with no register but with
earlier data beside it is never silently given a new, empty register (``storage.lost_register``). A question
before the switch goes between ``stage_restore`` and ``switch_staged``, so that the archive is read once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from dermadesk.config import IMAGES_DIR, REGISTER_FILE, RESTORE_LOCK, SETTINGS_FILE
from dermadesk.domain.errors import DermaDeskError, IntegrityError
from dermadesk.files import DIR_MODE, FileLock, fsync_dir, make_tree_private, private_dir, write_private
from dermadesk.storage.archive import (FREE_SPACE_MARGIN, MAX_TOTAL_BYTES, copy_member, members, read_manifest,
                                       refuse, require_backup_file, unreadable)
from dermadesk.storage.backup import check_database
from dermadesk.storage.db import open_db
from dermadesk.storage.folder_as_found import Found, found_as_is, leave_as_found
from dermadesk.storage.in_use import others_using
from dermadesk.storage.kept_aside import PREVIOUS_PREFIX, kept_aside
from dermadesk.storage.lost_register import STAGING_PREFIX
from dermadesk.storage.read_only import ReadOnlyFolder, cannot_write
from dermadesk.storage.lesion_numbers import keep_numbers_given_out, numbers_given_out
from dermadesk.storage.sealed import Header, is_sealed, read_header, unseal
from dermadesk.domain.text import counted, size_text

JOURNAL = "restore-journal.json"
LOCK_FILE = RESTORE_LOCK
OLD_NAMES = (REGISTER_FILE, REGISTER_FILE + "-wal", REGISTER_FILE + "-shm", IMAGES_DIR, SETTINGS_FILE)
NEW_NAMES = (REGISTER_FILE, IMAGES_DIR, SETTINGS_FILE)
Progress = Callable[[float, str], None]


def _noop(_: float, __: str) -> None:
    return None


def _move(src: Path, dst: Path) -> None:
    """One rename of the switch (a seam for fault-injection tests)."""
    os.replace(src, dst)


# -- the switch and its recovery -------------------------------------------------------------------------

def _switch(data_dir: Path, journal: dict) -> None:
    """Roll the switch named by ``journal`` forward; safe to run again after an interruption."""
    staging, previous = data_dir / journal["staging"], data_dir / journal["previous"]
    pending_new = [n for n in journal["new"] if (staging / n).exists()]
    if len(pending_new) == len(journal["new"]):  # no staged file moved in yet: the old data may still be here
        for name in journal["old"]:
            if (data_dir / name).exists() and not (previous / name).exists():
                _move(data_dir / name, previous / name)
    for name in pending_new:
        if (data_dir / name).exists():
            raise IntegrityError(f"restore cannot finish: {data_dir / name} appeared during the switch; the "
                                 f"restored data is in {staging}, the earlier data in {previous}")
        _move(staging / name, data_dir / name)
    fsync_dir(data_dir)
    (data_dir / JOURNAL).unlink(missing_ok=True)
    fsync_dir(data_dir)
    shutil.rmtree(staging, ignore_errors=True)


def _read_journal(data_dir: Path) -> dict:
    try:
        journal = json.loads((data_dir / JOURNAL).read_text(encoding="utf-8"))
        if not all(isinstance(journal.get(k), str) and "/" not in journal[k] and ".." not in journal[k]
                   for k in ("staging", "previous")):
            raise ValueError("bad folder names")
        journal["old"] = [n for n in journal["old"] if n in OLD_NAMES]
        journal["new"] = [n for n in journal["new"] if n in NEW_NAMES]
        return journal
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IntegrityError(f"an interrupted restore left {data_dir / JOURNAL}, which cannot be read ({exc}); "
                             f"the data is in the {STAGING_PREFIX}* and {PREVIOUS_PREFIX}* folders of "
                             f"{data_dir}") from None


def recover_interrupted_restore(data_dir: Path) -> str | None:
    """Finish a switch interrupted by a crash; returns a message when one was finished, else None."""
    data_dir = Path(data_dir)
    if not (data_dir / JOURNAL).exists():
        return None
    with FileLock(data_dir / LOCK_FILE):
        if not (data_dir / JOURNAL).exists():
            return None  # another process finished it while we waited
        journal = _read_journal(data_dir)
        _switch(data_dir, journal)
    return f"finished an interrupted restore; the earlier data is kept in {data_dir / journal['previous']}"


# -- checks of the staged data ---------------------------------------------------------------------------

def _patients_now(data_dir: Path) -> int | None:
    """Patients in the current register (0 without one; None when it cannot be read)."""
    path = data_dir / REGISTER_FILE
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True, timeout=30)
        try:
            return int(conn.execute("SELECT count(*) FROM patients").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _stage(zf: zipfile.ZipFile, archive: Path, manifest: dict, staging: Path, data_dir: Path, max_total: int,
           progress: Progress) -> tuple[int, list[str]]:
    """Extract into ``staging`` with every check of the backup itself; raises IntegrityError before anything is
    replaced. Returns (the backup's patients, the member names extracted)."""
    listed = members(zf, archive, manifest, data_dir, max_total)
    for i, member in enumerate(listed):
        target = staging.joinpath(*member.name.split("/"))  # built from a validated name, never a raw path
        private_dir(target.parent)
        with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            copy_member(zf, archive, member, out)
        progress(0.7 * (i + 1) / len(listed), f"verified {i + 1} of {len(listed)}")
    settings = staging / SETTINGS_FILE
    if settings.exists():
        try:
            value = json.loads(settings.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise refuse(archive, f"{SETTINGS_FILE} in the backup is not valid JSON ({exc})") from None
        if not isinstance(value, dict):
            raise refuse(archive, f"{SETTINGS_FILE} in the backup is not a JSON object")
    patients, referenced = check_database(staging / REGISTER_FILE, archive, manifest)
    images = {m.sha256 for m in listed if m.is_image}
    if referenced - images:
        missing = sorted(referenced - images)
        raise refuse(archive, f"{counted(len(missing), 'image')} the database refers to are not in the backup, e.g. "
                              f"{str(missing[0])[:12]}")
    if images - referenced:
        raise refuse(archive, f"{counted(len(images - referenced), 'image')} in the backup are not referenced by its "
                              "database")
    return patients, [m.name for m in listed]


def _prepare(staged: Staged, force: bool, progress: Progress) -> None:
    """What depends on the register replaced, done just before the switch: a backup with no patients refused
    over a register with some (unless ``force``), the staged database upgraded, lesion numbers given out kept."""
    archive, data_dir, staging = staged.archive, staged.data_dir, staged.staging
    now = _patients_now(data_dir)
    if staged.patients == 0 and now != 0 and not force:
        held = f"{now} patients" if now is not None else "a register that cannot be read"
        raise refuse(archive, f"the backup holds no patients and would replace {held}; use --force to "
                              "restore it anyway")
    progress(0.8, "upgrading the restored database")
    db = open_db(staging / REGISTER_FILE)  # upgrades an older schema, in one transaction per step
    try:
        keep_numbers_given_out(db, numbers_given_out(data_dir / REGISTER_FILE))  # never a lost lesion's number
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    for leftover in ("-wal", "-shm"):
        (staging / (REGISTER_FILE + leftover)).unlink(missing_ok=True)
    make_tree_private(staging)


# -- restore ---------------------------------------------------------------------------------------------

def refuse_package(archive: Path, header: Header) -> None:
    """IntegrityError when the sealed file ``archive`` is a transfer package (encrypted or not), not a backup:
    said before any passphrase is asked for."""
    if header.fields.get("kind") != "backup":
        raise refuse(archive, "it is a transfer package, not a backup: bring its patients in with "
                              f"'dermadesk transfer import {archive.name}' (in the app: File > Import patients "
                              "from another workstation)")


def _room_to_unseal(archive: Path, data_dir: Path) -> None:
    """An encrypted backup is decrypted into the data folder, then unpacked beside it: refused before any of it
    when the disk has not about twice its size free (the unpacked files are checked again once it is read)."""
    need = 2 * archive.stat().st_size + FREE_SPACE_MARGIN
    free = shutil.disk_usage(data_dir).free
    if need > free:
        raise refuse(archive, f"restoring this encrypted backup needs about {size_text(need)} free on the "
                              f"disk of {data_dir} (it is decrypted there, then unpacked) but only "
                              f"{size_text(free)} is free; free some space and try again")


def _unsealed(archive: Path, staging: Path, passphrase: str | None, progress: Progress) -> Path:
    """The backup's zip: the archive itself, or an encrypted one authenticated and decrypted into ``staging``
    (its kind and the free space checked first)."""
    from dermadesk.storage.migrations import SCHEMA_VERSION

    if not is_sealed(archive):
        return archive
    refuse_package(archive, read_header(archive, "backup", SCHEMA_VERSION))
    _room_to_unseal(archive, staging.parent)
    plain = staging / ".backup.zip"
    with open(os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        unseal(archive, out, passphrase, progress, what="backup", newest_schema=SCHEMA_VERSION)
    return plain


@dataclass
class Staged:
    """A backup read once: unpacked into ``staging`` beside the data and checked whole, nothing replaced yet;
    ``switch_staged`` switches it in, ``discard`` lets it go."""

    archive: Path
    data_dir: Path
    staging: Path
    manifest: dict
    patients: int  # in the backup
    names: list[str]  # the files unpacked
    switching: bool = False  # its journal is written: the staging folder is the restore's now, never discarded
    found: Found = Found(names=frozenset({LOCK_FILE}))  # the data folder before ``stage_restore``: nothing to undo

    def discard(self) -> None:
        """The staging folder removed, and the data folder left as ``stage_restore`` found it (safe to call twice)."""
        if not self.switching:
            shutil.rmtree(self.staging, ignore_errors=True)
            leave_as_found(self.data_dir, self.found, LOCK_FILE)


@contextlib.contextmanager
def _refusals(archive: Path, data_dir: Path) -> Iterator[None]:
    """A backup that cannot be read, or a disk that fills up, said in one line that says nothing was changed."""
    try:
        yield
    except DermaDeskError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError,
            RuntimeError, ValueError, KeyError, TypeError, AttributeError, sqlite3.Error) as exc:
        raise IntegrityError(f"{archive.name}: not a readable DermaDesk backup ({unreadable(exc, archive)}); "
                             "nothing was changed") from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DermaDeskError(f"{archive.name}: not restored, the disk of {data_dir} filled up while "
                                 "unpacking the backup; free some space and try again; nothing was "
                                 "changed") from None
        if not archive.is_file():
            raise IntegrityError(f"{archive.name}: not a readable DermaDesk backup ({exc.strerror or exc})"
                                 ) from None
        raise


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[Found]:
    """The restore lock held, an interrupted restore finished first, refused while a register is open here; yields
    the folder as found, and leaves it so when anything is refused (no lock file, folder or permission left). A
    folder this account cannot write is refused first (ReadOnlyFolder): nothing is unpacked or asked."""
    if why := cannot_write(data_dir):
        raise ReadOnlyFolder(data_dir, why, "not restored; nothing was changed", to="restore into it")
    found = found_as_is(data_dir, LOCK_FILE)
    private_dir(data_dir)
    try:
        recover_interrupted_restore(data_dir)
        with FileLock(data_dir / LOCK_FILE):
            if (others := others_using(data_dir)) > 0:
                where = "another DermaDesk" if others == 1 else f"{others} other DermaDesk windows or commands"
                raise IntegrityError(f"the register in {data_dir} is open in {where} (a window, or a command still "
                                     "running): close it there, then restore; nothing was changed")
            yield found
    except BaseException:
        leave_as_found(data_dir, found, LOCK_FILE)
        raise


def _read(archive: Path, data_dir: Path, progress: Progress, max_total: int, passphrase: str | None) -> Staged:
    """The archive read once (decrypted first where encrypted) into a new staging folder, every file checked;
    the staging folder is removed again when anything is refused. Called holding the restore lock."""
    require_backup_file(archive)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))
    try:
        with _refusals(archive, data_dir):
            with zipfile.ZipFile(plain := _unsealed(archive, staging, passphrase, progress)) as zf:
                manifest = read_manifest(zf, archive)
                patients, names = _stage(zf, archive, manifest, staging, data_dir, max_total, progress)
        if plain != archive:
            plain.unlink()  # the decrypted copy, unpacked: its space is free again before the switch
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Staged(archive, data_dir, staging, manifest, patients, names)


def _finish(staged: Staged, force: bool, progress: Progress) -> dict[str, object]:
    """``_prepare``, then the switch (journal first); the current data is kept in ``previous-<date>/``. Called
    holding the restore lock."""
    data_dir, staging, previous = staged.data_dir, staged.staging, None
    try:
        with _refusals(staged.archive, data_dir):
            _prepare(staged, force, progress)
        progress(0.9, "replacing data")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        previous = data_dir / f"{PREVIOUS_PREFIX}{stamp}"
        n = 1
        while previous.exists():
            n += 1
            previous = data_dir / f"{PREVIOUS_PREFIX}{stamp}-{n}"
        previous.mkdir(mode=DIR_MODE)
        journal = {"staging": staging.name, "previous": previous.name,
                   "old": [name for name in OLD_NAMES if (data_dir / name).exists()],
                   "new": [name for name in NEW_NAMES if (staging / name).exists()]}
        write_private(data_dir / JOURNAL, json.dumps(journal).encode("utf-8"))
        staged.switching = True
    except BaseException:
        staged.discard()
        if previous is not None and previous.is_dir() and not any(previous.iterdir()):
            previous.rmdir()
        raise
    _switch(data_dir, journal)  # from here on, an interruption is finished at the next open
    moved = bool(journal["old"])
    if not moved:
        previous.rmdir()
    progress(1.0, "restored")
    return {"restored_from": str(staged.archive), "previous_data": str(previous) if moved else None,
            "files": len(staged.manifest["files"]), **kept_aside(data_dir, previous if moved else None)}


def restore(archive: Path, data_dir: Path, progress: Progress = _noop, force: bool = False,
            max_total: int = MAX_TOTAL_BYTES, passphrase: str | None = None) -> dict[str, object]:
    """Verify and stage ``archive``, then switch it in; the current data is kept in ``previous-<date>/``.

    Refused (IntegrityError, one line, nothing changed): an unreadable or malformed archive or manifest,
    unexpected member names or sizes, any checksum mismatch (images also against their names), a damaged
    database, a schema the app does not know or one the manifest does not state, row counts unlike the
    manifest, a missing or unreferenced image, settings that are not a JSON object, and (without ``force``)
    a backup with no patients over a register that has some. An encrypted backup needs its ``passphrase``
    (PassphraseError without it or with a wrong one) and is refused when damaged, altered or cut short.
    """
    archive, data_dir = Path(archive), Path(data_dir)
    with _locked(data_dir):
        return _finish(_read(archive, data_dir, progress, max_total, passphrase), force, progress)


def stage_restore(archive: Path, data_dir: Path, progress: Progress = _noop, max_total: int = MAX_TOTAL_BYTES,
                  passphrase: str | None = None) -> Staged:
    """``restore`` in two halves, for a question between them that reads the archive no second time: this one
    reads it once, unpacks it beside the data and checks it whole (every refusal of ``restore`` but the one
    about a register with patients, said by ``switch_staged``), replacing nothing. The restore lock is let go
    on return, so that a question waiting for its answer holds no DermaDesk window back."""
    archive, data_dir = Path(archive), Path(data_dir)
    with _locked(data_dir) as found:
        staged = _read(archive, data_dir, progress, max_total, passphrase)
    staged.found = found
    return staged


def switch_staged(staged: Staged, progress: Progress = _noop, force: bool = False) -> dict[str, object]:
    """The second half of ``restore``: refused (the staged copy let go) when the register was opened meanwhile
    or the staged copy was removed (``db check --clean``); else as ``restore`` ends."""
    try:
        with _locked(staged.data_dir):
            if gone := [n for n in staged.names if not staged.staging.joinpath(*n.split("/")).is_file()]:
                raise refuse(staged.archive, f"its unpacked copy in {staged.staging} was removed meanwhile "
                                             f"({counted(len(gone), 'file')} missing); restore it again")
            return _finish(staged, force, progress)
    except BaseException:
        staged.discard()  # not once switching: finishing an interrupted switch needs the staged data
        raise
