"""UI fixtures: a real main window over a real register, with scripted dialog answers."""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Any, Callable, Sequence

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")

from pytestqt.qtbot import QtBot  # noqa: E402

from dermadesk.ui.dialogs import DialogService, Paths  # noqa: E402

WAIT_UNTIL_TIMEOUT_MS = 20000  # a condition waited for, never a delay: it ends as soon as the condition holds
_wait_until = QtBot.waitUntil


def _wait_until_patient(self: QtBot, callback: Callable[[], Any], *, timeout: int = WAIT_UNTIL_TIMEOUT_MS) -> None:
    """qtbot.waitUntil with a default of 20 s (pytest-qt's is 5 s): a layout settling on a machine twice as slow and
    busy (a 5 s wait for Larger images' layout timed out beside another test run) still passes."""
    _wait_until(self, callback, timeout=timeout)


QtBot.waitUntil = _wait_until_patient  # type: ignore[method-assign]


class ScriptedDialogs(DialogService):
    """Answers dialogs from queues; records every message shown ((title, message) in ``errors``/``warnings``/``infos``,
    and a message's "Show Details..." text, when it has one, in ``details``; the paths a message or question named,
    to be shown breakable only after a "/", in ``paths``)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []
        self.notices: list[tuple[str, str]] = []  # (title, message) of every non-modal notice
        self.details: list[str] = []
        self.paths: list[str] = []
        self.confirms: deque[bool] = deque()
        self.confirm_defaults: list[bool] = []  # what Enter would have answered, per question
        self.questions: list[tuple[str, str]] = []  # (title, message) of every Yes/No question asked
        self.choices: deque[str] = deque()  # answers to Save / Discard / Cancel questions, and to ``choose``'s
        self.offered: list[list[str]] = []  # the buttons of every ``choose`` question (Cancel besides)
        self.cancel_offered: list[bool] = []  # per ``choose`` question: whether it had a Cancel button
        self.choose_defaults: list[str | None] = []  # per ``choose`` question: what Enter would answer (None: Cancel)
        self.fillers: deque[Callable[[Any], bool]] = deque()
        self.files: deque[list[str]] = deque()
        self.folders: deque[str | None] = deque()
        self.saves: deque[str | None] = deque()
        self.asked: list[tuple[str, str]] = []  # (title, where the dialog opened: a suggested path or a folder)

    def error(self, title: str, message: str, details: str = "", paths: Paths = ()) -> None:
        self.errors.append((title, message))
        self.paths += map(str, paths)
        if details:
            self.details.append(details)

    def info(self, title: str, message: str, details: str = "", paths: Paths = ()) -> None:
        self.infos.append((title, message))
        self.paths += map(str, paths)
        if details:
            self.details.append(details)

    def warning(self, title: str, message: str, details: str = "", paths: Paths = ()) -> None:
        self.warnings.append((title, message))
        self.paths += map(str, paths)
        if details:
            self.details.append(details)

    def notice(self, title: str, message: str, paths: Paths = ()) -> None:
        self.notices.append((title, message))
        self.paths += map(str, paths)

    def confirm(self, title: str, message: str, default_yes: bool = False, paths: Paths = ()) -> bool:
        self.confirm_defaults.append(default_yes)
        self.paths += map(str, paths)
        self.questions.append((title, message))
        return self.confirms.popleft() if self.confirms else False

    def save_discard_cancel(self, title: str, message: str) -> str:
        self.questions.append((title, message))
        return self.choices.popleft() if self.choices else "discard"

    def choose(
        self,
        title: str,
        message: str,
        options: Sequence[str],
        cancel: bool = True,
        cancel_default: bool = False,
        paths: Paths = (),
    ) -> str | None:
        """The next of ``choices`` (a button's words; "cancel" for Cancel), Cancel when none is queued; without
        ``cancel`` (no Cancel button) the first option when none is queued, as Escape answers there."""
        self.choose_defaults.append(None if cancel and cancel_default else options[0])
        self.paths += map(str, paths)
        self.questions.append((title, message))
        self.offered.append(list(options))
        self.cancel_offered.append(cancel)
        answer = self.choices.popleft() if self.choices else "cancel" if cancel else options[0]
        assert (answer == "cancel" and cancel) or answer in options, f"no button {answer!r} in {options}"
        return None if answer == "cancel" else answer

    def open_files(self, title: str, filter_: str = "", start: Path | None = None) -> list[str]:
        self.asked.append((title, str(start or "")))
        return self.files.popleft() if self.files else []

    def open_folder(
        self, title: str, may_be_new: bool = False, start: Path | None = None, name: str = ""
    ) -> str | None:
        self.asked.append((title, str(start / name if start and name else start or "")))
        return self.folders.popleft() if self.folders else None

    def save_file(self, title: str, suggested: str, filter_: str) -> str | None:
        self.asked.append((title, suggested))
        return self.saves.popleft() if self.saves else None

    def run_dialog(self, dialog: Any) -> bool:
        """The next filler fills the dialog's widgets and says whether to accept it."""
        if not self.fillers:
            return False
        return bool(self.fillers.popleft()(dialog))


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def window(qtbot, data_dir: Path, dialogs: ScriptedDialogs):
    from dermadesk.ui.app import build_window

    win = build_window(data_dir, dialogs)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.session.runner.cancel_all()
    win.session.runner.wait(20000)
    win.images.pool.waitForDone(20000)
    win.session.register.close()


@pytest.fixture
def standard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Starts as a user's: no DERMADESK_DATA_DIR, the per-user folder in tmp (never the real one)."""
    import platformdirs

    from dermadesk.config import DATA_DIR_ENV

    folder = tmp_path / "standard"
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *_a, **_k: str(folder))
    return folder
