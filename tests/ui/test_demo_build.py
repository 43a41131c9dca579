"""The demo register is built off the GUI thread behind a progress dialog, so the window paints at once (issue
16: a black, empty window for about 25 s); killed with SIGTERM, the demo removes its temporary folder. The
tests check which thread did the work and what was on screen while it ran, never how long anything took."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

import dermadesk.services.demo as demo
from dermadesk.services.demo_folder import PID_FILE, PREFIX
from dermadesk.ui.app import demo_notice
from dermadesk.ui.demo_build import PREPARING, build_demo


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
def test_the_demo_is_built_in_a_worker_while_the_window_shows_its_progress(qtbot, window, dialogs, monkeypatch):
    threads: list[threading.Thread] = []
    gate = threading.Event()
    original = demo.seed_demo

    def gated(register, actor, assess, progress, cancel):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        progress(0.0, "demo capture 0 of 10")
        assert gate.wait(60), "the test never opened the gate"
        return original(register, actor, None, progress, cancel)  # no model: the same register, sooner

    monkeypatch.setattr(demo, "seed_demo", gated)
    ready: list[bool] = []
    task, dialog = build_demo(window, on_ready=lambda: (ready.append(True), demo_notice(window)))
    qtbot.waitUntil(lambda: bool(threads), timeout=60000)  # the work has begun and holds at the gate ...
    qtbot.waitUntil(lambda: "demo capture 0 of 10" in dialog.labelText(), timeout=60000)
    assert window.isVisible() and dialog.isVisible() and dialog.labelText().startswith(PREPARING)
    # the step on its own line, wrapped: the whole of it inside the dialog (one long line was cut off at 150 %)
    label = dialog.findChild(QLabel)
    assert label.wordWrap() and dialog.labelText() == f"{PREPARING}\ndemo capture 0 of 10"
    assert label.heightForWidth(label.width()) <= label.height()
    # the whole message on one line in the status bar (it shows its end where it is narrow)
    assert window.progress.isVisible() and window.progress.message.startswith("Preparing the demo register")
    assert "\n" not in window.progress.message
    assert task in window.session.runner.running  # ... while this (GUI) thread goes on handling events
    gate.set()
    qtbot.waitUntil(lambda: bool(ready), timeout=120000)
    assert task.outcome == "done" and threads[0] is not threading.main_thread()
    assert not dialog.isVisible() and window.patients.model.rowCount() == 3
    assert window.selection.patient_id == window.patients.model.ids[0]  # opened on the first patient
    assert dialogs.infos[-1][0] == "Demo register: synthetic images, no risk tier"
    assert task.ended_text() == "Preparing the demo register: done"  # not "...register…: done"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_demo_ended_by_sigterm_removes_its_folder(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}  # fmt: skip
    stale = tmp_path / f"{PREFIX}left-by-a-killed-demo"
    stale.mkdir()
    (stale / "demo.lock").touch()  # nobody holds it: that demo is gone
    proc = subprocess.Popen([sys.executable, "-m", "dermadesk", "--demo"], env=env, cwd=Path(__file__).parents[2],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(f"{PREFIX}*/{PID_FILE}")) and proc.poll() is None:
            assert time.monotonic() < deadline, "the demo made no folder"
            time.sleep(0.1)
        (folder,) = [p.parent for p in tmp_path.glob(f"{PREFIX}*/{PID_FILE}")]
        assert not stale.exists()  # removed at this start
        assert (folder / PID_FILE).read_text().strip() == str(proc.pid)
        time.sleep(3)  # somewhere in the start or the build: either way it must clean up
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=120)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert not folder.exists(), output[-2000:]
    assert not list(tmp_path.glob(f"{PREFIX}*")), output[-2000:]
