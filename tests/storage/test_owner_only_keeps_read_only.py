"""Making a data folder's files owner-only takes permissions away and never gives one: a copy made read-only (a
write-protected backup copy, a folder IT copied read-only) stays read-only. Walkthrough 25 found such a copy's folder
and register file given back their write permission by the first command that opened it (0500 made 0700)."""

from __future__ import annotations

import stat
from pathlib import Path

from dermadesk.files import make_private, private_dir


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_owner_only_takes_permissions_away_and_never_gives_one(tmp_path: Path) -> None:
    folder, file = tmp_path / "copy", tmp_path / "copy" / "settings.json"
    folder.mkdir()
    file.write_text("{}")
    file.chmod(0o444)
    folder.chmod(0o555)  # a copy made read-only
    private_dir(folder)
    make_private(file)
    assert (mode(folder), mode(file)) == (0o500, 0o400)  # was 0o700 and 0o600: writable again
    folder.chmod(0o755)
    file.chmod(0o644)
    private_dir(folder)
    make_private(file)
    assert (mode(folder), mode(file)) == (0o700, 0o600)  # readable by others: still made owner-only
