"""The app's start where the data folder chosen in Settings cannot be opened (the drive or network share not
connected, its register file lost beside its images): a question with four answers, where it was only "Open the
standard folder this time?" (Yes, else the app quit).

A clinic that keeps its register on a USB disk or a share plugs it in and answers Try again; the standard folder
can still be opened for this start only (the choice is kept, so the next start tries the chosen folder again), or
another folder chosen (kept for later starts, as Settings keeps one: ``ui.read_only_folder.other_folder``), or
Quit. Enter and Escape answer Quit: nothing is made or changed.
"""

from __future__ import annotations

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


def lost_folder_message(reason: str) -> str:
    """The question's text: its title as a heading (no title bar shows it on some desktops), the reason, and what
    each button does."""
    standard = escape(str(standard_data_dir()))
    buttons = [
        f"<b>{TRY_AGAIN}</b>: connect the drive or the network share first; DermaDesk looks again.",
        f"<b>{OPEN_STANDARD}</b>: {standard}, this time only. The choice is kept: the next start tries the chosen "
        "folder again (change it in Edit &gt; Settings...).",
        f"<b>{escape(CHOOSE)}</b>: open or start a register in another folder, kept for later starts.",
        f"<b>{QUIT}</b>: nothing is made or changed.",
    ]
    return (
        f"<b>{escape(TITLE)}</b><p>The data folder chosen in Settings cannot be opened: {escape(reason)}.</p>"
        f"<p>{'<br>'.join(buttons)}</p>"
    )


def settings_folder_start(
    folder: Path, new: str, dialogs: DialogService, explicit: str | None = None
) -> tuple[Path, str] | None:
    """``(folder, new)`` where the folder chosen in Settings can be opened; else the question, asked until it can
    (Try again), the standard folder is taken for this start, another folder is chosen, or the user quits (None)."""
    while True:
        try:
            refuse_lost_register(folder, new)
            return folder, new
        except DermaDeskError as exc:
            reason = str(exc)
        answer = dialogs.choose(
            TITLE, lost_folder_message(reason), [QUIT, TRY_AGAIN, OPEN_STANDARD, CHOOSE], cancel=False, paths=[folder]
        )
        if answer == OPEN_STANDARD:
            return standard_data_dir(), NEW_ANYWHERE
        if answer == CHOOSE:
            if (other := other_folder(dialogs, folder, explicit)) is not None:
                return other, NEW_IN_FOLDER
        elif answer != TRY_AGAIN:
            return None
