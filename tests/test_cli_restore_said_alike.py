"""A restore says the same things in the same words wherever it restores: into an empty folder it names the backup
and its date and what the register now holds, as over a register (was "restored from bk.zip; The folder held ...",
no date nor counts); backup and restore count image files under one wording (``maintenance_text.KINDS``); a disk
too full for a restore says both sizes as every size is said (``size_text``: "10.7 MB", not "0.01 GiB"). Real
registers, real backup files; the free space is the one thing faked."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import namedtuple
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.domain.errors import IntegrityError
from dermadesk.domain.text import size_text
from dermadesk.services.maintenance_text import KINDS, made_text
from dermadesk.storage.archive import FREE_SPACE_MARGIN
from dermadesk.storage.backup import backup, verify_archive
from dermadesk.storage.restore import restore
from dermadesk.storage.sealed import KdfParams
from tests.test_cli import run

FAST = KdfParams(n=2**10)
Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    data_dir = tmp_path / "clinic"
    fill_register(data_dir, patients=2, captures=1, seed=3)
    return data_dir


def test_into_an_empty_folder_it_says_what_a_restore_over_a_register_says(capsys, clinic: Path, tmp_path: Path):
    archive = tmp_path / "bk.zip"
    code, out, _ = run(capsys, "--data-dir", str(clinic), "backup", str(archive))
    assert code == 0 and f": 2 image files {KINDS}, " in out  # the words restore counts them in
    made = made_text(verify_archive(archive)["created"])
    holds = f"2 patients, 2 lesions, 2 captures and 2 image files {KINDS}"
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "empty"), "restore", str(archive))
    assert code == 0 and out == (
        f"Restored from bk.zip, the backup of {made}. The register now holds {holds}.\n\n"
        "The folder held no earlier data, so there was nothing to keep aside.\n"
    )
    code, out, _ = run(capsys, "--data-dir", str(clinic), "restore", str(archive), "--yes")
    assert code == 0 and out.startswith(f"Restored from bk.zip, the backup of {made}. The register now holds {holds}.")


def test_a_disk_too_full_says_both_sizes_as_sizes_are_said(
    capsys, clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "bk.zip"
    backup(clinic, archive)
    with zipfile.ZipFile(archive) as zf:  # what it unpacks: every file but the manifest, give or take a kB
        unpacked = sum(i.file_size for i in zf.infolist() if i.filename != "manifest.json")
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(*real(p)[:2], 1000))
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "empty"), "restore", str(archive))
    said = re.search(r"restoring needs (\d+) kB but only 1 kB is free on that disk; nothing was changed", err)
    assert code == 1 and said is not None and abs(int(said[1]) - unpacked / 1000) <= 1
    assert "GiB" not in err


def test_an_encrypted_backup_too_big_for_the_disk_says_both_sizes_too(
    clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "bk.zip"
    backup(clinic, archive, passphrase="correct horse battery", kdf=FAST)
    need = 2 * archive.stat().st_size + FREE_SPACE_MARGIN
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(*real(p)[:2], 2_000_000))
    with pytest.raises(IntegrityError) as refused:
        restore(archive, tmp_path / "empty", passphrase="correct horse battery")
    said = str(refused.value)
    assert f"needs about {size_text(need)} free on the disk of" in said and "but only 2.0 MB is free" in said
    assert "GiB" not in said
