"""SIGTERM (a logout, a shutdown, ``kill``), SIGHUP and Ctrl+C end a normal DermaDesk session as its Quit does: the
register closed cleanly and the data folder's locks released, so that the next start finds the folder free. Only
the demo had this: a normal session ended by a signal left ``.dermadesk-open.lock`` and the register open. A signal
asks nothing (a logout cannot answer): typing not saved is let go, nothing saved over a record, and which fields of
which record were let go is said on stderr (never what was typed). The real app in a subprocess (offscreen, the
test's own data folder), signalled once its event loop runs (it says so on stdout)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dermadesk.config import REGISTER_FILE, Settings
from dermadesk.storage.check import check_register
from dermadesk.storage.folder_lock import LOCK_NAME, FolderLock, holder_of
from dermadesk.storage.register import Register
from dermadesk.ui.signal_end import close_on_signal
from tests.ui.test_cancel import two_captures
from tests.ui.test_start_ends import locks
from tests.ui.test_unsaved import type_notes

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")

# the app as ``python -m dermadesk`` starts it, with a probe that says (once) when Qt's event loop runs, and which
# dialog is open then, if any: the test signals it then, not at a guessed moment of the start
HARNESS = """
import sys
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication
from dermadesk.ui.app import make_app, run
app = make_app()
said = []
def looping():
    if QThread.currentThread().loopLevel() == 1 and not said:
        said.append(True)
        print("looping", type(QApplication.activeModalWidget()).__name__, flush=True)
probe = QTimer()
probe.timeout.connect(looping)
probe.start(50)
sys.exit(run())
"""


def started(log: Path) -> subprocess.Popen:
    """The app on the test's $DERMADESK_DATA_DIR, its stderr into ``log``, once its event loop runs (``looping``)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", HARNESS], env=env, cwd=Path(__file__).parents[2],
                                stdout=subprocess.PIPE, stderr=err, text=True)  # fmt: skip
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while not select.select([proc.stdout], [], [], 0.5)[0]:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(30)
            raise AssertionError(f"the app never ran its event loop: {log.read_text()[-2000:]}")
    return proc


def looping(proc: subprocess.Popen, data_dir: Path) -> str:
    """The modal dialog open once the event loop runs ("NoneType": none); the folder is this app's meanwhile."""
    line = proc.stdout.readline().split() if proc.stdout else []
    assert line[0] == "looping" and (data_dir / LOCK_NAME).exists()
    holder = holder_of(data_dir)
    assert holder is not None and holder.pid == proc.pid
    return line[1]


def ended(proc: subprocess.Popen, signum: int, log: Path) -> tuple[int, str]:
    proc.send_signal(signum)
    try:
        proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    return proc.returncode, log.read_text()


def left_clean(data_dir: Path) -> None:
    """Nothing of the ended session left: no lock (the next start takes the folder without asking), the register
    closed (no write-ahead log left) and whole."""
    assert locks(data_dir) == [] and not (data_dir / LOCK_NAME).exists()
    FolderLock.take(data_dir).release()  # free, as folder_lock itself finds it
    assert not (data_dir / f"{REGISTER_FILE}-wal").exists()
    reg = Register(data_dir)
    try:
        assert check_register(reg).ok
    finally:
        reg.close()


def ready_folder(data_dir: Path, acknowledged: bool = True) -> None:
    reg = Register(data_dir)
    reg.patients.add("t", "SIG-1", "Signal Patient")
    reg.close()
    settings = Settings.load(data_dir)
    settings.disclaimer_acknowledged = acknowledged
    settings.operator = "Nurse Kim"  # nothing asked at the start
    settings.save(data_dir)


def test_sigterm_ends_a_normal_session_with_the_register_closed_and_the_folder_free(
    data_dir: Path, tmp_path: Path
) -> None:
    ready_folder(data_dir)
    proc = started(tmp_path / "stderr.txt")
    assert looping(proc, data_dir) == "NoneType"  # the window itself, no question open
    code, err = ended(proc, signal.SIGTERM, tmp_path / "stderr.txt")
    assert code == 128 + signal.SIGTERM, err[-2000:]
    assert "DermaDesk ended by SIGTERM: nothing unsaved" in err
    assert "Traceback" not in err
    left_clean(data_dir)


def test_a_signal_while_the_starts_disclaimer_is_open_ends_it_unanswered(data_dir: Path, tmp_path: Path) -> None:
    """The terminal closed (SIGHUP) while the first start's decision-support notice waits for an answer: the notice is
    not taken as read, and the folder is left as free as after any end."""
    ready_folder(data_dir, acknowledged=False)
    proc = started(tmp_path / "stderr.txt")
    assert looping(proc, data_dir) == "DisclaimerDialog"
    code, err = ended(proc, signal.SIGHUP, tmp_path / "stderr.txt")
    assert code == 128 + signal.SIGHUP, err[-2000:]
    assert "DermaDesk ended by SIGHUP" in err and "Traceback" not in err
    assert not Settings.load(data_dir).disclaimer_acknowledged  # asked again at the next start
    left_clean(data_dir)


def test_unsaved_typing_is_let_go_without_a_question_and_named_on_stderr(qtbot, window, dialogs, tmp_path) -> None:
    reg = window.session.register
    lesion_id = two_captures(window, tmp_path)
    patient_id = reg.lesions.get(lesion_id).patient_id
    capture = window.assessment.capture
    type_notes(qtbot, window, "Excise next week")
    window.patient_form.name.setText("Renamed Person")
    window.lesions.label.setText("left shoulder mole")
    said: list[str] = []
    dropped = close_on_signal(window, signal.SIGTERM, said.append)
    assert dialogs.questions == []  # no "Save, Discard or Cancel?": nobody may be there to answer
    assert not window.isVisible()
    [line] = said
    assert line.startswith("DermaDesk ended by SIGTERM: unsaved typing let go, nothing saved: ")
    assert dropped == ["name of patient CAN-1", "label of patient CAN-1 Lesion 1",
                       "clinician's notes of patient CAN-1 Lesion 1's capture of 1 Mar 2026"]  # fmt: skip
    assert "; ".join(dropped) in line  # the records as the window names them, not by their numbers in the database
    for typed in ("Excise", "Renamed", "shoulder", "Cancel Button"):  # what was typed, or who: not in a log
        assert typed not in line
    assert reg.captures.get(capture.id).clinician_notes == ""  # nothing saved over the record
    assert reg.patients.get(patient_id).name == "Cancel Button" and reg.lesions.get(lesion_id).label == ""
