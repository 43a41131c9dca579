"""Backup and restore: identical rows and bytes after a round trip; a damaged backup replaces nothing."""

import zipfile
from pathlib import Path

import pytest

from dermadesk.config import IMAGES_DIR, REGISTER_FILE
from dermadesk.domain.errors import IntegrityError
from dermadesk.services.captures import import_files
from dermadesk.storage.backup import backup, verify_archive
from dermadesk.storage.register import Register
from dermadesk.storage.restore import restore

TABLES = ("patients", "lesions", "captures", "assessments", "comparisons", "audit_log")


def _dump(reg: Register) -> dict[str, list[tuple]]:
    return {t: [tuple(r) for r in reg.database.query(f"SELECT * FROM {t} ORDER BY id")] for t in TABLES}


def _fill(reg: Register, files: list[Path]) -> None:
    p = reg.patients.add("u", "B1", "Back Up")
    les = reg.lesions.add("u", p.id, "lower extremity")
    result = import_files(reg, "u", les.id, files)
    assert len(result.captures) == len(files)


def test_round_trip_identical_rows_and_image_bytes(tmp_path: Path, lesion_files: list[Path]) -> None:
    src = tmp_path / "src"
    with Register(src) as reg:
        _fill(reg, lesion_files)
        before = _dump(reg)
        images_before = {sha: reg.images.read(sha) for sha in reg.images}
        info = backup(src, tmp_path / "b.zip")  # taken while the register is open
    assert info["images"] == len(lesion_files)
    assert verify_archive(tmp_path / "b.zip")["files"][REGISTER_FILE]
    dst = tmp_path / "dst"
    with Register(dst) as other:  # the destination already has different data
        other.patients.add("u", "OTHER", "Someone Else")
    result = restore(tmp_path / "b.zip", dst)
    with Register(dst) as reg:
        assert _dump(reg) == before
        assert {sha: reg.images.read(sha) for sha in reg.images} == images_before
    kept = Path(result["previous_data"])
    with Register(kept) as old:  # the replaced data is kept aside, intact
        assert [p.mrn for p in old.patients.search()] == ["OTHER"]
    # the original bytes are exactly what was imported
    assert sorted(images_before.values()) == sorted(p.read_bytes() for p in lesion_files)


def test_damaged_backup_is_refused_and_nothing_replaced(tmp_path: Path, lesion_files: list[Path]) -> None:
    src = tmp_path / "src"
    with Register(src) as reg:
        _fill(reg, lesion_files)
    backup(src, tmp_path / "b.zip")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(tmp_path / "b.zip") as zin, zipfile.ZipFile(damaged, "w") as zout:
        first_image = next(n for n in zin.namelist() if n.startswith(IMAGES_DIR))
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == first_image:
                data = data[:-1] + bytes([data[-1] ^ 0xFF])  # one flipped byte
            zout.writestr(item, data)
    dst = tmp_path / "dst"
    with Register(dst) as reg:
        reg.patients.add("u", "KEEP", "Keep Me")
    with pytest.raises(IntegrityError, match="damaged"):
        restore(damaged, dst)
    with Register(dst) as reg:
        assert [p.mrn for p in reg.patients.search()] == ["KEEP"]
    assert not any(p.name.startswith("previous-") for p in dst.iterdir())


def test_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(IntegrityError, match="not a readable DermaDesk backup"):
        restore(junk, tmp_path / "dst")
