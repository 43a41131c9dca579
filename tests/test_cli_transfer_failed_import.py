"""``transfer import`` into a data folder with no register makes a new one just before writing; where the import then
fails with nothing imported (here: the disk fills while its second image is stored), what it made is removed again
and said, so that a second try starts clean. Nothing that was in the folder before is ever removed, nor a register
that was there. A real register and package; the full disk injected at the image store."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from dermadesk.storage.images import ImageStore
from dermadesk.storage.register import Register
from tests.test_cli import run
from tests.test_cli_transfer import _one_patient


@pytest.fixture
def package(capsys, tmp_path: Path, lesion_files: list[Path]) -> str:
    """A package of one patient with two captures (two images), not encrypted."""
    clinic = str(tmp_path / "clinic")
    _one_patient(capsys, clinic, lesion_files[0])
    assert (
        run(capsys, "--data-dir", clinic, "capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[1]))[0]
        == 0
    )
    out = str(tmp_path / "p.ddtx")
    assert run(capsys, "--data-dir", clinic, "transfer", "export", out, "--no-encrypt")[0] == 0
    return out


@pytest.fixture
def disk_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first image stored, then the disk full (ENOSPC) for the next."""
    real, stored = ImageStore.put, []

    def put(self: ImageStore, data: bytes) -> str:
        if stored:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        stored.append(data)
        return real(self, data)

    monkeypatch.setattr(ImageStore, "put", put)


def test_a_failed_import_removes_the_new_register_it_made_and_a_second_try_starts_clean(
    capsys, tmp_path: Path, package: str, disk_fills, monkeypatch: pytest.MonkeyPatch
) -> None:
    field = tmp_path / "field"  # no folder yet: the import makes it
    code, _, err = run(capsys, "--data-dir", str(field), "transfer", "import", package, "--yes")
    lines = err.splitlines()
    assert code == 1 and lines[:2] == [
        f"dermadesk: note: a new, empty register was created at {field}",
        f"dermadesk: note: nothing was imported, so the new, empty register made for it at {field} was removed again",
    ]
    assert len(lines) == 3 and lines[2].startswith("dermadesk: error: ") and "No space left" in lines[2]
    assert not field.exists()  # the folder, its register files and the image stored before the disk filled
    monkeypatch.undo()  # space freed: the second try imports as a first one
    code, out, err = run(capsys, "--data-dir", str(field), "transfer", "import", package, "--yes")
    assert code == 0 and err == f"dermadesk: note: a new, empty register was created at {field}\n"
    with Register(field) as reg:
        assert [p.mrn for p in reg.patients.search()] == ["T-1"] and len(reg.captures.for_lesion(1)) == 2


def test_only_what_the_failed_import_made_is_removed_from_a_folder_that_was_there(
    capsys, tmp_path: Path, package: str, disk_fills
) -> None:
    field = tmp_path / "field"
    field.mkdir()
    (field / "notes.txt").write_text("the field laptop's own notes", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(field), "transfer", "import", package, "--yes")
    assert code == 1 and "was removed again" in err
    assert sorted(p.name for p in field.iterdir()) == ["notes.txt"]  # the folder and what was in it kept
    assert (field / "notes.txt").read_text(encoding="utf-8") == "the field laptop's own notes"


def test_a_register_that_was_there_is_kept_when_an_import_into_it_fails(
    capsys, tmp_path: Path, package: str, disk_fills
) -> None:
    field = tmp_path / "field"
    assert run(capsys, "--data-dir", str(field), "patient", "add", "--mrn", "F-1", "--name", "Fay Field")[0] == 0
    code, _, err = run(capsys, "--data-dir", str(field), "transfer", "import", package, "--yes")
    assert code == 1 and "removed" not in err and "No space left" in err
    with Register(field) as reg:
        assert [p.mrn for p in reg.patients.search()] == ["F-1"]
