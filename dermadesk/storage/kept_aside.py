"""The registers a restore set aside: ``previous-<date>`` folders in the data folder, each the whole register a
restore replaced (its database, images and settings). DermaDesk never deletes them; a restore says where the one
it made is, and how many earlier ones lie beside it and how much room they take, so that staff can delete those
they no longer need."""

from __future__ import annotations

import os
from pathlib import Path

PREVIOUS_PREFIX = "previous-"


def folder_bytes(folder: Path) -> int:
    """The size of every file under ``folder`` (links not followed; a file that cannot be read counts 0)."""
    total = 0
    for root, _dirs, files in os.walk(folder, onerror=lambda _exc: None):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def kept_aside(data_dir: Path, made_now: Path | None = None) -> dict[str, object]:
    """What a finished restore says about the registers set aside: the size of the one it made (``made_now``,
    None when it kept nothing), and every earlier ``previous-<date>`` folder, oldest first, with its size."""
    try:
        folders = sorted(
            p
            for p in Path(data_dir).iterdir()
            if p.name.startswith(PREVIOUS_PREFIX) and p.is_dir() and not p.is_symlink()
        )
    except OSError:
        folders = []
    earlier = [{"path": str(p), "bytes": folder_bytes(p)} for p in folders if made_now is None or p != Path(made_now)]
    return {"previous_bytes": folder_bytes(made_now) if made_now is not None else None, "earlier_kept": earlier}
