"""The app's start on a folder it was given (--data-dir, $DERMADESK_DATA_DIR) that holds no register: a question
before anything is made there, where it was a refusal that only quit.

A missing folder may be a drive not connected or a mistyped name, and an empty folder may be where a drive appears
once connected: so nothing is made without the user's word. Where the folder is not there but the folder it goes in
is, or the folder is there and holds nothing of an earlier register, the question says so and offers to start a new
register there (the folder made, an empty register opened), another data folder (chosen as the read-only start
chooses one, ``ui.read_only_folder``) or Quit (Enter and Escape: nothing made). Where the folder it goes in is not
there either, the start still refuses as before (``storage.lost_register``: no new register on the local disk in
place of a drive's), as it does for a folder holding an earlier register's data without its register file.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from dermadesk.config import FROM_ENV, FROM_FLAG, REGISTER_FILE, data_dir_source
from dermadesk.domain.errors import DermaDeskError
from dermadesk.domain.text import counted
from dermadesk.storage.lost_register import NEW_IN_FOLDER, refuse_lost_register
from dermadesk.storage.read_only import cannot_write
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.read_only_folder import other_folder

MISSING_TITLE = "The data folder does not exist"
EMPTY_TITLE = "The data folder holds no register"
START_NEW = "Start a new register there"
CHOOSE = "Choose another folder..."
QUIT = "Quit"


def _named_by(explicit: str | None) -> str:
    return "--data-dir" if data_dir_source(explicit) == FROM_FLAG else "DERMADESK_DATA_DIR"


def _asks_about(folder: Path) -> str | None:
    """The question's title where ``folder`` may be given a new register once the user says so; None where the
    start goes on as before (a register there; the folder read-only, said by ``ui.read_only_folder``; earlier data
    beside no register file, or no folder to go in, refused by the register's open)."""
    if (folder / REGISTER_FILE).exists():
        return None
    if not folder.exists():
        return MISSING_TITLE if folder.parent.is_dir() else None
    if not folder.is_dir() or cannot_write(folder) is not None:
        return None
    try:
        refuse_lost_register(folder, NEW_IN_FOLDER)
    except DermaDeskError:
        return None
    return EMPTY_TITLE


def no_register_message(folder: Path, title: str, explicit: str | None = None) -> str:
    """The question's text: its title as a heading (no title bar shows it on some desktops), why the folder may be
    wrong, and what each button does."""
    where, name = escape(str(folder)), _named_by(explicit)
    if title == MISSING_TITLE:
        why = (
            f"There is no folder {where}, so there is no register to open. If the register is on a drive, is the "
            f"drive connected? Is the folder's name ({name} gives it) right?"
        )
        start = "DermaDesk makes this folder and a new, empty register in it, and opens it."
    else:
        others = sum(1 for _ in folder.iterdir())
        held = f" It holds {counted(others, 'other file or folder', 'other files or folders')}." if others else ""
        why = (
            f"The folder {where} holds no DermaDesk register.{held} If the register is on a drive, is the drive "
            f"connected (an empty folder may be where it appears)? Is the folder's name ({name} gives it) right?"
        )
        start = "DermaDesk makes a new, empty register in this folder, and opens it."
    buttons = [
        f"<b>{START_NEW}</b>: {start}",
        f"<b>{escape(CHOOSE)}</b>: open or start a register in another folder.",
        f"<b>{QUIT}</b>: nothing is made; connect the drive or correct the name, and start DermaDesk again.",
    ]
    return f"<b>{escape(title)}</b><p>{why}</p><p>{'<br>'.join(buttons)}</p>"


def register_start(
    start: tuple[Path, str], dialogs: DialogService, explicit: str | None = None
) -> tuple[Path, str] | None:
    """``start`` (the folder of this start and where a new register may be made, ``app.folder_to_open``) where
    nothing need be asked; else the question, asked until the user starts a new register there (the folder made
    where it is not there: ``start`` is then opened, the register made as it opens), chooses another folder
    (``NEW_IN_FOLDER`` there) or quits (None). Only for a folder given by --data-dir or $DERMADESK_DATA_DIR
    (``explicit``: the --data-dir given): the folder chosen in Settings is asked about by ``app.folder_to_open``."""
    folder, new = start
    if new != NEW_IN_FOLDER or data_dir_source(explicit) not in (FROM_FLAG, FROM_ENV):
        return start
    while (title := _asks_about(folder)) is not None:
        message = no_register_message(folder, title, explicit)
        answer = dialogs.choose(title, message, [QUIT, START_NEW, CHOOSE], cancel=False, paths=[folder])
        if answer == START_NEW:
            try:
                folder.mkdir(mode=0o700, exist_ok=True)
            except OSError as exc:
                dialogs.error(title, f"{folder} could not be made ({exc.strerror or exc}); nothing was created.")
                continue
            return folder, new
        if answer != CHOOSE:
            return None
        if (other := other_folder(dialogs, folder, explicit)) is not None:
            return other, NEW_IN_FOLDER
    return folder, new
