"""Patient data is owner-only: data directory, register, images, settings, backups, installed models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.config import Settings

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_everything_written_is_owner_only(data_dir: Path, lesion_files: list[Path], tmp_path: Path,
                                         installed_model: Path, capsys) -> None:
    old_umask = os.umask(0o022)  # a usual umask: files would be 0644 without care
    try:
        _write_everything(data_dir, lesion_files, tmp_path)
    finally:
        os.umask(old_umask)
    paths = [data_dir, *data_dir.rglob("*")]
    assert any(p.suffix == ".onnx" for p in paths) and any(len(p.name) == 64 for p in paths)
    loose = [(str(p), oct(_mode(p))) for p in paths if _mode(p) != (0o700 if p.is_dir() else 0o600)]
    assert loose == []


def _write_everything(data_dir: Path, lesion_files: list[Path], tmp_path: Path) -> None:
    assert main(["patient", "add", "--mrn", "P-1", "--name", "Private Person"]) == 0
    assert main(["lesion", "add", "--patient", "P-1", "--site", "head/neck"]) == 0
    assert main(["capture", "add", "--lesion", "1", *map(str, lesion_files)]) == 0
    Settings(operator="dr").save(data_dir)
    (tmp_path / "backups").mkdir()  # a backup is never written into a folder it had to make (a drive not there)
    assert main(["backup", str(tmp_path / "backups" / "b.zip")]) == 0
    assert _mode(tmp_path / "backups" / "b.zip") == 0o600


def test_an_existing_open_data_directory_is_tightened_on_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "shared"
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    assert main(["patient", "add", "--mrn", "P-9", "--name", "First", "--data-dir", str(data_dir)]) == 0
    assert _mode(data_dir) == 0o700 and _mode(data_dir / "register.sqlite3") == 0o600


def test_db_check_tightens_images_left_readable_by_an_earlier_version(data_dir: Path, lesion_files: list[Path],
                                                                      capsys) -> None:
    main(["patient", "add", "--mrn", "P-2", "--name", "Old Modes"])
    main(["lesion", "add", "--patient", "P-2", "--site", "head/neck"])
    main(["capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[0])])
    images = [p for p in (data_dir / "images").rglob("*")]
    for p in images:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    os.chmod(data_dir / "register.sqlite3", 0o644)
    assert main(["db", "check"]) == 0
    assert all(_mode(p) == (0o700 if p.is_dir() else 0o600) for p in images)
    assert _mode(data_dir / "register.sqlite3") == 0o600
