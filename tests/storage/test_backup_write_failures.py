"""A backup that cannot be written names the file the user chose (never the hidden .partial temporary) and says
that nothing changed; a long name the disk takes is written; an encrypted restore checks the free space before
it decrypts; an encrypted transfer package given to restore is named as one before a passphrase (audit 51).
Real registers, real archives; a full disk is a failing fsync or a smaller free space reported."""

from __future__ import annotations

import errno
import os
import shutil
from collections import namedtuple
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.domain.errors import DermaDeskError, IntegrityError
from dermadesk.main import main
from dermadesk.storage.archive import FREE_SPACE_MARGIN
from dermadesk.storage.backup import backup
from dermadesk.storage.restore import restore
from dermadesk.storage.sealed import KdfParams

FAST = KdfParams(n=2**10)


def _full_disk(monkeypatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_full_disk_names_the_backup_and_keeps_the_earlier_one(tmp_path: Path, monkeypatch, capsys) -> None:
    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=1, captures=1)
    archive = tmp_path / "usb" / "monday.zip"
    archive.parent.mkdir()
    archive.write_bytes(b"last week's backup")
    _full_disk(monkeypatch)
    assert main(["backup", str(archive), "--overwrite", "--data-dir", str(data_dir)]) == 1  # replacing last week's
    err = capsys.readouterr().err
    assert f"{archive} was not written: the disk is full" in err and "nothing was changed" in err
    assert ".partial" not in err and err.count("\n") == 1
    assert archive.read_bytes() == b"last week's backup" and os.listdir(archive.parent) == ["monday.zip"]


def test_a_full_disk_in_the_app_is_one_message_naming_the_backup(register, tmp_path: Path, monkeypatch) -> None:
    from dermadesk.services.maintenance import back_up

    register.patients.add("t", "B-1", "Backup Person")
    _full_disk(monkeypatch)
    with pytest.raises(DermaDeskError, match=r"b\.zip was not written: the disk is full.*nothing was changed"):
        back_up(register, tmp_path / "b.zip")


def test_a_long_name_the_disk_takes_is_written_a_longer_one_said_plainly(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=1, captures=0)
    taken = tmp_path / ("Ñ" * 118 + ".zip")  # 240 bytes: legal, though ".<name>.xxxxxxxx.partial" is not
    assert len(taken.name.encode()) == 240
    assert main(["backup", str(taken), "--data-dir", str(data_dir)]) == 0 and taken.is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    too_long = tmp_path / ("Ñ" * 130 + ".zip")  # 264 bytes: no disk takes it
    capsys.readouterr()
    assert main(["backup", str(too_long), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert f"{too_long} was not written: its name or folder path is too long" in err
    assert "nothing was changed" in err and ".partial" not in err


def test_an_encrypted_restore_checks_the_free_space_before_decrypting(tmp_path: Path, monkeypatch) -> None:
    source, data_dir = tmp_path / "source", tmp_path / "data"
    fill_register(source, patients=2, captures=2, seed=5)
    fill_register(data_dir, patients=1, captures=1, seed=6)
    archive = tmp_path / "b.zip"
    backup(source, archive, passphrase="correct horse battery", kdf=FAST)
    size = archive.stat().st_size
    real = shutil.disk_usage
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(*real(p)[:2], int(1.5 * size) + FREE_SPACE_MARGIN))
    said: list[str] = []
    with pytest.raises(IntegrityError) as caught:
        restore(archive, data_dir, lambda f, m: said.append(m), passphrase="correct horse battery")
    message = str(caught.value)
    assert "restoring this encrypted backup needs about" in message and " MB is free" in message  # size_text
    assert str(data_dir) in message and message.endswith("nothing was changed")
    assert not any("checking backup" in m for m in said)  # refused before any of it was decrypted
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith((".restore-", "previous-"))) == []


def test_an_encrypted_package_is_named_as_one_not_asked_a_passphrase(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=1, captures=1)
    secret = tmp_path / "pp.txt"
    secret.write_text("correct horse battery\n")
    package = tmp_path / "c.ddtx"
    assert (
        main(["transfer", "export", str(package), "--passphrase-file", str(secret), "--data-dir", str(data_dir)]) == 0
    )
    with pytest.raises(IntegrityError, match="c.ddtx: it is a transfer package, not a backup.*transfer import"):
        restore(package, tmp_path / "other")  # no passphrase given: not asked for one
