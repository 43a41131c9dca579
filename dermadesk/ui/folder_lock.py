"""One DermaDesk at a time on a data folder: the app takes the folder's lock as it opens (``storage.folder_lock``);
where DermaDesk is open on it already, this says where, by whom and since when, and why not twice (one window
would overwrite the other's changes without a word). Quit is the answer; Open anyway only for a mark that cannot be
checked from here (another computer's, on a shared folder).

The lock is the process's, not a window's: the app opens one main window, and it takes the lock before building it
(``ui.app.open_window``). Windows built in one process without it (tests standing for two workstations, the
self-test) still see each other's changes as any other writer's (``ui.register_watch``)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.domain.dates import human_datetime
from dermadesk.storage.folder_lock import LOCK_NAME, FolderInUse, FolderLock
from dermadesk.ui.dialogs import DialogService

TITLE = "DermaDesk is already open on this data folder"
QUIT, OPEN_ANYWAY = "Quit", "Open anyway"


def in_use_text(exc: FolderInUse) -> str:
    """Where DermaDesk is open on the folder, by whom, since when, why not twice, and what to do."""
    h = exc.holder
    if h is None:
        where = "on this computer (who opened it cannot be read from its lock file)"
    else:
        place = "on this computer" if h.here else f"on the computer {h.host}"
        where = f"{place}, by {h.who}, since {human_datetime(h.since)}"
    text = (
        f"DermaDesk is already open on this data folder:\n{exc.folder}\n{where}.\n\n"
        "Opening it twice lets one window overwrite the other's changes without a word (patient notes, a "
        "clinician's review)."
    )
    if exc.verified:
        return text + " Work in the DermaDesk that is open, or close it and start DermaDesk again."
    host = h.host if h is not None else "that computer"
    return (
        f"{text}\n\nWhether DermaDesk is still open on {host} cannot be checked from here. If it is, close it there "
        f"first. If it is not (that computer was switched off, or DermaDesk closed unexpectedly there), "
        f"{OPEN_ANYWAY} takes the folder over."
    )


def take_folder_lock(dialogs: DialogService, data_dir: Path, operator: str) -> FolderLock | None:
    """The data folder's lock for this app; None when DermaDesk is open on it elsewhere and the user quits. A lock
    file that cannot be written (a read-only folder) keeps nobody out: the app opens without one."""
    try:
        return FolderLock.take(data_dir, operator)
    except FolderInUse as exc:
        options = [QUIT] if exc.verified else [QUIT, OPEN_ANYWAY]
        if dialogs.choose(TITLE, in_use_text(exc), options, cancel=False) != OPEN_ANYWAY:
            return None
    except OSError:
        return FolderLock(Path(data_dir) / LOCK_NAME, None, None)
    try:
        return FolderLock.take(data_dir, operator, anyway=True)
    except FolderInUse as exc:  # opened on this computer meanwhile
        dialogs.choose(TITLE, in_use_text(exc), [QUIT], cancel=False)
        return None
    except OSError:
        return FolderLock(Path(data_dir) / LOCK_NAME, None, None)
