"""``dermadesk restore`` on a terminal reads the backup once: it is unpacked and checked whole before the question
(a wrong passphrase or a damaged backup is said before anything is asked, as before) and switched in after a yes,
never read a second time. What a no, a refusal or a second window leaves: nothing changed and no unpacked copy.
Counted with spies around the real functions; real registers and archives."""

from __future__ import annotations

import builtins
import io
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import pytest

import dermadesk.storage.backup as backup_module
import dermadesk.storage.restore as restore_module
from dermadesk.bench.crafted import crafted_archives, fill_register
from dermadesk.main import main
from dermadesk.storage.backup import backup
from dermadesk.storage.register import Register
from dermadesk.storage.restore import JOURNAL, STAGING_PREFIX


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Reads:
    """Wraps the real member reader (``copy_member``) and decrypter (``unseal``) wherever a restore or a
    verification calls them, counting the reads of each member and the decryptions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.members: Counter[str] = Counter()
        self.decryptions = 0
        for module in (restore_module, backup_module):
            monkeypatch.setattr(module, "copy_member", self._member(module.copy_member))
            monkeypatch.setattr(module, "unseal", self._unseal(module.unseal))

    def _member(self, real: Callable[..., None]) -> Callable[..., None]:
        def counted(zf: Any, archive: Path, member: Any, out: Any) -> None:
            self.members[member.name] += 1
            real(zf, archive, member, out)

        return counted

    def _unseal(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.decryptions += 1
            return real(*args, **kwargs)

        return counted


def _mrns(capsys, data_dir: Path) -> list[str]:
    capsys.readouterr()
    assert main(["patient", "list", "--json", "--data-dir", str(data_dir)]) == 0
    return sorted(p["mrn"] for p in json.loads(capsys.readouterr().out))


def _left_over(data_dir: Path) -> list[str]:
    """What a restore that changed nothing must not leave: an unpacked copy, a journal, a kept-aside folder."""
    return sorted(
        p.name for p in data_dir.iterdir() if p.name.startswith((STAGING_PREFIX, "previous-")) or p.name == JOURNAL
    )


def _answers(monkeypatch: pytest.MonkeyPatch, answer: str, meanwhile: Callable[[], None] | None = None) -> list[str]:
    """A terminal whose user answers ``answer`` (after ``meanwhile`` happened while the question was shown)."""
    asked: list[str] = []

    def ask(prompt: str = "") -> str:
        asked.append(prompt)
        if meanwhile is not None:
            meanwhile()
        return answer

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(builtins, "input", ask)
    return asked


@pytest.fixture
def monday(tmp_path: Path, capsys) -> tuple[Path, Path]:
    """A register of two patients backed up on Monday, then a third added on Tuesday."""
    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=2, captures=2, seed=5)
    archive = tmp_path / "monday.zip"
    backup(data_dir, archive)
    assert main(["patient", "add", "--mrn", "TUE-1", "--name", "Tuesday Patient", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    return data_dir, archive


def _members(archive: Path) -> int:
    with zipfile.ZipFile(archive) as zf:
        return len(zf.namelist()) - 1  # the manifest is read apart, once


def _one_byte_flipped(archive: Path, damaged: Path) -> Path:
    """``archive`` with one byte of an image changed (its manifest as it was)."""
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(damaged, "w") as zout:
        image = next(n for n in zin.namelist() if n.startswith("images/"))
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item, data[:-1] + bytes([data[-1] ^ 0xFF]) if item.filename == image else data)
    return damaged


def test_yes_reads_every_file_of_the_backup_once(monday, monkeypatch, capsys) -> None:
    data_dir, archive = monday
    reads = Reads(monkeypatch)
    asked = _answers(monkeypatch, "y")
    assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert asked == ["Restore? [y/N] "] and "The register now holds 3 patients" in out
    assert "The backup holds 2 patients" in out and "Restored from monday.zip" in out
    assert len(reads.members) == _members(archive) and set(reads.members.values()) == {1}
    assert reads.decryptions == 0
    assert "TUE-1" not in _mrns(capsys, data_dir)
    assert [n for n in _left_over(data_dir) if not n.startswith("previous-")] == []  # the earlier data kept aside


def test_an_encrypted_backup_is_decrypted_once(monday, tmp_path: Path, monkeypatch, capsys) -> None:
    data_dir, _ = monday
    secret = tmp_path / "secret.txt"
    secret.write_text("a long backup passphrase\n")
    sealed = tmp_path / "sealed.zip"
    assert main(["backup", str(sealed), "--passphrase-file", str(secret), "--data-dir", str(data_dir)]) == 0
    reads = Reads(monkeypatch)
    _answers(monkeypatch, "y")
    argv = ["restore", str(sealed), "--passphrase-file", str(secret), "--data-dir", str(data_dir)]
    assert main(argv) == 0
    assert reads.decryptions == 1 and set(reads.members.values()) == {1}
    assert "TUE-1" in _mrns(capsys, data_dir)  # backed up after Tuesday's patient was added
    assert not list(data_dir.glob(STAGING_PREFIX + "*"))  # the decrypted copy went with the unpacked one


def test_no_reads_once_and_changes_nothing(monday, monkeypatch, capsys) -> None:
    data_dir, archive = monday
    reads = Reads(monkeypatch)
    _answers(monkeypatch, "n")
    assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 0
    assert "not restored; nothing was changed" in capsys.readouterr().out
    assert set(reads.members.values()) == {1}
    assert "TUE-1" in _mrns(capsys, data_dir) and _left_over(data_dir) == []


def test_a_wrong_passphrase_is_said_before_the_question(monday, tmp_path: Path, monkeypatch, capsys) -> None:
    data_dir, _ = monday
    secret, wrong = tmp_path / "secret.txt", tmp_path / "wrong.txt"
    secret.write_text("a long backup passphrase\n")
    wrong.write_text("not the passphrase at all\n")
    sealed = tmp_path / "b.zip"
    assert main(["backup", str(sealed), "--passphrase-file", str(secret), "--data-dir", str(data_dir)]) == 0
    asked = _answers(monkeypatch, "y")
    assert main(["restore", str(sealed), "--passphrase-file", str(wrong), "--data-dir", str(data_dir)]) == 1
    assert "wrong passphrase for b.zip; nothing was changed" in capsys.readouterr().err
    assert asked == [] and "TUE-1" in _mrns(capsys, data_dir) and _left_over(data_dir) == []


def test_a_damaged_backup_is_said_before_the_question(monday, tmp_path: Path, monkeypatch, capsys) -> None:
    data_dir, archive = monday
    empty = tmp_path / "empty"
    Register(empty).close()
    backup(empty, tmp_path / "empty.zip")
    crafted = {
        name: path for name, (path, _) in crafted_archives(archive, tmp_path / "empty.zip", tmp_path / "c").items()
    }
    crafted["flipped"] = _one_byte_flipped(archive, tmp_path / "flipped.zip")
    asked = _answers(monkeypatch, "y")
    for name, said in [
        ("flipped", "is damaged (checksum mismatch); nothing was changed"),
        ("database-page-overwritten", "the database in the backup fails its integrity check"),
        ("image-missing", "1 image the database refers to are not in the backup"),  # asked first before
    ]:
        assert main(["restore", str(crafted[name]), "--data-dir", str(data_dir)]) == 1, name
        assert said in capsys.readouterr().err, name
    assert asked == [] and "TUE-1" in _mrns(capsys, data_dir) and _left_over(data_dir) == []
    # a backup with no patients: asked, then refused over a register with patients unless --force
    assert main(["restore", str(tmp_path / "empty.zip"), "--data-dir", str(data_dir)]) == 1
    assert "the backup holds no patients and would replace 3 patients; use --force" in capsys.readouterr().err
    assert len(asked) == 1 and "TUE-1" in _mrns(capsys, data_dir) and _left_over(data_dir) == []
    assert main(["restore", str(tmp_path / "empty.zip"), "--force", "--data-dir", str(data_dir)]) == 0
    assert _mrns(capsys, data_dir) == []


def test_a_window_opened_while_asking_stops_the_restore(monday, monkeypatch, capsys) -> None:
    data_dir, archive = monday
    opened: list[Register] = []
    _answers(monkeypatch, "y", lambda: opened.append(Register(data_dir)))  # the app started meanwhile
    try:
        assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 1
        err = capsys.readouterr().err
        assert "is open in another DermaDesk" in err and "nothing was changed" in err
        assert [p.mrn for p in opened[0].patients.search()].count("TUE-1") == 1
    finally:
        opened[0].close()
    assert _left_over(data_dir) == []


def test_an_unpacked_copy_cleaned_away_while_asking_is_not_switched_in(monday, monkeypatch, capsys) -> None:
    data_dir, archive = monday
    cleaned = lambda: main(["db", "check", "--clean", "--data-dir", str(data_dir)])  # noqa: E731
    _answers(monkeypatch, "y", cleaned)  # another terminal's clean-up removed the unpacked copy
    assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "was removed meanwhile" in err and "restore it again" in err and "nothing was changed" in err
    assert "TUE-1" in _mrns(capsys, data_dir) and _left_over(data_dir) == []


def test_a_switch_interrupted_after_the_question_is_finished_at_the_next_open(monday, monkeypatch, capsys) -> None:
    data_dir, archive = monday
    moves: list[str] = []
    real_move = restore_module._move

    def power_cut(src: Path, dst: Path) -> None:
        moves.append(src.name)
        if len(moves) == 2:
            raise KeyboardInterrupt  # the process stops between two renames of the switch
        real_move(src, dst)

    monkeypatch.setattr(restore_module, "_move", power_cut)
    _answers(monkeypatch, "y")
    assert main(["restore", str(archive), "--data-dir", str(data_dir)]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert (data_dir / JOURNAL).exists() and list(data_dir.glob(STAGING_PREFIX + "*"))  # kept for the recovery
    monkeypatch.setattr(restore_module, "_move", real_move)
    assert "TUE-1" not in _mrns(capsys, data_dir)  # the next command finished the switch
    assert not (data_dir / JOURNAL).exists() and not list(data_dir.glob(STAGING_PREFIX + "*"))
