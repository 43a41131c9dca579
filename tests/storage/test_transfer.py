"""Transfer packages and the sealed container: a faithful copy, and every damaged or foreign file refused
with one line and the register unchanged."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dermadesk.domain.errors import IntegrityError, PassphraseError
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.backup import backup, verify_archive
from dermadesk.storage.check import check_register
from dermadesk.storage.migrations import SCHEMA_VERSION
from dermadesk.storage.register import Register
from dermadesk.storage.restore import restore
from dermadesk.storage.sealed import CHUNK_SIZE, SealedWriter, new_header, unseal
from dermadesk.storage.transfer import collect_records, write_package
from tests.transfer_data import CHEAP_KDF, PASSPHRASE, counts, dump, fill, images, snapshot


@pytest.fixture
def package(tmp_path: Path) -> Path:
    with Register(tmp_path / "A") as a:
        fill(a, "P-1", "Ann Smith", seed=1)
        fill(a, "P-2", "Bo Berg", lesions=1, seed=2)
        export_patients(a, tmp_path / "out.ddtx", PASSPHRASE, kdf=CHEAP_KDF)
    return tmp_path / "out.ddtx"


def test_export_then_import_into_an_empty_register_copies_every_field_and_image_byte(tmp_path: Path,
                                                                                     package: Path) -> None:
    outcome = import_package(Register(tmp_path / "B"), package, PASSPHRASE, "field")
    assert outcome.applied and outcome.plan.added == {"patients": 2, "lesions": 3, "captures": 6,
                                                      "assessments": 6, "comparisons": 3}
    with Register(tmp_path / "A") as a, Register(tmp_path / "B") as b:
        assert dump(b) == dump(a)  # every column of every record, origin included, joined by uid
        assert images(b) == images(a)  # capture images and heat maps, byte for byte
        assert check_register(b).ok and not check_register(b).orphan_files
        imported = [e for e in b.audit.entries() if e.action == "import"]
        assert len(imported) == sum(counts(a)[t] for t in ("patients", "lesions", "captures", "assessments",
                                                          "comparisons"))
        source = imported[0].after["package"]
        assert source["file"] == "out.ddtx" and source["workstation"]["uid"] == outcome.source["uid"]
        patient_entry = next(e for e in imported if e.entity == "patient")
        assert [h["action"] for h in patient_entry.after["history"]] == ["create"]  # its history at the source
        hosts = {r[0] for r in b.database.query("SELECT uid FROM workstations WHERE is_self = 0")}
        assert hosts == {outcome.source["uid"]}


def test_reimporting_the_same_package_changes_nothing(tmp_path: Path, package: Path) -> None:
    with Register(tmp_path / "B") as b:
        import_package(b, package, PASSPHRASE, "field")
    before = snapshot(tmp_path / "B")
    with Register(tmp_path / "B") as b:
        again = import_package(b, package, PASSPHRASE, "field")
    assert not again.applied and sum(again.plan.added.values()) == 0
    assert again.plan.present["captures"] == 6
    assert snapshot(tmp_path / "B") == before  # not even an audit row


def _flip(path: Path, position: int) -> Path:
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    out = path.with_name(f"flipped-{position}.ddtx")
    out.write_bytes(bytes(data))
    return out


def _refusals(package: Path, tmp_path: Path) -> list[tuple[Path, str, type]]:
    size = package.stat().st_size
    truncated = tmp_path / "truncated.ddtx"
    truncated.write_bytes(package.read_bytes()[: size - 100])
    with Register(tmp_path / "A") as a:
        records = collect_records(a.database, [1])
        newer = tmp_path / "newer.ddtx"
        write_package(a.database, a.images, newer, records, PASSPHRASE, CHEAP_KDF,
                      schema_version=SCHEMA_VERSION + 1)
    return [(package, "wrong passphrase", PassphraseError),
            (_flip(package, 40), "header fails its checksum", IntegrityError),
            (_flip(package, size // 2), "the package is damaged, cut short or changed after it", IntegrityError),
            (_flip(package, size - 1), "does not authenticate); ask for a new copy", IntegrityError),
            (truncated, "cut short", IntegrityError),
            (newer, "newer DermaDesk", IntegrityError)]


def test_wrong_passphrase_flipped_byte_truncation_and_newer_schema_are_refused_register_unchanged(
        tmp_path: Path, package: Path) -> None:
    with Register(tmp_path / "B") as b:
        fill(b, "Q-1", "Someone Else", lesions=1, captures=1, seed=9)
    before = snapshot(tmp_path / "B")
    for path, message, error in _refusals(package, tmp_path):
        passphrase = "not the passphrase" if message == "wrong passphrase" else PASSPHRASE
        with Register(tmp_path / "B") as b, pytest.raises(error) as caught:
            import_package(b, path, passphrase, "field")
        text = str(caught.value)
        assert message in text and "\n" not in text and text.endswith("nothing was changed"), text
        assert snapshot(tmp_path / "B") == before
        assert not list((tmp_path / "B").glob(".transfer-*"))  # the decrypted copy is gone


def test_an_unencrypted_package_still_detects_damage(tmp_path: Path) -> None:
    with Register(tmp_path / "A") as a:
        fill(a, "P-1", "Ann Smith", lesions=1, captures=1)
        export_patients(a, tmp_path / "clear.ddtx", None)
    clear = tmp_path / "clear.ddtx"
    with Register(tmp_path / "B") as b:
        with pytest.raises(IntegrityError, match="does not match its checksum"):
            import_package(b, _flip(clear, clear.stat().st_size // 2), None, "field")
        assert counts(b)["patients"] == 0
        assert import_package(b, clear, None, "field").plan.added["captures"] == 1


def test_sealed_stream_spanning_chunks_detects_a_cut_at_a_chunk_boundary_and_appended_bytes(tmp_path: Path) -> None:
    header, key = new_header("backup", SCHEMA_VERSION, PASSPHRASE, CHEAP_KDF)
    payload = bytes(range(256)) * (CHUNK_SIZE // 256 * 2 + 3)  # two full chunks and a short final one
    path = tmp_path / "s.bin"
    with open(path, "wb") as fh:
        writer = SealedWriter(fh, header, key)
        writer.write(payload)
        writer.close()
    out = io.BytesIO()
    unseal(path, out, PASSPHRASE)
    assert out.getvalue() == payload
    cut = tmp_path / "cut.bin"
    cut.write_bytes(path.read_bytes()[: len(header.raw) + 2 * (CHUNK_SIZE + 16)])
    with pytest.raises(IntegrityError, match="cut short after part 2"):
        unseal(cut, io.BytesIO(), PASSPHRASE)
    longer = tmp_path / "longer.bin"
    longer.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(IntegrityError, match="part 3 does not authenticate"):
        unseal(longer, io.BytesIO(), PASSPHRASE)


def test_the_header_records_cipher_and_scrypt_parameters(package: Path) -> None:
    from dermadesk.storage.sealed import read_header

    fields = read_header(package).fields
    assert fields["cipher"] == "aes-256-gcm" and fields["kind"] == "transfer"
    assert {k: fields["kdf"][k] for k in ("name", "n", "r", "p")} == {"name": "scrypt", "n": 2**10, "r": 8, "p": 1}
    assert fields["schema_version"] == SCHEMA_VERSION
    assert b"Ann Smith" not in package.read_bytes()  # nothing readable without the passphrase


def test_encrypted_backup_round_trip_and_wrong_passphrase_refused(tmp_path: Path) -> None:
    with Register(tmp_path / "A") as a:
        fill(a, "P-1", "Ann Smith", lesions=1, captures=2)
        before = dump(a), images(a)
    info = backup(tmp_path / "A", tmp_path / "b.zip", passphrase=PASSPHRASE, kdf=CHEAP_KDF)
    assert info["encrypted"] and b"Ann Smith" not in (tmp_path / "b.zip").read_bytes()
    assert verify_archive(tmp_path / "b.zip", passphrase=PASSPHRASE)["schema_version"] == SCHEMA_VERSION
    with Register(tmp_path / "C") as c:
        fill(c, "Z-1", "Zed", lesions=1, captures=1, seed=5)
    kept = snapshot(tmp_path / "C")
    for wrong in (None, "not the passphrase"):
        with pytest.raises(PassphraseError):
            restore(tmp_path / "b.zip", tmp_path / "C", passphrase=wrong)
        assert snapshot(tmp_path / "C") == kept and not list((tmp_path / "C").glob(".restore-*"))
    restore(tmp_path / "b.zip", tmp_path / "C", passphrase=PASSPHRASE)
    with Register(tmp_path / "C") as c:
        assert (dump(c), images(c)) == before


def test_a_transfer_package_is_not_restored_as_a_backup(tmp_path: Path, package: Path) -> None:
    with pytest.raises(IntegrityError, match="transfer package, not a backup"):
        restore(package, tmp_path / "C", passphrase=PASSPHRASE)


def test_manifest_lists_every_member_with_its_checksum(tmp_path: Path, package: Path) -> None:
    import zipfile

    with open(tmp_path / "plain.zip", "wb") as fh:
        unseal(package, fh, PASSPHRASE)
    with zipfile.ZipFile(tmp_path / "plain.zip") as zf:
        manifest = json.loads(zf.read("MANIFEST.json"))
        assert set(manifest["files"]) == set(zf.namelist()) - {"MANIFEST.json"}
        assert manifest["counts"]["captures"] == 6 and manifest["workstation"]["hostname"]


def test_db_check_lists_a_decrypted_copy_left_by_a_killed_import_once_it_is_stale(tmp_path: Path) -> None:
    import os
    import time

    with Register(tmp_path / "B") as b:
        left = tmp_path / "B" / ".transfer-abc123"
        left.mkdir()
        (left / "package.zip").write_bytes(b"plain")
        assert check_register(b).leftover_temp_files == []  # may be an import running now
        old = time.time() - 7200
        os.utime(left, (old, old))
        report = check_register(b, clean=True)
        assert report.ok and report.leftover_temp_files == [str(left)] and not left.exists()
