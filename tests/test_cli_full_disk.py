"""A disk that fills while a file is written: ``transfer export`` says it as ``backup`` does ("... was not written:
the disk is full (...); free some space or choose another disk; nothing was changed"), naming the file asked for,
and leaves no part of it behind (was "dermadesk: error: No space left on device: /.../p.ddtx"). The fault is
injected at the write: the file's bytes go to disk until it is full, then ENOSPC; a real register otherwise."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

import dermadesk.files
from tests.test_cli import run

ROOM = 4096  # bytes the disk takes before it is full


class _FillingFile:
    """A file as ``atomic_writer`` opens it whose disk fills after ``ROOM`` bytes: part written, then ENOSPC."""

    def __init__(self, fh: Any) -> None:
        self._fh, self._written = fh, 0

    def write(self, data: Any) -> int:
        room = ROOM - self._written
        if len(data) > room:
            self._fh.write(bytes(data[:room]))
            self._written = ROOM
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._written += len(data)
        return int(self._fh.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FillingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def test_transfer_export_onto_a_full_disk_says_so_as_backup_does_and_leaves_nothing(
    capsys, tmp_path: Path, lesion_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "patient", "add", "--mrn", "F-1", "--name", "Full Disk")
    run(capsys, "lesion", "add", "--patient", "F-1", "--site", "head/neck")
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", *map(str, lesion_files))[0] == 0
    real = os.fdopen  # from here on, every file written fills the disk
    monkeypatch.setattr(dermadesk.files.os, "fdopen", lambda fd, *a, **k: _FillingFile(real(fd, *a, **k)))
    usb = tmp_path / "usb"
    usb.mkdir()
    package, archive = usb / "p.ddtx", usb / "b.zip"
    code, out, err = run(capsys, "transfer", "export", str(package), "--no-encrypt")
    assert code == 1 and out == ""
    assert err == (
        f"dermadesk: error: {package} was not written: the disk is full ({os.strerror(errno.ENOSPC)}); free some "
        "space or choose another disk; nothing was changed\n"
    )
    assert list(usb.iterdir()) == []  # neither the package nor its partly written temporary file
    code, _, backup_err = run(capsys, "backup", str(archive))
    assert code == 1 and backup_err.replace(str(archive), str(package)) == err  # the same words as a backup
    assert list(usb.iterdir()) == []
    code, out, _ = run(capsys, "transfer", "export", str(package), "--no-encrypt", "--json")
    assert code == 1 and "was not written: the disk is full" in out and list(usb.iterdir()) == []
