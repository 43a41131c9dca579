"""Transfers from a data folder this account cannot write (a copy on a read-only share): ``transfer export`` writes
only its package, outside the folder, and ``transfer import --dry-run`` only reads the package and the register
(unpacked in the system's temporary folder, removed after), so both run there, "read as it is", and nothing in the
folder is made, locked or changed. An export that would have to write the register first is refused, saying why: a
register from another computer (a package from it would claim to come from there) or records with no transfer id
yet. An import itself, and ``models --install``, are refused before anything is done, saying what to do.

The folder is made read-only for real, the commands run as an account its modes bind (``test_cli_read_only_folder``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.config import REGISTER_FILE
from dermadesk.main import main
from tests.test_cli_read_only_folder import ADVICE, WHY, commands, note, set_writable, state

PASSPHRASE = "field team passphrase\n"


@pytest.fixture
def read_only(tmp_path: Path):
    """Two patients (F-0-0, F-0-1) in a folder made read-only; out/ writable, with the passphrase file."""
    folder = tmp_path / "copy"
    fill_register(folder, patients=2, captures=2)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "secret.txt").write_text(PASSPHRASE)
    set_writable(folder, False)
    yield folder
    set_writable(folder, True)


def changed_while_writable(folder: Path, sql: str) -> None:
    """``sql`` run on the register of ``folder``, made writable for it (closed cleanly: no -wal file left)."""
    set_writable(folder, True)
    try:
        with sqlite3.connect(folder / REGISTER_FILE) as conn:
            conn.execute(sql)
        conn.close()
    finally:
        set_writable(folder, False)


def test_export_writes_only_its_package(capsys, read_only: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = state(read_only)
    plain, sealed = commands(
        read_only,
        ["transfer", "export", "--no-encrypt", "--patient", "F-0-1", str(out / "week")],
        ["transfer", "export", "--passphrase-file", str(out / "secret.txt"), str(out / "sealed.ddtx")],
    )
    assert state(read_only) == before  # no -wal, -shm or lock file, no audit row: the register as it was
    assert plain[0] == 0 and plain[2] == note(read_only)
    assert plain[1].startswith("exported 1 patient, 1 lesion, 2 captures") and "NOT encrypted" in plain[1]
    assert sealed[0] == 0 and sealed[2] == note(read_only) and "encrypted" in sealed[1]
    # the packages are whole: a register elsewhere takes them in
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "transfer", "import", "--yes", str(out / "week.ddtx")]) == 0
    passphrase = ["--passphrase-file", str(out / "secret.txt")]
    assert main(["--data-dir", str(fresh), "transfer", "import", "--yes", *passphrase, str(out / "sealed.ddtx")]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(fresh), "patient", "list", "--json"]) == 0
    assert [p["mrn"] for p in json.loads(capsys.readouterr().out)] == ["F-0-0", "F-0-1"]


def test_export_of_a_register_from_another_computer_is_refused(read_only: Path, tmp_path: Path) -> None:
    """Opened where it can be written, it would take an identity of its own here first (``bind_to_machine``)."""
    changed_while_writable(read_only, "UPDATE workstations SET machine = 'another computer' WHERE is_self = 1")
    with sqlite3.connect(f"{(read_only / REGISTER_FILE).as_uri()}?mode=ro", uri=True) as conn:
        uid = conn.execute("SELECT uid FROM workstations WHERE is_self = 1").fetchone()[0]
    conn.close()
    before = state(read_only)
    [said] = commands(read_only, ["transfer", "export", "--no-encrypt", str(tmp_path / "out" / "week.ddtx")])
    assert said == (
        1,
        "",
        note(read_only) + f"dermadesk: error: the data folder {read_only} is read-only ({WHY}): its register was made "
        f"or last opened on another computer (workstation {uid[:8]}), so a package made from it here would claim to "
        "come from there, and giving it an identity of its own on this computer writes to it; nothing was written. "
        f"To export from it, {ADVICE}\n",
    )
    assert state(read_only) == before and not (tmp_path / "out" / "week.ddtx").exists()


def test_export_of_records_with_no_transfer_id_is_refused(read_only: Path, tmp_path: Path) -> None:
    changed_while_writable(read_only, "UPDATE patients SET uid = NULL WHERE mrn = 'F-0-1'")  # raw SQL, another tool
    [said] = commands(read_only, ["transfer", "export", "--no-encrypt", str(tmp_path / "out" / "week.ddtx")])
    assert said[0] == 1 and said[2].endswith(
        f"({WHY}): its register holds 1 record with no transfer id yet (written by another program), which an export "
        f"gives by writing to it; nothing was written. To export from it, {ADVICE}\n"
    )
    assert not (tmp_path / "out" / "week.ddtx").exists()


def test_import_dry_run_previews_and_writes_nothing(
    read_only: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, unpacked = tmp_path / "out", tmp_path / "tmp"
    other = tmp_path / "other"
    fill_register(other, patients=1, captures=1, seed=1)  # F-1-0, new to the copy
    secret = ["--passphrase-file", str(out / "secret.txt")]
    assert main(["--data-dir", str(other), "transfer", "export", *secret, str(out / "field.ddtx")]) == 0
    unpacked.mkdir()
    monkeypatch.setenv("TMPDIR", str(unpacked))  # the child's temporary folder: the package is unpacked there
    before = state(read_only)
    preview, as_json, refused = commands(
        read_only,
        ["transfer", "import", "--dry-run", *secret, str(out / "field.ddtx")],
        ["transfer", "import", "--dry-run", "--json", *secret, str(out / "field.ddtx")],
        ["transfer", "import", "--yes", *secret, str(out / "field.ddtx")],
    )
    assert state(read_only) == before and list(unpacked.iterdir()) == []  # nothing left in either
    assert preview[0] == 0 and preview[2] == note(read_only)
    lines = preview[1].splitlines()
    assert (
        lines[1].startswith("  to add:          1 patient, 1 lesion, 1 capture")
        and lines[-1] == "dry run: nothing was written"
    )
    assert any(line.split()[:2] == ["F-1-0", "Fault"] and "NEW" in line for line in lines)
    said = json.loads(as_json[1])
    assert as_json[0] == 0 and said["applied"] is False and [p["mrn"] for p in said["patients"]] == ["F-1-0"]
    assert refused == (
        1,
        "",
        f"dermadesk: error: the data folder {read_only} is read-only ({WHY}): nothing was changed. To make changes, "
        f"{ADVICE}\n",
    )


def test_models_install_is_refused_saying_what_to_do(read_only: Path, tmp_path: Path) -> None:
    before = state(read_only)
    [said] = commands(read_only, ["models", "--install", str(tmp_path / "model.json")])
    assert said == (
        1,
        "",
        f"dermadesk: error: the data folder {read_only} is read-only ({WHY}): nothing was installed. To install a "
        f"model, {ADVICE}\n",
    )
    assert state(read_only) == before
