"""Whether a data folder may be given a new, empty register (the one check, made before a register is opened).

Never where an earlier register's data lies: kept aside by an interrupted restore (``previous-*``, ``.restore-*``),
or images (or a write-ahead log) with no register file beside them (the file deleted, or the folder copied
without it): a new register there would list no patients, and ``db check --clean`` would later take its images
for leftovers. And never in a folder that is not there unless ``new`` allows it: a mistyped ``--data-dir`` or a
USB drive not connected would otherwise become a new register on the local disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from dermadesk.config import IMAGES_DIR, REGISTER_FILE
from dermadesk.domain.errors import IntegrityError, NotFoundError
from dermadesk.domain.text import counted
from dermadesk.storage.kept_aside import PREVIOUS_PREFIX

STAGING_PREFIX = ".restore-"  # a restore's staging folder (storage.restore)

# What ``new`` allows where the folder holds no register (earlier data beside it is refused whatever it says):
NEW_ANYWHERE = "anywhere"  # a new register, the folder and its parents made as needed: the app's own folder
NEW_BESIDE = "beside"  # a new folder only where the folder it goes in is there: commands that add data
NEW_IN_FOLDER = "in-folder"  # only in a folder that is there: the app on a folder it was given (--data-dir)
NEVER_NEW = "never"  # none: commands that only read (list, show, report, export, backup, check...)
NEW_POLICIES = (NEW_ANYWHERE, NEW_BESIDE, NEW_IN_FOLDER, NEVER_NEW)


def _files_under(folder: Path, stop: int | None = None) -> int:
    """Files anywhere under ``folder`` (links not followed); counting stops at ``stop``."""
    count = 0
    for _root, _dirs, files in os.walk(folder, onerror=lambda _exc: None):
        count += len(files)
        if stop is not None and count >= stop:
            break
    return count


def _refuse_earlier_data(data_dir: Path) -> None:
    kept = sorted(
        p
        for p in data_dir.iterdir()
        if p.is_dir()
        and (
            (p.name.startswith(PREVIOUS_PREFIX) and (p / REGISTER_FILE).exists())
            or (p.name.startswith(STAGING_PREFIX) and (p / REGISTER_FILE).exists())
        )
    )
    if kept:
        raise IntegrityError(
            f"{data_dir} has no {REGISTER_FILE}, but earlier data is kept in {', '.join(p.name for p in kept)} "
            f"(an interrupted restore?); move that folder's contents back into {data_dir}, or restore a backup; "
            "no new register was created"
        )
    images = data_dir / IMAGES_DIR
    held = _files_under(images) if images.is_dir() and _files_under(images, stop=1) else 0
    log = data_dir / (REGISTER_FILE + "-wal")
    if held or (log.is_file() and log.stat().st_size > 0):
        what = f"its {IMAGES_DIR} folder holds {counted(held, 'file')}" if held else f"{log.name} is there"
        raise IntegrityError(
            f"{data_dir} has no {REGISTER_FILE}, but {what} of an earlier register (the register file deleted, or "
            f"the folder copied without it?); put that register's {REGISTER_FILE} back into {data_dir}, or restore "
            "a backup; no new register was created"
        )


def refuse_lost_register(data_dir: Path, new: str = NEW_ANYWHERE) -> None:
    """IntegrityError (earlier data beside a missing register) or NotFoundError (no register, and ``new`` allows
    none here), naming the folder and saying that nothing was created; None where the register may be opened
    (or created). ``new`` is one of ``NEW_POLICIES``."""
    if new not in NEW_POLICIES:
        raise ValueError(f"unknown policy {new!r}")
    data_dir = Path(data_dir)
    if (data_dir / REGISTER_FILE).exists():
        return
    if data_dir.is_dir():
        _refuse_earlier_data(data_dir)
    refuse_new_folder(data_dir, new)


def refuse_new_folder(data_dir: Path, new: str) -> None:
    """The part of ``refuse_lost_register`` that a restore checks too (it sets earlier data aside itself):
    NotFoundError where ``data_dir`` holds no register and ``new`` allows none there."""
    data_dir = Path(data_dir)
    if (data_dir / REGISTER_FILE).exists() or new == NEW_ANYWHERE:
        return
    there = data_dir.is_dir()
    if new == NEVER_NEW:
        why = (
            "the folder holds none"
            if there
            else "the folder does not exist: is the drive connected, and the folder's name right?"
        )
        raise NotFoundError(
            f"no register at {data_dir} ({why}); a new register is made by 'dermadesk patient add' "
            "or the app; nothing was created"
        )
    if there or (new == NEW_BESIDE and data_dir.parent.is_dir()):
        return
    if new == NEW_BESIDE:
        raise NotFoundError(
            f"no register at {data_dir}, and the folder {data_dir.parent} it would go in does not "
            "exist (is the drive connected?); nothing was created"
        )
    raise NotFoundError(
        f"no register at {data_dir}: the folder does not exist (is the drive connected, and the "
        "folder's name right?); to start a new register there, make the folder first; nothing was "
        "created"
    )
