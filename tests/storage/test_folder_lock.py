"""One DermaDesk app at a time on a data folder (walkthrough: two windows on one folder overwrote each other's patient
notes without a word). The lock file names the computer, the process, the operator and the start time; a process
of this computer holding it keeps a second app out; one that ended (a crash) left a mark taken over silently; a mark
written on another computer (a shared folder) is respected unless the folder is opened anyway."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dermadesk.storage.folder_lock import LOCK_NAME, FolderInUse, FolderLock, holder_of, this_host

HOLD = textwrap.dedent(
    """
    import sys
    from dermadesk.storage.folder_lock import FolderLock
    lock = FolderLock.take(sys.argv[1], "Dr Adeyemi")
    print("held", flush=True)
    sys.stdin.readline()  # held until told, or killed
    lock.release()
    """
)


def hold(folder: Path) -> subprocess.Popen:
    """Another process of this computer holding ``folder``'s lock (until a line on its stdin, or killed)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def let_go(proc: subprocess.Popen) -> None:
    assert proc.stdin is not None
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=60)


def test_a_running_app_on_this_computer_keeps_a_second_one_out_until_it_closes(tmp_path: Path) -> None:
    proc = hold(tmp_path)
    try:
        with pytest.raises(FolderInUse) as caught:
            FolderLock.take(tmp_path, "Nurse Kim")
        exc = caught.value
        assert exc.verified and exc.holder is not None and exc.holder.here
        assert (exc.holder.pid, exc.holder.operator, exc.holder.host) == (proc.pid, "Dr Adeyemi", this_host())
        assert exc.holder.since.endswith("+00:00")  # a time a reader in another time zone reads right
        with pytest.raises(FolderInUse):  # "anyway" is no answer to an app known to be running here
            FolderLock.take(tmp_path, "Nurse Kim", anyway=True)
    finally:
        let_go(proc)
    assert not (tmp_path / LOCK_NAME).exists()  # closed: the folder is left as found
    lock = FolderLock.take(tmp_path, "Nurse Kim")
    assert lock.held and holder_of(tmp_path) == lock.holder and lock.holder.pid == os.getpid()
    lock.release()
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_mark_left_by_a_crash_on_this_computer_is_taken_over_without_a_word(tmp_path: Path) -> None:
    proc = hold(tmp_path)
    proc.send_signal(signal.SIGKILL)  # no release: the file stays, naming a process that is gone
    proc.wait(timeout=60)
    assert holder_of(tmp_path) is not None and holder_of(tmp_path).pid == proc.pid  # type: ignore[union-attr]
    lock = FolderLock.take(tmp_path, "Nurse Kim")
    assert lock.held and holder_of(tmp_path) == lock.holder and lock.holder.operator == "Nurse Kim"
    lock.release()


def test_another_computers_mark_is_respected_unless_opened_anyway(tmp_path: Path) -> None:
    theirs = {"host": "RECEPTION-PC", "pid": 4242, "operator": "Dr Okafor", "account": "okafor",
              "since": "2026-03-02T08:15:00+00:00"}  # fmt: skip
    (tmp_path / LOCK_NAME).write_text(json.dumps(theirs))  # on a shared folder: its OS lock is not seen from here
    with pytest.raises(FolderInUse) as caught:
        FolderLock.take(tmp_path, "Nurse Kim")
    assert not caught.value.verified and caught.value.holder.host == "RECEPTION-PC"  # type: ignore[union-attr]
    assert "on RECEPTION-PC, by Dr Okafor" in str(caught.value)
    assert json.loads((tmp_path / LOCK_NAME).read_text()) == theirs  # untouched
    lock = FolderLock.take(tmp_path, "Nurse Kim", anyway=True)  # the user says it is not open there any more
    assert lock.held and holder_of(tmp_path) == lock.holder and lock.holder.here
    lock.release()


def test_the_operator_named_follows_a_change_and_a_release_leaves_anothers_mark(tmp_path: Path) -> None:
    lock = FolderLock.take(tmp_path, "")
    assert holder_of(tmp_path).who == f"the account '{lock.holder.account}'"  # type: ignore[union-attr]
    since = lock.holder.since  # type: ignore[union-attr]
    lock.name_operator("Nurse Lee")
    assert holder_of(tmp_path).operator == "Nurse Lee" and holder_of(tmp_path).since == since  # type: ignore[union-attr]
    other = {"host": "RECEPTION-PC", "pid": 1, "operator": "", "account": "", "since": since}
    (tmp_path / LOCK_NAME).write_text(json.dumps(other))  # opened anyway there meanwhile: that mark is theirs now
    lock.release()
    assert json.loads((tmp_path / LOCK_NAME).read_text()) == other
