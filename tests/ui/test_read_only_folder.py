"""The app started on a data folder this account cannot write asks, in a titled question, before anything is opened
or made there: it names the folder, says it is read-only and what to do, and offers another data folder (chosen as
Settings chooses one: refused, asked and kept alike) or Quit. Walkthrough 25: a bare 'Permission denied:
.../.restore.lock' in an untitled box, and the app gone on OK.

File modes bind no test run as root, so the one place the app asks whether it may write a folder
(``storage.read_only.cannot_write``, as the start and ``Register`` import it) is answered as for a read-only folder
by a fault fake; the CLI's tests (tests/test_cli_read_only_folder.py) make the folder read-only for real."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

import dermadesk.storage.register as storage_register
import dermadesk.ui.read_only_folder as read_only_folder
from dermadesk.config import DATA_DIR_ENV, choose_data_dir, chosen_data_dir
from dermadesk.storage.in_use import others_using
from dermadesk.storage.lost_register import NEW_IN_FOLDER
from dermadesk.storage.read_only import cannot_write
from dermadesk.storage.register import Register
from dermadesk.ui.path_breaks import BREAK, whole
from dermadesk.ui.read_only_folder import CHOOSE, QUIT, TITLE, read_only_words, writable_start
from dermadesk.ui.settings_dialog import DATA_TITLE

WHY = "this account may not write in it"


@pytest.fixture
def read_only(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A register with one patient, in a folder the app is told it may not write (see the module's words)."""
    with Register(data_dir) as reg:
        reg.patients.add("t", "RO-1", "Read Only")

    def fake(folder: Path) -> str | None:
        return WHY if Path(folder) == data_dir else cannot_write(folder)

    monkeypatch.setattr(read_only_folder, "cannot_write", fake)
    monkeypatch.setattr(storage_register, "cannot_write", fake)
    return data_dir


def names(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_the_start_says_so_in_a_titled_question_and_quits(qtbot, read_only: Path, dialogs) -> None:
    from dermadesk.ui.app import run

    dialogs.choices.append(QUIT)
    before = names(read_only)
    assert run(str(read_only), dialogs=dialogs) == 1  # before any window or event loop
    [(title, message)] = dialogs.questions
    assert title == TITLE and message.startswith(f"<b>{TITLE}</b>")  # a heading where no title bar shows
    assert f"the data folder {escape(str(read_only))}: it is read-only ({WHY})" in whole(message)  # ui.path_breaks
    assert "nothing in it was changed" in message
    assert (
        "copy the whole folder somewhere writable (such as your Documents folder) and choose the copy here" in message
    )
    assert "ask IT to give your account write access to the folder" in message
    assert dialogs.offered == [[CHOOSE, QUIT]] and dialogs.cancel_offered == [False] and not dialogs.errors
    assert names(read_only) == before and others_using(read_only) == 0  # nothing opened, locked or made


def test_another_folder_is_chosen_as_settings_chooses_one_and_kept(
    tmp_path: Path, read_only: Path, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV)
    choose_data_dir(read_only)  # the clinic's folder, chosen in Settings
    mine = tmp_path / "mine"
    with Register(mine) as reg:  # the writable copy IT made
        reg.patients.add("t", "RO-1", "Read Only")
    dialogs.choices.append(CHOOSE)
    dialogs.folders.append(str(mine))
    dialogs.confirms.append(True)
    assert writable_start((read_only, NEW_IN_FOLDER), dialogs) == (mine, NEW_IN_FOLDER)
    assert dialogs.asked == [(DATA_TITLE, str(read_only.parent))]  # the folder dialog opens beside the read-only one
    title, question = dialogs.questions[1]
    assert title == DATA_TITLE and question.startswith(f"{mine} holds a DermaDesk register: ")
    assert "1 patient" in question and question.endswith(
        "Open this register?\n\nLater starts open it too (Edit > Settings > Data directory changes that)."
    )
    assert chosen_data_dir() == mine


def test_a_folder_given_on_the_command_line_is_replaced_for_this_start_only(
    tmp_path: Path, read_only: Path, dialogs
) -> None:
    new = tmp_path / "new"
    dialogs.choices.append(CHOOSE)
    dialogs.folders.append(str(new))
    dialogs.confirms.append(True)
    assert writable_start((read_only, NEW_IN_FOLDER), dialogs, str(read_only)) == (new, NEW_IN_FOLDER)
    assert dialogs.questions[1] == (
        DATA_TITLE,
        f"{new} does not exist yet. Make this folder and open DermaDesk in it, with a new, empty register?\n\n"
        "This start only: later starts open the folder --data-dir names.",
    )
    assert new.is_dir() and chosen_data_dir() is None


def test_no_folder_chosen_or_one_refused_asks_again(tmp_path: Path, read_only: Path, dialogs) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    dialogs.choices.extend([CHOOSE, CHOOSE, CHOOSE, QUIT])
    dialogs.folders.extend([None, str(a_file), str(read_only)])  # cancelled, a file, the read-only folder again
    assert writable_start((read_only, NEW_IN_FOLDER), dialogs) is None
    assert [t for t, _ in dialogs.questions] == [TITLE] * 4
    assert dialogs.errors == [(DATA_TITLE, f"{a_file} is a file, not a folder; choose a folder.\n\nThe data folder "
                                           "was not changed.")]  # fmt: skip
    assert chosen_data_dir() is None


def test_a_window_is_never_opened_on_a_register_read_only(qtbot, read_only: Path, dialogs) -> None:
    from dermadesk.ui.app import open_window

    assert open_window(read_only, dialogs) is None  # opened past the start's question: the same words, no window
    assert dialogs.errors == [(TITLE, "\n\n".join(read_only_words(read_only, WHY)))]
    assert others_using(read_only) == 0


def test_a_long_path_breaks_only_after_a_slash_and_copies_as_the_folder_s_own(qtbot, monkeypatch) -> None:
    """The question named a long folder with its lines ended inside the folders' names ("OneDrive - " over "Clinic/"):
    now only after a "/", in the real message box; the text stays selectable, and copied it gives the path as it is
    (without the invisible marks that place the breaks)."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    from dermadesk.ui.dialogs import DialogService
    from tests.ui.message_boxes import copied_all, laid_out

    folder = Path("/media/clinic-share/Dermatology Department/OneDrive - Clinic/DermaDesk data 2025/register-copy")
    monkeypatch.setattr(read_only_folder, "cannot_write", lambda f: WHY if Path(f) == folder else None)
    seen: dict = {}

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not shown yet
            QTimer.singleShot(20, look)
            return
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen["lines"] = laid_out(label)  # as the label lays its text out, at its width
        seen["selectable"] = bool(label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse)
        seen["copied"] = copied_all(qtbot, label)  # all of it, as with the mouse and Ctrl+C
        next(b for b in box.buttons() if b.text() == QUIT).click()

    QTimer.singleShot(0, look)
    assert writable_start((folder, NEW_IN_FOLDER), DialogService()) is None  # Quit
    shown = [whole(line) for line in seen["lines"]]
    text, path = "".join(shown), str(folder)
    assert path in text
    start, ends, at = text.index(path), [], 0
    for line in shown[:-1]:
        at += len(line)
        ends.append(at)
    inside = [end for end in ends if start < end < start + len(path)]
    assert len(inside) >= 2  # a path longer than a line: broken, and only after a "/"
    assert all(text[end - 1] == "/" for end in inside), shown
    assert BREAK in "".join(seen["lines"]) and seen["selectable"]
    assert path in seen["copied"] and whole(seen["copied"]) == seen["copied"]  # no mark copied with it
