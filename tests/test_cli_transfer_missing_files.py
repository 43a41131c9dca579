"""``transfer import`` of a package file that is not there says so in the words of the file asked for, as ``backup
restore`` says its own: "package file not found: PATH; nothing was changed" (it printed the system's "No such file
or directory: PATH"), a folder as a folder ("Is a directory" before); a passphrase file not there is said the same
way for an import and an export. Nothing is made or changed. A real register and package, the real commands."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.config import REGISTER_FILE
from tests.test_cli import run
from tests.test_cli_transfer import _one_patient


def test_a_package_not_there_is_said_as_not_found(capsys, tmp_path: Path) -> None:
    here, gone = tmp_path / "here", tmp_path / "pk" / "nothere.ddtx"
    code, out, err = run(capsys, "--data-dir", str(here), "transfer", "import", str(gone))
    assert (code, out) == (1, "") and err == f"dermadesk: error: package file not found: {gone}; nothing was changed\n"
    assert not (here / REGISTER_FILE).exists()  # nothing made for it
    code, out, _ = run(capsys, "--data-dir", str(here), "--json", "transfer", "import", str(gone))
    assert code == 1 and json.loads(out) == {"error": f"package file not found: {gone}; nothing was changed"}


def test_a_folder_given_as_the_package_is_said_as_one(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "here"), "transfer", "import", str(tmp_path))
    assert code == 1 and err == f"dermadesk: error: {tmp_path} is a folder, not a package file; nothing was changed\n"


def test_a_passphrase_file_not_there_is_said_as_not_found(capsys, tmp_path: Path, lesion_files: list[Path]) -> None:
    clinic, here, none = str(tmp_path / "clinic"), tmp_path / "here", tmp_path / "no-pass.txt"
    _one_patient(capsys, clinic, lesion_files[0])
    package = tmp_path / "p.ddtx"
    code, _, err = run(capsys, "--data-dir", clinic, "transfer", "export", str(package), "--passphrase-file", str(none))
    assert code == 1 and err == f"dermadesk: error: passphrase file not found: {none}; nothing was written\n"
    assert not package.exists()
    given = tmp_path / "pass.txt"
    given.write_text("correct horse battery\n", encoding="utf-8")
    assert (
        run(capsys, "--data-dir", clinic, "transfer", "export", str(package), "--passphrase-file", str(given))[0] == 0
    )
    code, _, err = run(
        capsys, "--data-dir", str(here), "transfer", "import", str(package), "--passphrase-file", str(none)
    )
    assert code == 1 and err == f"dermadesk: error: passphrase file not found: {none}; nothing was changed\n"
    assert not (here / REGISTER_FILE).exists()
