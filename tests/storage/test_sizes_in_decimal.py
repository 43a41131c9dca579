"""Sizes shown to a person read in the decimal units of ``size_text`` (as file managers show them, and as backups,
restores and transfers say their own sizes): a sealed package's progress, a package member over its limit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from dermadesk.bench.crafted import patch_declared_size
from dermadesk.domain.errors import IntegrityError
from dermadesk.services.transfer import export_patients
from dermadesk.storage.migrations import SCHEMA_VERSION
from dermadesk.storage.register import Register
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


def test_a_package_member_declaring_more_than_its_limit_is_refused_in_decimal_units(tmp_path: Path) -> None:
    with Register(tmp_path / "A") as a:
        fill(a, "P-1", "Ann Smith", seed=1)
        export_patients(a, tmp_path / "out.ddtx", PASSPHRASE, kdf=CHEAP_KDF)
    plain = tmp_path / "plain.zip"
    with open(plain, "wb") as fh:
        unseal(tmp_path / "out.ddtx", fh, PASSPHRASE)
    patch_declared_size(plain, "MANIFEST.json", 0xF000_0000)  # a zip bomb's lie: 4,026,531,840 bytes
    header, key = new_header("transfer", SCHEMA_VERSION, None)
    crafted = tmp_path / "crafted.ddtx"
    with open(crafted, "wb") as fh:
        writer = SealedWriter(fh, header, key)
        writer.write(plain.read_bytes())
        writer.close()
    (tmp_path / "B").mkdir()
    with pytest.raises(IntegrityError) as refused:
        OpenedPackage(crafted, tmp_path / "B", None)
    assert str(refused.value) == (  # the limit is 64 MiB (was "declares 4026531840 bytes, over the limit")
        "crafted.ddtx: MANIFEST.json declares 4.03 GB, over the 67.1 MB limit; nothing was changed"
    )
    assert [p.name for p in (tmp_path / "B").iterdir()] == []  # its decrypted copy removed
