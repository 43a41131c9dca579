"""Restore that never loses the register: an interrupted switch finished at the next open, no silent empty
register, and every crafted archive refused in one line with nothing changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import dermadesk.storage.restore as restore_module
from dermadesk.bench.crafted import crafted_archives, fill_register, read_members, write_archive
from dermadesk.main import main
from dermadesk.config import REGISTER_FILE, SETTINGS_FILE, Settings
from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.backup import backup
from dermadesk.storage.check import check_register
from dermadesk.storage.register import Register
from dermadesk.storage.restore import JOURNAL, restore


class Crash(BaseException):
    """Stands in for a power cut: not an Exception, so nothing on the way catches it."""


def _mrns(data_dir: Path) -> list[str]:
    with Register(data_dir) as reg:
        return sorted(p.mrn for p in reg.patients.search())


def _captures(data_dir: Path) -> int:
    with Register(data_dir) as reg:
        return int(reg.database.one("SELECT count(*) FROM captures")[0])


@pytest.fixture
def backup_and_target(tmp_path: Path) -> tuple[Path, Path, list[str], list[str]]:
    source, target = tmp_path / "source", tmp_path / "target"
    fill_register(source, patients=2, captures=2, seed=1)
    backup(source, tmp_path / "b.zip")
    fill_register(target, patients=3, captures=1, seed=2)
    return tmp_path / "b.zip", target, _mrns(source), _mrns(target)


def _moves(archive: Path, target: Path, tmp_path: Path) -> int:
    import shutil

    probe = tmp_path / "probe"
    shutil.copytree(target, probe)
    calls: list[tuple[Path, Path]] = []
    original = restore_module._move
    restore_module._move = lambda a, b: (calls.append((a, b)), original(a, b))  # type: ignore[assignment]
    try:
        restore(archive, probe)
    finally:
        restore_module._move = original
    return len(calls)


def test_switch_interrupted_at_every_rename_is_finished_at_next_open(backup_and_target, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    archive, target0, backup_mrns, _ = backup_and_target
    moves = _moves(archive, target0, tmp_path)
    assert moves >= 4  # the old register and images out, the restored ones in
    import shutil

    original = restore_module._move

    def crashing_at(k: int):  # type: ignore[no-untyped-def]
        calls = [0]

        def crashing(src: Path, dst: Path) -> None:
            calls[0] += 1
            if calls[0] == k:
                raise Crash()
            original(src, dst)
        return crashing

    for k in range(1, moves + 1):
        target = tmp_path / f"t{k}"
        shutil.copytree(target0, target)
        monkeypatch.setattr(restore_module, "_move", crashing_at(k))
        with pytest.raises(Crash):
            restore(archive, target)
        monkeypatch.setattr(restore_module, "_move", original)
        assert (target / JOURNAL).exists()
        with Register(target) as reg:  # the next open finishes the switch and says where the old data is
            assert reg.recovered and "previous-" in reg.recovered
            assert sorted(p.mrn for p in reg.patients.search()) == backup_mrns
            assert check_register(reg).ok
        assert not (target / JOURNAL).exists() and not list(target.glob(".restore-*"))
        previous = [p for p in target.iterdir() if p.name.startswith("previous-")]
        assert len(previous) == 1 and _captures(previous[0]) == 3


def test_next_command_after_an_interrupted_restore_says_so(backup_and_target, monkeypatch, capsys) -> None:
    archive, target, backup_mrns, _ = backup_and_target
    original = restore_module._move
    calls = [0]

    def crash_after_old_data_moved(src: Path, dst: Path) -> None:
        calls[0] += 1
        if str(src).find(".restore-") >= 0:  # the old data is aside, nothing new in place: no register here
            raise Crash()
        original(src, dst)

    monkeypatch.setattr(restore_module, "_move", crash_after_old_data_moved)
    with pytest.raises(Crash):
        restore(archive, target)
    monkeypatch.setattr(restore_module, "_move", original)
    assert not (target / REGISTER_FILE).exists()
    assert main(["patient", "list", "--json", "--data-dir", str(target)]) == 0
    out, err = capsys.readouterr()
    assert sorted(p["mrn"] for p in json.loads(out)) == backup_mrns
    assert "finished an interrupted restore" in err


def test_no_register_beside_earlier_data_is_refused_not_created_empty(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=1, captures=1)
    aside = data_dir / "previous-20260101-000000"
    aside.mkdir()
    for name in (REGISTER_FILE, "images"):
        (data_dir / name).rename(aside / name)  # what an interrupted restore of an earlier version left
    with pytest.raises(IntegrityError, match="previous-20260101-000000"):
        Register(data_dir)
    assert main(["patient", "list", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no new register was created" in err
    assert not (data_dir / REGISTER_FILE).exists()


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, bool]]:
    root = tmp_path_factory.mktemp("crafted")
    fill_register(root / "good", patients=2, captures=2, seed=3)
    Register(root / "empty").close()
    backup(root / "good", root / "good.zip")
    backup(root / "empty", root / "empty.zip")
    return crafted_archives(root / "good.zip", root / "empty.zip", root / "out")


EXPECTED = {
    "image-and-checksum-changed": "checksum does not match its name",
    "image-renamed-to-its-new-hash": "the database refers to are not in the backup",
    "image-missing": "the database refers to are not in the backup",
    "parent-path": "'../escaped.txt' is not a file DermaDesk writes",
    "absolute-path": "is not a file DermaDesk writes",
    "subfolder": "'sub/register.sqlite3' is not a file DermaDesk writes",
    "duplicate-member": "a file name twice",
    "zip-bomb-4gib-member": "declares 4.03 GB, over the 300 MB limit",  # 0xF000_0000: size_text; the limit round
    "understated-size": "not a readable DermaDesk backup",
    "settings-not-an-object": "settings.json in the backup is not a JSON object",
    "settings-not-json": "settings.json in the backup is not valid JSON",
    "manifest-a-list": "MANIFEST.json is not a JSON object",
    "manifest-not-json": "MANIFEST.json is not valid JSON",
    "manifest-files-a-list": "has no list of files",
    "manifest-bad-checksum-type": "gives no valid sha256",
    "manifest-missing": "no MANIFEST.json",
    "manifest-schema-mismatch": "the manifest says schema 99",
    "manifest-schema-a-string": "no valid schema_version",
    "counts-mismatch": "the manifest says 99",
    "database-junk": "fails its integrity check",
    "database-page-overwritten": "fails its integrity check",
    "database-not-a-register": "not a DermaDesk register",
    "not-a-zip": "not a readable DermaDesk backup",
    "empty-register": "holds no patients and would replace 2 patients; use --force",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_crafted_archive_refused_in_one_line_and_nothing_changed(crafted, name: str, tmp_path: Path,
                                                                 capsys) -> None:
    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=2, captures=1, seed=4)
    before, images_before = _mrns(data_dir), sorted(p.name for p in (data_dir / "images").rglob("*"))
    archive, force_ok = crafted[name]
    assert main(["restore", str(archive), "--yes", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and EXPECTED[name] in err and "nothing was changed" in err, err
    assert "Traceback" not in err
    assert _mrns(data_dir) == before and _captures(data_dir) == 2
    assert sorted(p.name for p in (data_dir / "images").rglob("*")) == images_before
    assert not [p for p in data_dir.iterdir() if p.name.startswith(("previous-", ".restore-", "restore-journal"))]
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/dermadesk-escaped.txt").exists()
    if force_ok:
        assert main(["restore", str(archive), "--force", "--yes", "--data-dir", str(data_dir)]) == 0
        assert _mrns(data_dir) == []


def test_declared_sizes_are_checked_before_extracting(tmp_path: Path, monkeypatch) -> None:
    fill_register(tmp_path / "src", patients=1, captures=1)
    backup(tmp_path / "src", tmp_path / "b.zip")
    with pytest.raises(IntegrityError, match="add up to .* kB, over the 1 kB limit"):
        restore(tmp_path / "b.zip", tmp_path / "dst", max_total=1000)
    free = type("Usage", (), {"free": 10})()
    monkeypatch.setattr("dermadesk.storage.archive.shutil.disk_usage", lambda _: free)
    with pytest.raises(IntegrityError, match="is free on that disk"):
        restore(tmp_path / "b.zip", tmp_path / "dst")
    assert not (tmp_path / "dst" / REGISTER_FILE).exists() and not list((tmp_path / "dst").glob(".restore-*"))


def test_settings_that_are_not_an_object_never_stop_the_app(tmp_path: Path) -> None:
    """A settings.json holding [] (as an earlier restore let in) falls back to the defaults."""
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    for junk in ("[]", '"text"', '{"model": 5, "device": "cpu"}', "{broken"):
        (data_dir / SETTINGS_FILE).write_text(junk)
        settings = Settings.load(data_dir)
        assert settings.model == "" and settings.device in ("auto", "cpu")
    Register(data_dir).close()
    assert main(["patient", "list", "--data-dir", str(data_dir)]) == 0


def test_older_backup_without_counts_still_restores(tmp_path: Path) -> None:
    fill_register(tmp_path / "src", patients=1, captures=1)
    backup(tmp_path / "src", tmp_path / "b.zip")
    members, manifest = read_members(tmp_path / "b.zip")
    manifest.pop("counts")
    write_archive(tmp_path / "old.zip", members, manifest)
    restore(tmp_path / "old.zip", tmp_path / "dst")
    assert _mrns(tmp_path / "dst") == ["F-0-0"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_restored_files_are_owner_only(tmp_path: Path) -> None:
    fill_register(tmp_path / "src", patients=1, captures=2)
    backup(tmp_path / "src", tmp_path / "b.zip")
    assert (tmp_path / "b.zip").stat().st_mode & 0o777 == 0o600
    restore(tmp_path / "b.zip", tmp_path / "dst")
    for path in [tmp_path / "dst", *(tmp_path / "dst").rglob("*")]:
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
