"""Sizes shown to a person read in the decimal units of ``size_text`` (as file managers show them, and as backups,
restores and transfers say their own sizes): a sealed package's progress, a package or backup member over its limit,
the limit a round figure ("over the 300 MB limit", was "268.4 MB": 256 MiB)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from dermadesk.analysis.decode import MAX_FILE_BYTES
from dermadesk.bench.crafted import fill_register, patch_declared_size
from dermadesk.config import REGISTER_FILE, SETTINGS_FILE
from dermadesk.domain.errors import IntegrityError
from dermadesk.domain.text import limit_text, size_text
from dermadesk.services.transfer import export_patients
from dermadesk.storage import archive, transfer
from dermadesk.storage.backup import backup
from dermadesk.storage.migrations import SCHEMA_VERSION
from dermadesk.storage.register import Register
from dermadesk.storage.restore import restore
from dermadesk.storage.sealed import SealedWriter, new_header, unseal
from dermadesk.storage.transfer import OpenedPackage
from tests.transfer_data import CHEAP_KDF, PASSPHRASE, fill


def test_progress_of_checking_a_sealed_package_counts_decimal_megabytes(tmp_path: Path) -> None:
    header, key = new_header("backup", SCHEMA_VERSION, PASSPHRASE, CHEAP_KDF)
    path = tmp_path / "s.bin"
    with open(path, "wb") as fh:
        writer = SealedWriter(fh, header, key)
        writer.write(b"\x5a" * 2_500_000)  # three chunks of 1 MiB (2^20 bytes) at most, each with a 16-byte tag
        writer.close()
    said: list[str] = []
    unseal(path, io.BytesIO(), PASSPHRASE, lambda _f, m: said.append(m))
    assert said == [  # 1,048,592 / 2,097,184 / 2,500,048 bytes (was "1 of 2 MB", "2 of 2 MB", "2 of 2 MB")
        "checking package: 1.0 MB of 2.5 MB",
        "checking package: 2.1 MB of 2.5 MB",
        "checking package: 2.5 MB of 2.5 MB",
    ]


def _package_declaring(tmp_path: Path, member: str) -> Path:
    """A real package of one patient whose ``member`` (or its first image: "image") declares 4,026,531,840 bytes, a
    zip bomb's lie, sealed again without a passphrase."""
    with Register(tmp_path / "A") as a:
        fill(a, "P-1", "Ann Smith", seed=1)
        export_patients(a, tmp_path / "out.ddtx", PASSPHRASE, kdf=CHEAP_KDF)
    plain = tmp_path / "plain.zip"
    with open(plain, "wb") as fh:
        unseal(tmp_path / "out.ddtx", fh, PASSPHRASE)
    if member == "image":
        with zipfile.ZipFile(plain) as zf:
            member = next(n for n in zf.namelist() if n.startswith("images/"))
    patch_declared_size(plain, member, 0xF000_0000)
    header, key = new_header("transfer", SCHEMA_VERSION, None)
    crafted = tmp_path / "crafted.ddtx"
    with open(crafted, "wb") as fh:
        writer = SealedWriter(fh, header, key)
        writer.write(plain.read_bytes())
        writer.close()
    return crafted


@pytest.mark.parametrize(
    "member, said",  # the limits were 64 MiB, 2 GiB and 256 MiB: "67.1 MB", "2.15 GB", "268.4 MB"
    [
        ("MANIFEST.json", "MANIFEST.json declares 4.03 GB, over the 70 MB limit"),
        ("records.json", "records.json declares 4.03 GB, over the 2.5 GB limit"),
        ("image", "declares 4.03 GB, over the 300 MB limit"),
    ],
)
def test_a_package_member_declaring_more_than_its_limit_is_refused_in_round_decimal_figures(
    tmp_path: Path, member: str, said: str
) -> None:
    crafted = _package_declaring(tmp_path, member)
    (tmp_path / "B").mkdir()
    with pytest.raises(IntegrityError) as refused:
        OpenedPackage(crafted, tmp_path / "B", None)
    message = str(refused.value)  # was "declares 4026531840 bytes, over the limit", then "over the 67.1 MB limit"
    assert message.startswith("crafted.ddtx: ") and message.endswith(f"{said}; nothing was changed")
    assert [p.name for p in (tmp_path / "B").iterdir()] == []  # its decrypted copy removed


@pytest.mark.parametrize(
    "member, said",  # the limits were 64 MiB and 1 MiB: "4026531840 bytes, over the limit", "1.0 MB"
    [
        ("MANIFEST.json", "MANIFEST.json declares 4.03 GB, over the 70 MB limit"),
        ("settings.json", "settings.json declares 4.03 GB, over the 2 MB limit for such a file"),
    ],
)
def test_a_backup_member_declaring_more_than_its_limit_is_refused_in_round_decimal_figures(
    tmp_path: Path, member: str, said: str
) -> None:
    fill_register(tmp_path / "src", patients=1, captures=1)
    (tmp_path / "src" / SETTINGS_FILE).write_text("{}", encoding="utf-8")
    backup(tmp_path / "src", tmp_path / "b.zip")
    patch_declared_size(tmp_path / "b.zip", member, 0xF000_0000)
    with pytest.raises(IntegrityError) as refused:
        restore(tmp_path / "b.zip", tmp_path / "dst")
    assert said in str(refused.value) and str(refused.value).endswith("nothing was changed")
    assert not (tmp_path / "dst" / REGISTER_FILE).exists()


def test_every_limit_is_a_round_decimal_figure_no_lower_than_the_binary_one_it_replaced() -> None:
    limits = {
        "backup manifest": (archive.MAX_MANIFEST_BYTES, 64 * 2**20, "70 MB"),
        "backup image": (archive.MAX_IMAGE_BYTES, 256 * 2**20, "300 MB"),
        "backup settings": (archive.MAX_SETTINGS_BYTES, 2**20, "2 MB"),
        "backup register": (archive.MAX_DATABASE_BYTES, 64 * 2**30, "70 GB"),
        "backup in all": (archive.MAX_TOTAL_BYTES, 2**40, "2 TB"),
        "package manifest": (transfer.MAX_MANIFEST_BYTES, 64 * 2**20, "70 MB"),
        "package records": (transfer.MAX_RECORDS_BYTES, 2 << 30, "2.5 GB"),
        "package image": (transfer.MAX_IMAGE_BYTES, 256 * 2**20, "300 MB"),
    }
    for what, (limit, before, said) in limits.items():
        assert limit >= before and limit_text(limit) == said, what  # nothing accepted before is refused now
    assert transfer.MAX_IMAGE_BYTES >= MAX_FILE_BYTES  # any image an import accepts travels in a package


def test_a_limit_reads_without_padding_zeros() -> None:
    assert [limit_text(n) for n in (1000, 2 * 10**6, 300 * 10**6, 2500 * 10**6, 70 * 10**9, 2 * 10**12)] == [
        "1 kB",
        "2 MB",
        "300 MB",
        "2.5 GB",
        "70 GB",
        "2 TB",
    ]
    assert limit_text(256 * 2**20) == "268.44 MB" and size_text(300 * 10**6) == "300.0 MB"  # sizes keep their form
