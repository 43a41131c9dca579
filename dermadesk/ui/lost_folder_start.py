"""The app's start where the data folder chosen in Settings cannot be opened (the drive or network share not
connected, its register file lost beside its images): a question with four answers, where it was only "Open the
standard folder this time?" (Yes, else the app quit).

A clinic that keeps its register on a USB disk or a share plugs it in and answers Try again; the standard folder
can still be opened for this start only (the choice is kept, so the next start tries the chosen folder again), or
another folder chosen (kept for later starts, as Settings keeps one: ``ui.read_only_folder.other_folder``), or
Quit. Enter and Escape answer Quit: nothing is made or changed.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from dermadesk.config import standard_data_dir
from dermadesk.domain.errors import DermaDeskError
from dermadesk.storage.lost_register import NEW_ANYWHERE, NEW_IN_FOLDER, refuse_lost_register
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.read_only_folder import other_folder

TITLE = "The chosen data folder cannot be opened"
QUIT = "Quit"
TRY_AGAIN = "Try again"
OPEN_STANDARD = "Open the standard folder"
CHOOSE = "Choose another folder..."


def lost_folder_message(folder: Path, reason: str | None, tried_at: str = "") -> str:
    """The question's text: its title as a heading (no title bar shows it on some desktops), what is wrong (``reason``:
    the register's own refusal where the folder is there; None where it is not), and what each button does.
    ``tried_at``: the time of a Try again that found it still so, said, so the click is seen to have done something."""
    where, standard = escape(str(folder)), escape(str(standard_data_dir()))
    if reason is None:
        why = (
            f"The folder chosen in Settings for the register, {where}, is not there. If it is on a USB disk or a "
            "network share, is that connected? Is the folder's name right?"
        )
    else:
        why = f"The folder chosen in Settings for the register cannot be opened: {escape(reason)}."
    again = f"<p><i>Tried again at {tried_at}: still not there.</i></p>" if tried_at else ""
    buttons = [
        f"<b>{TRY_AGAIN}</b>: connect the disk or the share first; DermaDesk looks again.",
        f"<b>{OPEN_STANDARD}</b>: the register in this computer's own DermaDesk folder, {standard} (a new, empty "
        "one where there is none yet), for this start only. It is a separate register: patients added there are "
        "not in the chosen folder's. The next start tries the chosen folder again.",
        f"<b>{escape(CHOOSE)}</b>: open or start a register in another folder, used from then on.",
        f"<b>{QUIT}</b>: nothing is made or changed.",
    ]
    return f"<b>{escape(TITLE)}</b><p>{why}</p>{again}<p>{'<br>'.join(buttons)}</p>"


def settings_folder_start(
    folder: Path, new: str, dialogs: DialogService, explicit: str | None = None
) -> tuple[Path, str] | None:
    """``(folder, new)`` where the folder chosen in Settings can be opened; else the question, asked until it can
    (Try again), the standard folder is taken for this start, another folder is chosen, or the user quits (None)."""
    tried_at = ""
    while True:
        try:
            refuse_lost_register(folder, new)
            return folder, new
        except DermaDeskError as exc:
            reason = None if not folder.exists() else str(exc)
        message = lost_folder_message(folder, reason, tried_at)
        options = [QUIT, TRY_AGAIN, OPEN_STANDARD, CHOOSE]
        answer = dialogs.choose(TITLE, message, options, cancel=False, paths=[folder, standard_data_dir()])
        tried_at = dt.datetime.now().strftime("%H:%M:%S") if answer == TRY_AGAIN else ""
        if answer == OPEN_STANDARD:
            return standard_data_dir(), NEW_ANYWHERE
        if answer == CHOOSE:
            if (other := other_folder(dialogs, folder, explicit)) is not None:
                return other, NEW_IN_FOLDER
        elif answer != TRY_AGAIN:
            return None
