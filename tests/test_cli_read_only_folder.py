"""A data folder this account cannot write (a register on a read-only share, a copy on a DVD or a write-protected
stick, a folder IT copied with the wrong permissions) is read as it is: the commands that only read work, every
change is refused before anything is done, naming the folder and saying what to do, and nothing in the folder is
made, locked or changed. A change not yet written into the register file (its -wal file, copied while DermaDesk had
it open) is read with the register, or, where SQLite cannot read it there, the register is not shown without it.
Walkthrough 25: every command, reads too, failed with 'Permission denied: .../.restore.lock'.

The folder is made read-only for real (chmod a-w): the commands run in a child process as an account the modes
bind, the test's own, or, under root (which ignores file modes), root without the capabilities that let it
(setpriv drops CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.cli import build_parser
from dermadesk.cli.output import writes_data
from dermadesk.config import REGISTER_FILE
import dermadesk.storage.restore as restore_module
from dermadesk.storage.backup import backup
from dermadesk.storage.db import Database
from dermadesk.storage.migrations import SCHEMA_VERSION, migrate
from dermadesk.storage.register import Register
from dermadesk.storage.restore import JOURNAL, restore
from tests.conftest import lesion_jpeg

CAPS = "-dac_override,-dac_read_search,-fowner"
RUNNER = """
import contextlib, io, json, sys
from dermadesk.main import main
said = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    said.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(said))
"""
ADVICE = (
    "copy the whole folder somewhere writable and point DERMADESK_DATA_DIR (or --data-dir, or Edit > Settings > Data "
    "directory in the app) at the copy, or ask IT to give this account write access to the folder"
)
WHY = "this account may not write in it"


def as_reader() -> list[str]:
    """The prefix that runs a command as an account the folder's modes bind (see the module's words)."""
    if os.name != "posix":
        pytest.skip("a folder made read-only by its modes: POSIX")
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", f"--bounding-set={CAPS}", f"--inh-caps={CAPS}"]
    if shutil.which("setpriv") is None or subprocess.run([*prefix, "true"], capture_output=True).returncode:
        pytest.skip("root, and no setpriv here to drop the capability to ignore file modes")
    return prefix


def commands(folder: Path, *argvs: list[str]) -> list[tuple[int, str, str]]:
    """Each command on ``folder`` (exit code, stdout, stderr), in one child process run as a reader."""
    given = json.dumps([["--data-dir", str(folder), *argv] for argv in argvs])
    proc = subprocess.run(
        [*as_reader(), sys.executable, "-c", RUNNER, given], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return [tuple(r) for r in json.loads(proc.stdout)]  # type: ignore[misc]


def state(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every name in the folder, with its mode, size and time of change: what a write of any kind would alter."""
    return {str(p.relative_to(folder)): (p.lstat().st_mode, p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in [folder, *folder.rglob("*")]}  # fmt: skip


def set_writable(folder: Path, writable: bool) -> None:
    for p in [folder, *folder.rglob("*")]:
        mode = p.stat().st_mode & 0o7777
        p.chmod(mode | 0o200 if writable else mode & ~0o222)


@pytest.fixture
def read_only(tmp_path: Path):
    """Two patients, one lesion each with two captures, in a folder made read-only; a backup of it in out/."""
    folder = tmp_path / "copy"
    fill_register(folder, patients=2, captures=2)
    (tmp_path / "out").mkdir()
    backup(folder, tmp_path / "out" / "earlier.zip")
    set_writable(folder, False)
    yield folder
    set_writable(folder, True)


def note(folder: Path) -> str:
    return f"dermadesk: note: the data folder {folder} is read-only ({WHY}): read as it is, nothing was written there\n"


def test_reading_works_and_writes_nothing(read_only: Path, tmp_path: Path) -> None:
    before = state(read_only)
    out = tmp_path / "out"
    listed, shown, lesion, checked, report, backed_up = commands(
        read_only,
        ["patient", "list", "--json"],
        ["patient", "show", "F-0-0", "--json"],
        ["lesion", "show", "1"],
        ["db", "check"],
        ["report", "--patient", "F-0-0", "--out", str(out / "summary.pdf")],
        ["backup", str(out / "now.zip")],
    )
    assert listed[0] == 0 and [p["mrn"] for p in json.loads(listed[1])] == ["F-0-0", "F-0-1"]
    assert listed[2] == note(read_only)  # said once, on stderr: --json output stays one document
    assert shown[0] == 0 and len(json.loads(shown[1])["lesions"][0]["captures"]) == 2
    assert lesion[0] == 0 and "capture 1 (" in lesion[1] and "capture 2 (" in lesion[1]
    assert checked[0] == 0 and checked[1].endswith("register OK\n") and checked[2] == note(read_only)
    assert report[0] == 0 and (out / "summary.pdf").read_bytes().startswith(b"%PDF")
    assert backed_up[0] == 0 and backed_up[1].startswith(f"backup written to {out / 'now.zip'}: 4 image files")
    assert state(read_only) == before  # no -wal, -shm or lock file made, no mode changed


def test_changes_are_refused_first_naming_the_folder(read_only: Path, tmp_path: Path) -> None:
    before = state(read_only)
    out = tmp_path / "out"
    image = tmp_path / "new.jpg"
    image.write_bytes(lesion_jpeg(seed=7))
    said = commands(
        read_only,
        ["patient", "add", "--mrn", "N-1", "--name", "New Person"],
        ["lesion", "add", "--patient", "F-0-0", "--site", "anterior torso"],
        ["capture", "add", "--lesion", "1", "--taken", "2026-02-01", str(image)],
        ["capture", "review", "--capture", "1", "--decision", "refer"],
        ["assess", "--capture", "1"],
        ["compare", "1", "2"],
        ["db", "check", "--clean"],
        ["transfer", "import", "--yes", str(out / "week.ddtx")],  # refused before the package is looked for
        ["restore", "--yes", str(out / "earlier.zip")],
    )
    refused = (
        f"dermadesk: error: the data folder {read_only} is read-only ({WHY}): nothing was changed. To make changes, "
        f"{ADVICE}\n"
    )
    assert said == [(1, "", refused)] * 9
    assert state(read_only) == before and sorted(p.name for p in out.iterdir()) == ["earlier.zip"]


def test_changes_not_yet_in_the_register_file_are_read_with_it(tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    fill_register(tmp_path / "data", patients=1, captures=1)
    with Register(tmp_path / "data") as reg:  # copied while DermaDesk has it open: the last patient in -wal only
        reg.patients.add("t", "WAL-1", "Only In The Log")
        shutil.copytree(tmp_path / "data", folder)
    assert (folder / f"{REGISTER_FILE}-wal").stat().st_size > 0 and (folder / f"{REGISTER_FILE}-shm").exists()
    (tmp_path / "out").mkdir()
    set_writable(folder, False)
    try:
        before = state(folder)
        listed, backed_up = commands(folder, ["patient", "list", "--json"], ["backup", str(tmp_path / "out" / "b.zip")])
        assert state(folder) == before
    finally:
        set_writable(folder, True)
    assert listed[0] == 0 and [p["mrn"] for p in json.loads(listed[1])] == ["F-0-0", "WAL-1"]
    assert backed_up[0] == 0
    with zipfile.ZipFile(tmp_path / "out" / "b.zip") as zf:
        (tmp_path / "restored.sqlite3").write_bytes(zf.read(REGISTER_FILE))
    with sqlite3.connect(tmp_path / "restored.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM patients WHERE mrn = 'WAL-1'").fetchone()[0] == 1


def test_changes_that_cannot_be_read_there_are_never_left_out(tmp_path: Path) -> None:
    """Its -shm file not copied: SQLite cannot read the -wal file without making one beside it. Reading the
    register file alone (immutable) would show the register without its last patient, and a backup without it."""
    folder = tmp_path / "copy"
    fill_register(tmp_path / "data", patients=1, captures=1)
    with Register(tmp_path / "data") as reg:
        reg.patients.add("t", "WAL-1", "Only In The Log")
        shutil.copytree(tmp_path / "data", folder, ignore=shutil.ignore_patterns("*-shm"))
    (tmp_path / "out").mkdir()
    set_writable(folder, False)
    try:
        before = state(folder)
        said = commands(folder, ["patient", "list"], ["db", "check"], ["backup", str(tmp_path / "out" / "b.zip")])
        assert state(folder) == before
    finally:
        set_writable(folder, True)
    refused = (
        f"dermadesk: error: the data folder {folder} is read-only ({WHY}): its register holds changes not yet written "
        f"into {REGISTER_FILE} (in {REGISTER_FILE}-wal), which SQLite cannot read without writing beside it; nothing "
        f"was read, so that no register is shown without them. To read it, {ADVICE}\n"
    )
    assert said == [(1, "", refused)] * 3 and not (tmp_path / "out" / "b.zip").exists()


class Crash(Exception):
    """A power cut in the middle of a restore."""


def test_a_register_that_opening_would_write_to_is_refused_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older, restoring = tmp_path / "older", tmp_path / "restoring"
    older.mkdir()
    made = Database(older / REGISTER_FILE)  # an earlier DermaDesk's register: updated as it opens
    migrate(made.db, upto=SCHEMA_VERSION - 1)
    made.close()
    fill_register(tmp_path / "data", patients=1, captures=1)
    backup(tmp_path / "data", tmp_path / "b.zip")
    fill_register(restoring, patients=1, captures=1, seed=1)

    def crash(_src: Path, _dst: Path) -> None:  # the fault: the first rename of the switch never happens
        raise Crash()

    monkeypatch.setattr(restore_module, "_move", crash)
    with pytest.raises(Crash):
        restore(tmp_path / "b.zip", restoring)  # interrupted: finished as the register next opens
    assert (restoring / JOURNAL).exists()
    for folder in (older, restoring):
        set_writable(folder, False)
    try:
        [said_older], [said_restoring] = commands(older, ["patient", "list"]), commands(restoring, ["patient", "list"])
    finally:
        for folder in (older, restoring):
            set_writable(folder, True)
    assert said_older == (
        1,
        "",
        f"dermadesk: error: the data folder {older} is read-only ({WHY}): its register was made by an earlier "
        f"DermaDesk and is updated as it opens, which writes to it; nothing was read. To open it, {ADVICE}\n",
    )
    assert said_restoring == (
        1,
        "",
        f"dermadesk: error: the data folder {restoring} is read-only ({WHY}): a restore into it was interrupted, and "
        f"finishing it writes there; nothing was read. To finish it, {ADVICE}\n",
    )


@pytest.mark.parametrize(
    ("argv", "writes"),
    [
        (["patient", "list"], False),
        (["patient", "show", "P-1"], False),
        (["lesion", "show", "1"], False),
        (["capture", "list", "--lesion", "1"], False),
        (["db", "check"], False),
        (["db", "export", "out"], False),
        (["report", "--lesion", "1", "--out", "r.pdf"], False),
        (["backup", "b.zip"], False),
        (["analyze", "a.jpg"], False),
        (["models"], False),
        (["compare", "a.jpg", "b.jpg"], False),  # image files: nothing is stored
        (["compare", "1", "2"], True),
        (["db", "check", "--clean"], True),
        (["models", "--install", "m.json"], True),
        (["patient", "add", "--mrn", "P-1", "--name", "A Person"], True),
        (["patient", "delete", "P-1"], True),
        (["lesion", "add", "--patient", "P-1", "--site", "anterior torso"], True),
        (["capture", "review", "--capture", "1", "--decision", "refer"], True),
        (["assess", "--capture", "1"], True),
        (["transfer", "import", "--dry-run", "p.ddtx"], False),  # unpacked outside a read-only folder
        (["transfer", "import", "p.ddtx"], True),
        (["transfer", "export", "p.ddtx"], False),  # its package only; refused where the register needs writing first
        (["restore", "b.zip"], True),
    ],
)
def test_which_commands_change_the_data_folder(argv: list[str], writes: bool) -> None:
    assert writes_data(build_parser().parse_args(argv)) is writes
