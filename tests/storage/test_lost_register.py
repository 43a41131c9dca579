"""A data folder that lost its register file, or a folder that is not there, is never given a new, empty register
(``storage.lost_register``); ``db check`` never calls such a register OK, and ``--clean`` never deletes the images of
a register whose file was lost."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.config import REGISTER_FILE
from dermadesk.domain.errors import IntegrityError, NotFoundError
from dermadesk.storage.backup import backup
from dermadesk.storage.check import STALE_AFTER, check_register
from dermadesk.storage.lost_register import NEVER_NEW, NEW_ANYWHERE, NEW_BESIDE, NEW_IN_FOLDER
from dermadesk.storage.register import Register
from dermadesk.storage.restore import restore
from tests.conftest import lesion_jpeg


def _stored_files(data_dir: Path) -> set[str]:
    return {p.name for p in (data_dir / "images").rglob("*") if p.is_file()}


@pytest.fixture
def lost(tmp_path: Path) -> Path:
    """A copy of a register's folder without its register file: images and settings only."""
    fill_register(tmp_path / "data", patients=2, captures=2)
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "data", copy)
    for leftover in copy.glob(REGISTER_FILE + "*"):
        leftover.unlink()
    (copy / "settings.json").write_text("{}")
    return copy


@pytest.mark.parametrize("new", [NEW_ANYWHERE, NEW_BESIDE, NEW_IN_FOLDER, NEVER_NEW])
def test_images_without_a_register_file_are_never_given_an_empty_one(lost: Path, new: str) -> None:
    before = _stored_files(lost)
    with pytest.raises(IntegrityError) as refused:
        Register(lost, new=new)
    message = str(refused.value)
    assert str(lost) in message and "4 files" in message and "no new register was created" in message
    assert "\n" not in message and not (lost / REGISTER_FILE).exists() and _stored_files(lost) == before


def test_a_write_ahead_log_without_its_register_is_earlier_data_too(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / (REGISTER_FILE + "-wal")).write_bytes(b"\0" * 64)
    with pytest.raises(IntegrityError, match="register.sqlite3-wal is there"):
        Register(folder)
    assert not (folder / REGISTER_FILE).exists()


def test_a_folder_that_is_not_there_is_made_only_where_allowed(tmp_path: Path) -> None:
    deep = tmp_path / "usb" / "DermaDesk"  # the drive's folder "usb" is not there: not connected
    for new in (NEVER_NEW, NEW_BESIDE, NEW_IN_FOLDER):
        with pytest.raises(NotFoundError, match="nothing was created") as refused:
            Register(deep, new=new)
        assert str(deep) in str(refused.value) and "drive connected" in str(refused.value)
    assert not (tmp_path / "usb").exists()
    with Register(tmp_path / "usb-here" / "DermaDesk", new=NEW_ANYWHERE) as reg:  # the app's own folder: made
        assert reg.created and reg.patients.count() == 0


def test_a_new_register_beside_only_where_its_parent_is_there(tmp_path: Path) -> None:
    with Register(tmp_path / "new", new=NEW_BESIDE) as reg:
        assert reg.created and (tmp_path / "new" / REGISTER_FILE).is_file()
    with Register(tmp_path / "new", new=NEVER_NEW) as reg:  # there now: opened, not made again
        assert not reg.created
    (tmp_path / "empty").mkdir()
    with pytest.raises(NotFoundError, match="the folder holds none"):
        Register(tmp_path / "empty", new=NEVER_NEW)
    assert list((tmp_path / "empty").iterdir()) == []
    with Register(tmp_path / "empty", new=NEW_IN_FOLDER) as reg:  # a folder that is there may get a new register
        assert reg.created


def test_restoring_a_backup_into_the_folder_sets_its_images_aside(lost: Path, tmp_path: Path) -> None:
    backup(tmp_path / "data", tmp_path / "b.zip")
    images = _stored_files(lost)
    info = restore(tmp_path / "b.zip", lost)
    with Register(lost, new=NEVER_NEW) as reg:
        assert reg.patients.count() == 2
    assert info["previous_data"] and _stored_files(Path(str(info["previous_data"]))) == images  # kept, not lost


def _age_all(folder: Path) -> None:
    old = time.time() - STALE_AFTER - 60
    for path in folder.rglob("*"):
        os.utime(path, (old, old))


def test_check_of_a_register_made_anew_over_earlier_images_is_not_ok_and_clean_deletes_nothing(lost: Path) -> None:
    images = list((lost / "images").rglob("*"))
    shutil.move(str(lost / "images"), str(lost.parent / "aside"))
    Register(lost).close()  # an earlier version made a new register here
    shutil.move(str(lost.parent / "aside"), str(lost / "images"))
    _age_all(lost)
    with Register(lost) as reg:
        report = check_register(reg)
        assert not report.ok and "4 of the 4 image files here belong to no capture" in report.not_this_register
        with pytest.raises(IntegrityError, match="nothing was deleted"):
            check_register(reg, clean=True)
        assert all(p.exists() for p in images)
        forced = check_register(reg, clean=True, force=True)  # sure it is the right register: removed
        assert forced.cleaned == 4 and not forced.not_this_register and _stored_files(lost) == set()


def test_orphans_fewer_than_the_images_in_use_are_leftovers(tmp_path: Path) -> None:
    fill_register(tmp_path / "data", patients=1, captures=3)
    with Register(tmp_path / "data") as reg:
        reg.images.put(lesion_jpeg(seed=99))  # an import killed before its row
        _age_all(tmp_path / "data" / "images")
        report = check_register(reg)
        assert report.ok and len(report.orphan_files) == 1 and report.not_this_register == ""
        assert check_register(reg, clean=True).cleaned == 1


def test_a_crashed_import_s_fresh_files_are_leftovers_however_many(tmp_path: Path) -> None:
    fill_register(tmp_path / "data", patients=1, captures=1)
    with Register(tmp_path / "data") as reg:
        for seed in (101, 102, 103):  # a large import killed before its rows: newer than the register file
            reg.images.put(lesion_jpeg(seed=seed))
        report = check_register(reg)
        assert report.ok and len(report.orphan_files) == 3 and report.not_this_register == ""
        _age_all(tmp_path / "data" / "images")  # an hour later they count: more orphans than images in use
        assert "3 of the 4 image files" in check_register(reg).not_this_register
