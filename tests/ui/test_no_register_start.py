"""The app's start on a folder it was given that holds no register: asked, not only refused. Where the folder is not
there but the folder it goes in is (or it is there and empty), the question says why it may be wrong and offers to
start a new register there, another folder, or Quit (Enter and Escape: nothing made); where the folder it goes in is
not there either (a drive not connected), it is still refused and nothing is offered to be made."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.config import DATA_DIR_ENV, REGISTER_FILE
from dermadesk.ui.no_register_start import CHOOSE, EMPTY_TITLE, MISSING_TITLE, QUIT, START_NEW
from dermadesk.ui.notices import CANNOT_OPEN_TITLE


def tables(folder: Path) -> set[str]:
    with sqlite3.connect(folder / REGISTER_FILE) as db:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def opened(shots: Path) -> bool:
    """The main window was built and painted (the start's screenshots of it were taken)."""
    return (shots / "register.png").is_file()


@pytest.fixture
def windows(monkeypatch) -> list[tuple[Path, int]]:
    """(data folder, patients listed) of each main window the start opens."""
    import dermadesk.ui.app as app

    seen: list[tuple[Path, int]] = []
    real = app.open_window

    def spy(*args, **kwargs):
        window = real(*args, **kwargs)
        if window is not None:
            seen.append((window.session.data_dir, window.patients.model.rowCount()))
        return window

    monkeypatch.setattr(app, "open_window", spy)
    return seen


def test_start_a_new_register_makes_the_folder_and_opens_it(
    qtbot, dialogs, tmp_path: Path, monkeypatch, windows
) -> None:
    from dermadesk.ui.app import run

    fresh = tmp_path / "fresh29" / "data"
    fresh.parent.mkdir()
    monkeypatch.setenv(DATA_DIR_ENV, str(fresh))
    dialogs.choices.append(START_NEW)
    assert run(None, screenshots=str(tmp_path / "shots"), dialogs=dialogs) == 0
    [(title, message)] = dialogs.questions
    assert title == MISSING_TITLE and message.startswith(f"<b>{MISSING_TITLE}</b>")  # a heading: no title bar on some
    assert f"There is no folder {fresh}" in message and "is the drive connected?" in message
    assert "Is the folder's name (DERMADESK_DATA_DIR gives it) right?" in message
    assert f"<b>{START_NEW}</b>: DermaDesk makes this folder and a new, empty register in it" in message
    assert f"<b>{QUIT}</b>: nothing is made" in message
    assert dialogs.offered == [[QUIT, START_NEW, CHOOSE]] and dialogs.cancel_offered == [False]
    assert dialogs.choose_defaults == [QUIT]  # Enter, and Escape (no Cancel button), quit
    assert not dialogs.errors and opened(tmp_path / "shots") and windows == [(fresh, 0)]
    assert {"patients", "lesions", "captures", "assessments"} <= tables(fresh)  # a real register, opened


def test_quit_makes_nothing(qtbot, dialogs, tmp_path: Path) -> None:
    from dermadesk.ui.app import run

    fresh = tmp_path / "fresh29" / "data"
    fresh.parent.mkdir()
    assert run(str(fresh), dialogs=dialogs) == 1  # nothing queued: Quit, as Escape answers; before any window
    [(title, message)] = dialogs.questions
    assert title == MISSING_TITLE and "(--data-dir gives it)" in message
    assert not fresh.exists() and list(fresh.parent.iterdir()) == [] and not dialogs.errors


@pytest.mark.parametrize("given", [True, False])
def test_no_folder_to_go_in_is_still_refused_with_nothing_to_make(
    qtbot, dialogs, tmp_path: Path, monkeypatch, given: bool
) -> None:
    from dermadesk.ui.app import run

    unplugged = tmp_path / "usb" / "DermaDesk"  # the drive's folder is not there either
    monkeypatch.setenv(DATA_DIR_ENV, str(unplugged))
    assert run(str(unplugged) if given else None, dialogs=dialogs) == 1
    assert dialogs.questions == [] and dialogs.offered == []  # no "Start a new register there"
    [(title, message)] = dialogs.errors
    assert title == CANNOT_OPEN_TITLE and "is the drive connected" in message and "nothing was created" in message
    assert not (tmp_path / "usb").exists()


def test_an_empty_folder_given_is_asked_about_too(qtbot, dialogs, tmp_path: Path) -> None:
    from dermadesk.ui.app import run

    mount = tmp_path / "media" / "usb"  # where a drive appears once connected: there, and empty
    mount.mkdir(parents=True)
    (mount / "notes.txt").write_text("not DermaDesk's")
    assert run(str(mount), dialogs=dialogs) == 1  # Quit
    [(title, message)] = dialogs.questions
    assert title == EMPTY_TITLE and f"The folder {mount} holds no DermaDesk register. It holds 1 other" in message
    assert f"<b>{START_NEW}</b>: DermaDesk makes a new, empty register in this folder" in message
    assert [p.name for p in mount.iterdir()] == ["notes.txt"]
    dialogs.choices.append(START_NEW)
    assert run(str(mount), screenshots=str(tmp_path / "shots"), dialogs=dialogs) == 0
    assert len(dialogs.questions) == 2 and opened(tmp_path / "shots") and "patients" in tables(mount)
    assert run(str(mount), screenshots=str(tmp_path / "again"), dialogs=dialogs) == 0
    assert len(dialogs.questions) == 2  # a register there now: opened without a question


def test_choose_another_folder_opens_the_register_chosen_and_makes_nothing_here(
    qtbot, dialogs, tmp_path: Path, windows
) -> None:
    from dermadesk.ui.app import run

    fresh = tmp_path / "fresh29" / "data"
    fresh.parent.mkdir()
    clinic = tmp_path / "clinic"
    fill_register(clinic, patients=2, captures=1)
    dialogs.choices.append(CHOOSE)
    dialogs.folders.append(str(clinic))
    dialogs.confirms.append(True)  # "Open this register?"
    assert run(str(fresh), screenshots=str(tmp_path / "shots"), dialogs=dialogs) == 0
    assert [t for t, _ in dialogs.questions][0] == MISSING_TITLE
    assert "holds a DermaDesk register" in dialogs.questions[1][1] and "This start only" in dialogs.questions[1][1]
    assert opened(tmp_path / "shots") and windows == [(clinic, 2)] and not fresh.exists()
