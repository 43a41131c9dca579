"""However the app's start ends once it opened the register (the decision-support disclaimer declined at the first
start, an error, even one before the window was built), the register is closed and the data folder's locks are
released: nothing of this start is left in the folder, and the next start opens it without asking. Declining the
disclaimer left an ``.in-use-*.lock`` (and the folder's ``.dermadesk-open.lock``) behind. The quits before a window
(a read-only folder, DermaDesk open on the folder elsewhere) are tested in test_read_only_folder.py and
test_folder_lock.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dermadesk.config import Settings
from dermadesk.storage.folder_lock import LOCK_NAME
from dermadesk.storage.in_use import IN_USE_PREFIX
from dermadesk.storage.register import Register
from dermadesk.ui.forms import DisclaimerDialog


def locks(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(IN_USE_PREFIX) or p.name == LOCK_NAME)


def opens_again_without_asking(qtbot, data_dir: Path, dialogs) -> None:
    from dermadesk.ui.app import open_window

    window = open_window(data_dir, dialogs, lock=True)
    assert window is not None and dialogs.questions == []  # no "DermaDesk is already open on this data folder"
    qtbot.addWidget(window)
    assert len(locks(data_dir)) == 2  # this window's own: the register's mark and the folder's lock
    window.session.register.close()
    window.session.folder_lock.release()


def test_declining_the_disclaimer_leaves_no_lock_behind(qtbot, data_dir: Path, dialogs) -> None:
    from dermadesk.ui.app import run

    Register(data_dir).close()
    shown: list[Any] = []
    dialogs.fillers.append(lambda dialog: shown.append(dialog) or False)  # Cancel
    assert run(str(data_dir), dialogs=dialogs) == 0
    assert len(shown) == 1 and isinstance(shown[0], DisclaimerDialog)
    assert not Settings.load(data_dir).disclaimer_acknowledged  # asked again at the next start
    assert locks(data_dir) == []
    opens_again_without_asking(qtbot, data_dir, dialogs)


def test_an_error_after_the_window_opened_leaves_no_lock_behind(qtbot, data_dir: Path, dialogs) -> None:
    from dermadesk.ui.app import run

    Register(data_dir).close()

    def broken(dialog: Any) -> bool:  # a fault injected where the start shows its first dialog
        raise RuntimeError("the disclaimer could not be shown")

    dialogs.fillers.append(broken)
    with pytest.raises(RuntimeError, match="could not be shown"):
        run(str(data_dir), dialogs=dialogs)
    assert locks(data_dir) == []
    opens_again_without_asking(qtbot, data_dir, dialogs)


def test_a_window_that_cannot_be_built_leaves_no_lock_behind(
    qtbot, data_dir: Path, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dermadesk.ui.app as app

    Register(data_dir).close()

    def broken(*args: Any) -> None:  # a fault injected after the register was opened and the folder locked
        raise RuntimeError("no window")

    monkeypatch.setattr(app, "MainWindow", broken)
    with pytest.raises(RuntimeError, match="no window"):
        app.run(str(data_dir), dialogs=dialogs)
    assert locks(data_dir) == []
    monkeypatch.undo()
    opens_again_without_asking(qtbot, data_dir, dialogs)
