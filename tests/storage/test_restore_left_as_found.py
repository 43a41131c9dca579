"""A refused restore says "nothing was changed", and leaves the data folder so: no restore lock left in it, its
permissions as they were, and a folder the restore made for the data removed again (an empty new data folder was
left holding a 0-byte ``.restore.lock`` and changed to owner-only). A lock file removed by the one holding it is
taken again by whoever waited for it, on the new file. Real registers, real backup files, the real command."""

from __future__ import annotations

import os
import stat
import threading
import zipfile
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.domain.errors import IntegrityError
from dermadesk.files import FileLock
from dermadesk.storage.backup import backup
from dermadesk.storage.restore import LOCK_FILE, restore, stage_restore
from dermadesk.storage.sealed import KdfParams
from tests.test_cli import run

posix_only = pytest.mark.skipif(os.name != "posix", reason="folder permissions are POSIX modes")


@pytest.fixture
def archives(tmp_path: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each refused backup (the file, the command's extra arguments): a photograph picked by mistake, a backup
    copied only in part, a zip that is no backup, an encrypted backup with the wrong passphrase."""
    clinic = tmp_path / "clinic"
    fill_register(clinic, patients=1, captures=1, seed=5)
    good = tmp_path / "good.zip"
    backup(clinic, good)
    photo, cut, other, sealed = (tmp_path / n for n in ("photo.zip", "cut.zip", "other.zip", "sealed.zip"))
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(2000))
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("holiday.txt", "not a backup")
    backup(clinic, sealed, passphrase="the right passphrase", kdf=KdfParams(n=2**10))
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    return {
        "not a zip": (photo, []),
        "cut short": (cut, []),
        "not a backup": (other, []),
        "wrong passphrase": (sealed, ["--passphrase-file", str(wrong)]),
    }


def _as_is(folder: Path) -> tuple[int, list[str]] | None:
    return (stat.S_IMODE(folder.stat().st_mode), sorted(os.listdir(folder))) if folder.exists() else None


@pytest.mark.parametrize("refusal", ["not a zip", "cut short", "not a backup", "wrong passphrase"])
def test_a_refused_restore_into_a_new_folder_leaves_no_folder(capsys, tmp_path: Path, archives, refusal) -> None:
    archive, extra = archives[refusal]
    new = tmp_path / "new-register"
    code, _, err = run(capsys, "--data-dir", str(new), "restore", str(archive), *extra)
    assert code == 1 and err.rstrip().endswith("nothing was changed")
    assert not new.exists()  # was: a folder holding a 0-byte .restore.lock


@posix_only
@pytest.mark.parametrize("refusal", ["not a zip", "cut short", "not a backup", "wrong passphrase"])
def test_a_refused_restore_into_an_empty_folder_leaves_it_as_it_was(capsys, tmp_path: Path, archives, refusal) -> None:
    archive, extra = archives[refusal]
    empty = tmp_path / "empty"
    empty.mkdir()
    os.chmod(empty, 0o750)
    code, _, err = run(capsys, "--data-dir", str(empty), "restore", str(archive), *extra)
    assert code == 1 and err.rstrip().endswith("nothing was changed")
    assert _as_is(empty) == (0o750, [])  # was: 0o700, holding .restore.lock


@posix_only
def test_a_backup_too_big_for_the_limit_leaves_the_folder_as_it_was(tmp_path: Path, archives) -> None:
    clinic = tmp_path / "clinic"
    empty = tmp_path / "empty"
    empty.mkdir()
    os.chmod(empty, 0o755)
    with pytest.raises(IntegrityError, match=r"its files add up to .*, over the .* limit; nothing was changed"):
        restore(tmp_path / "good.zip", empty, max_total=1)
    assert _as_is(empty) == (0o755, [])
    with pytest.raises(IntegrityError, match="nothing was changed"):
        restore(tmp_path / "good.zip", tmp_path / "new", max_total=1)
    assert not (tmp_path / "new").exists()
    assert clinic.is_dir()  # the source register untouched


def test_a_staged_restore_let_go_leaves_no_new_folder(tmp_path: Path, archives) -> None:
    """``stage_restore`` then a refusal or a no (``discard``): the folder it made for the data is gone again."""
    new = tmp_path / "new-register"
    staged = stage_restore(tmp_path / "good.zip", new)
    assert staged.staging.is_dir() and (new / LOCK_FILE).exists()
    staged.discard()
    assert not new.exists()
    staged.discard()  # a second time (the command's own ``finally``): nothing made again
    assert not new.exists()


def test_a_refused_restore_over_a_register_keeps_everything_there(capsys, tmp_path: Path, archives) -> None:
    clinic = tmp_path / "clinic"
    before = _as_is(clinic)
    assert before is not None and LOCK_FILE in before[1]  # the register's opening made it
    for refusal in ("not a zip", "not a backup", "wrong passphrase"):
        archive, extra = archives[refusal]
        code, _, err = run(capsys, "--data-dir", str(clinic), "restore", str(archive), "--yes", *extra)
        assert code == 1 and err.rstrip().endswith("nothing was changed")
        assert _as_is(clinic) == before  # the lock file that was there kept


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the waiter open the lock file")
def test_a_lock_file_removed_by_its_holder_is_taken_again_on_the_new_file(tmp_path: Path) -> None:
    """One waiting for the lock opened the file before its holder removed it: it takes the lock on the file at the
    path afterwards, never on the removed one (where a third would take it on a new file beside it)."""
    path = tmp_path / LOCK_FILE
    holder, waiter = FileLock(path), FileLock(path)
    holder.acquire()
    took: list[tuple[int, int]] = []

    def wait_for_it() -> None:
        waiter.acquire()
        assert waiter._fd is not None
        held = os.fstat(waiter._fd)
        took.append((held.st_dev, held.st_ino))

    def opened_by_both() -> bool:
        links = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                links.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                continue
        return links.count(str(path)) == 2

    thread = threading.Thread(target=wait_for_it, daemon=True)
    thread.start()
    for _ in range(6000):  # until the waiter has the file open and waits on its lock
        if opened_by_both():
            break
        thread.join(0.01)
    assert opened_by_both() and thread.is_alive()
    holder.remove_held()
    thread.join(60)
    assert not thread.is_alive() and path.exists()
    named = os.stat(path)
    assert took == [(named.st_dev, named.st_ino)]  # the file now at the path, not the removed one
    third = FileLock(path)
    assert not third.try_acquire()  # so a third one waits for it
    waiter.release()
    assert third.try_acquire()
    third.release()
