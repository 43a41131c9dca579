"""The demo's throwaway folder: removed on exit; one left by a killed demo (SIGKILL) is removed at the next
start, one whose demo still runs is kept (issue 16: a killed demo left its temporary folder behind)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dermadesk.services.demo_folder import LOCK_FILE, PID_FILE, PREFIX, UNLOCKED_GRACE_S, DemoFolder, clean_stale

HOLD = "import sys, time; from pathlib import Path; from dermadesk.services.demo_folder import DemoFolder; " \
       "f = DemoFolder(Path(sys.argv[1])); print(f.path, flush=True); time.sleep(120)"  # fmt: skip


def _demo_process(base: Path) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(base)], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).parents[2])  # fmt: skip
    line = proc.stdout.readline().strip() if proc.stdout else ""
    assert line, "the demo process made no folder"
    return proc, Path(line)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_killed_demos_folder_is_removed_at_the_next_start_and_a_running_ones_kept(tmp_path: Path) -> None:
    killed, killed_folder = _demo_process(tmp_path)
    running, running_folder = _demo_process(tmp_path)
    try:
        assert (killed_folder / PID_FILE).read_text().strip() == str(killed.pid)
        assert killed_folder.name.startswith(PREFIX) and (killed_folder / LOCK_FILE).exists()
        killed.send_signal(signal.SIGKILL)
        killed.wait(30)
        (killed_folder / "register.sqlite3").write_bytes(b"demo data")
        unrelated = tmp_path / "someone-elses-folder"
        unrelated.mkdir()
        mine = DemoFolder(tmp_path)  # the next start
        assert mine.stale_removed == [killed_folder] and not killed_folder.exists()
        assert running_folder.is_dir() and unrelated.is_dir()  # its demo still runs; not a demo folder
        assert clean_stale(tmp_path) == [] and mine.path.is_dir()  # a third start leaves this one alone too
        mine.remove()
        assert not mine.path.exists()
        mine.remove()  # twice is harmless
    finally:
        running.kill()
        running.wait(30)
    assert clean_stale(tmp_path) == [running_folder]


def test_a_folder_without_a_lock_is_kept_while_young_and_removed_when_old(tmp_path: Path) -> None:
    young, old = tmp_path / f"{PREFIX}young", tmp_path / f"{PREFIX}old"
    young.mkdir()
    old.mkdir()
    past = time.time() - UNLOCKED_GRACE_S - 60
    os.utime(old, (past, past))  # e.g. left by an older DermaDesk, which wrote no lock file
    assert clean_stale(tmp_path) == [old] and young.is_dir()
