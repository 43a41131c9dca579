"""The app's start in a data folder this account cannot write (a register on a read-only share, a copy on a DVD or
a write-protected stick, a folder IT copied with the wrong permissions): a titled question, before anything is opened
or made there, saying so and what to do, offering another data folder (chosen as Settings > Data directory chooses
one) or Quit.

The app does not open such a register read-only: its window has no state in which every save is disabled (the
demo's register is a writable one), so a read-only window would offer saves that could only fail. The command line
reads such a folder as it is (``patient list``, ``report``, ``backup``, ``db check``).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from dermadesk.config import FROM_ENV, FROM_FLAG, FROM_PORTABLE, REGISTER_FILE, choose_data_dir, data_dir_source
from dermadesk.domain.errors import ValidationError
from dermadesk.services.data_folder import NOT_CHANGED, judge_folder, typed_folder
from dermadesk.storage.lost_register import NEW_IN_FOLDER
from dermadesk.storage.read_only import cannot_write
from dermadesk.ui.dialogs import DialogService, start_folder
from dermadesk.ui.notices import READ_ONLY_TITLE as TITLE
from dermadesk.ui.notices import read_only_words
from dermadesk.ui.settings_dialog import DATA_TITLE

CHOOSE = "Choose another data folder..."
QUIT = "Quit"


def read_only_message(folder: Path, why: str) -> str:
    """The question's text: its title as a heading (no title bar shows it on some desktops), then the words (asked
    with the folder's path among its ``paths``: broken only after a "/")."""
    *words, note = read_only_words(folder, why)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in words)
    return f"<b>{escape(TITLE)}</b>{paragraphs}<p style='color:#666'>{escape(note)}</p>"


def writable_start(
    start: tuple[Path, str], dialogs: DialogService, explicit: str | None = None
) -> tuple[Path, str] | None:
    """``start`` (the folder of this start and where a new register may be made, ``app.folder_to_open``) where this
    account can write its folder; else the question, asked until a writable folder is chosen (``NEW_IN_FOLDER``
    there) or the user quits (None). ``explicit``: the --data-dir given, for what later starts open."""
    folder, new = start
    while (why := cannot_write(folder)) is not None:
        question = read_only_message(folder, why)
        if dialogs.choose(TITLE, question, [CHOOSE, QUIT], cancel=False, paths=[folder]) != CHOOSE:
            return None
        if (other := other_folder(dialogs, folder, explicit)) is not None:
            folder, new = other, NEW_IN_FOLDER
    return folder, new


def other_folder(dialogs: DialogService, here: Path, explicit: str | None = None) -> Path | None:
    """A data folder chosen in the folder dialog instead of the read-only ``here``, refused as Settings refuses one
    (``services.data_folder.judge_folder``) and agreed to; kept for later starts as Settings keeps it, where the
    chosen folder is what they open. None where none was chosen, it was refused or not agreed to."""
    near = next((p for p in (here.parent, *here.parent.parents) if p.is_dir()), start_folder())
    picked = dialogs.open_folder(DATA_TITLE, may_be_new=True, start=near)
    if not picked:
        return None
    try:
        folder = typed_folder(picked)
    except ValidationError as exc:
        dialogs.error(DATA_TITLE, f"{str(exc)[:1].upper()}{str(exc)[1:]}.\n\n{NOT_CHANGED}")
        return None
    if folder.resolve() == here.resolve():  # the read-only folder again: asked again
        return None
    verdict = judge_folder(folder, here)
    if verdict.refusal:
        dialogs.error(DATA_TITLE, verdict.refusal)
        return None
    if verdict.make:
        question = (
            f"{folder} does not exist yet. Make this folder and open DermaDesk in it, with a new, empty register?"
        )
    elif (folder / REGISTER_FILE).exists():
        question = f"{verdict.question.split(chr(10) * 2)[0]}\n\nOpen this register?"  # what it holds, as Settings says
    else:
        question = f"{folder} holds no register: DermaDesk makes a new, empty register there. Open DermaDesk in it?"
    source = data_dir_source(explicit)
    later = {
        FROM_FLAG: "This start only: later starts open the folder --data-dir names.",
        FROM_ENV: "This start only: later starts open the folder DERMADESK_DATA_DIR names.",
        FROM_PORTABLE: "This start only: a portable installation opens the DermaDeskData folder beside the program.",
    }.get(source, "Later starts open it too (Edit > Settings > Data directory changes that).")
    if not dialogs.confirm(DATA_TITLE, f"{question}\n\n{later}"):
        return None
    try:
        if verdict.make:
            folder.mkdir(mode=0o700)
        if source not in (FROM_FLAG, FROM_ENV, FROM_PORTABLE):
            choose_data_dir(folder)  # the standard folder: the choice forgotten
    except OSError as exc:
        dialogs.error(DATA_TITLE, f"{folder} cannot be written ({exc.strerror or exc}).\n\n{NOT_CHANGED}")
        return None
    return folder
