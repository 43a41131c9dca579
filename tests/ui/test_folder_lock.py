"""A second DermaDesk on a data folder that is open already says so plainly, where, by whom and since when, and
why not twice; Quit is its answer (Open anyway only for another computer's mark, which cannot be checked from
here). A mark left by a crash on this computer is taken over without a question. Walkthrough: two app windows on
one folder overwrote each other's patient notes without a word."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
from pathlib import Path

from dermadesk.storage.folder_lock import LOCK_NAME, holder_of
from dermadesk.storage.in_use import others_using
from dermadesk.storage.register import Register
from dermadesk.ui.folder_lock import OPEN_ANYWAY, QUIT, TITLE
from tests.storage.test_folder_lock import hold, let_go


def opened(qtbot, data_dir: Path, dialogs):
    from dermadesk.ui.app import open_window

    window = open_window(data_dir, dialogs, lock=True)
    if window is not None:
        qtbot.addWidget(window)
    return window


def close(window) -> None:
    window.session.runner.wait(20000)
    window.session.register.close()
    window.session.folder_lock.release()


def test_a_second_app_on_a_folder_open_on_this_computer_says_so_and_quits(qtbot, data_dir: Path, dialogs) -> None:
    from dermadesk.ui.app import run

    Register(data_dir).close()
    proc = hold(data_dir)  # DermaDesk open in another process of this computer
    try:
        assert opened(qtbot, data_dir, dialogs) is None
        [(title, message)] = dialogs.questions
        assert title == TITLE and str(data_dir) in message
        assert "on this computer, by Dr Adeyemi, since " in message
        assert "overwrite the other's changes without a word" in message
        assert dialogs.offered == [[QUIT]] and dialogs.cancel_offered == [False]  # nothing to open anyway
        assert others_using(data_dir) == 0  # the register it opened to look is closed again
        assert run(str(data_dir), dialogs=dialogs) == 1  # the app's start: quits before any window or event loop
        assert len(dialogs.questions) == 2
    finally:
        let_go(proc)
    window = opened(qtbot, data_dir, dialogs)  # closed there: this one opens, and holds the folder
    assert window is not None and len(dialogs.questions) == 2
    assert holder_of(data_dir).pid == os.getpid()  # type: ignore[union-attr]
    window.session.save_settings(dataclasses.replace(window.session.settings, operator="Nurse Lee"))
    assert holder_of(data_dir).operator == "Nurse Lee"  # type: ignore[union-attr]  # who has it open now
    close(window)
    assert not (data_dir / LOCK_NAME).exists()


def test_a_mark_left_by_a_crash_is_taken_over_without_a_question(qtbot, data_dir: Path, dialogs) -> None:
    Register(data_dir).close()
    proc = hold(data_dir)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    window = opened(qtbot, data_dir, dialogs)
    assert window is not None and dialogs.questions == []
    assert holder_of(data_dir) == window.session.folder_lock.holder and window.session.folder_lock.held
    close(window)


def test_another_computers_mark_offers_open_anyway(qtbot, data_dir: Path, dialogs) -> None:
    Register(data_dir).close()
    theirs = {"host": "RECEPTION-PC", "pid": 4242, "operator": "Dr Okafor", "account": "okafor",
              "since": "2026-03-02T08:15:00+00:00"}  # fmt: skip
    (data_dir / LOCK_NAME).write_text(json.dumps(theirs))
    dialogs.choices.append(QUIT)
    assert opened(qtbot, data_dir, dialogs) is None
    [(title, message)] = dialogs.questions
    assert "on the computer RECEPTION-PC, by Dr Okafor, since 2 Mar 2026" in message
    assert "cannot be checked from here" in message and f"{OPEN_ANYWAY} takes the folder over" in message
    assert dialogs.offered == [[QUIT, OPEN_ANYWAY]] and json.loads((data_dir / LOCK_NAME).read_text()) == theirs
    dialogs.choices.append(OPEN_ANYWAY)
    window = opened(qtbot, data_dir, dialogs)
    assert window is not None and holder_of(data_dir).here  # type: ignore[union-attr]
    close(window)
