"""The app's start: its own per-user folder gets a new register at the first start, as before; a folder it was
given (--data-dir, $DERMADESK_DATA_DIR) that is not there, nor the folder it would go in, or a folder that lost its
register file, is refused in one line and nothing is created (one whose parent is there is asked about:
``test_no_register_start``)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import platformdirs
import pytest

from dermadesk.bench.crafted import fill_register
from dermadesk.config import DATA_DIR_ENV, REGISTER_FILE
from dermadesk.storage.check import STALE_AFTER
from dermadesk.storage.lost_register import NEW_ANYWHERE, NEW_BESIDE, NEW_IN_FOLDER
from dermadesk.ui.notices import CANNOT_OPEN_TITLE


def test_a_given_folder_that_is_not_there_is_said_not_made(qtbot, dialogs, tmp_path: Path) -> None:
    from dermadesk.ui.app import run

    unplugged = tmp_path / "usb" / "DermaDesk"
    assert run(str(unplugged), dialogs=dialogs) == 1  # exits before any window or event loop
    ((title, message),) = dialogs.errors
    assert title == CANNOT_OPEN_TITLE and "\n" not in message
    assert message.startswith(f"<b>{CANNOT_OPEN_TITLE}</b>")  # also in the text: no title bar shows it on some desktops
    assert f"no register at {unplugged}" in message and "is the drive connected" in message
    assert "nothing was created" in message and not (tmp_path / "usb").exists()


def test_the_environment_s_folder_counts_as_given(qtbot, dialogs, tmp_path: Path, monkeypatch) -> None:
    from dermadesk.ui.app import run

    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "typo"))
    assert run(None, dialogs=dialogs) == 1  # asked (ui.no_register_start), and quit: Escape's answer
    assert "There is no folder" in dialogs.questions[0][1] and "DERMADESK_DATA_DIR" in dialogs.questions[0][1]
    assert not (tmp_path / "typo").exists() and not dialogs.errors


def test_a_folder_that_lost_its_register_file_is_refused(qtbot, dialogs, tmp_path: Path) -> None:
    from dermadesk.ui.app import run

    fill_register(tmp_path / "data", patients=1, captures=2)
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "data", copy, ignore=shutil.ignore_patterns(REGISTER_FILE + "*"))
    assert run(str(copy), dialogs=dialogs) == 1
    ((_title, message),) = dialogs.errors
    assert f"{copy} has no {REGISTER_FILE}" in message and "2 files" in message
    assert "no new register was created" in message and not (copy / REGISTER_FILE).exists()


def test_the_first_start_in_the_app_s_own_folder_makes_the_register(
    qtbot, dialogs, tmp_path: Path, monkeypatch
) -> None:
    from dermadesk.ui.app import new_register_allowed, run

    own = tmp_path / "home" / ".local" / "share" / "DermaDesk"  # a new account: not even its parents are there
    monkeypatch.delenv(DATA_DIR_ENV)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(own))
    assert new_register_allowed(None) == NEW_ANYWHERE
    assert run(None, screenshots=str(tmp_path / "shots"), dialogs=dialogs) == 0
    assert (own / REGISTER_FILE).is_file() and not dialogs.errors
    assert (tmp_path / "shots" / "register.png").is_file()


@pytest.mark.parametrize(
    "given, env, portable, expected",
    [
        ("/x", False, False, NEW_IN_FOLDER),
        (None, True, False, NEW_IN_FOLDER),
        (None, False, True, NEW_BESIDE),  # DermaDeskData beside the program: its folder is there
        (None, False, False, NEW_ANYWHERE),
    ],
)
def test_where_the_app_may_make_a_register(
    monkeypatch, tmp_path: Path, given: str | None, env: bool, portable: bool, expected: str
) -> None:
    import dermadesk.config as config
    import dermadesk.ui.app as app

    if not env:
        monkeypatch.delenv(DATA_DIR_ENV)
    monkeypatch.setattr(config, "portable_dir", lambda: tmp_path / "DermaDeskData" if portable else None)
    assert app.new_register_allowed(given) == expected


def test_the_app_s_check_says_when_the_images_look_like_another_register_s(qtbot, window, dialogs) -> None:
    from tests.conftest import lesion_jpeg
    from tests.ui.test_maintenance import finish

    reg = window.session.register
    old = time.time() - STALE_AFTER - 60  # older than an import running now: an earlier register's
    for seed in (1, 2):
        sha = reg.images.put(lesion_jpeg(seed=seed))  # images with no capture here
        os.utime(reg.images.path(sha), (old, old))
    window.maintenance.check()
    finish(qtbot, window)
    title, text = dialogs.errors[-1]
    assert title == "Register check: problems found" and text.startswith("What is wrong:")
    assert "Most stored images (2 of 2) belong to no capture in this register" in text and "not leftovers" in text
    assert "harmless" not in text and "--clean" not in text and "There are no images yet" not in text
    assert "unreferenced images: 2 of the 2" in dialogs.details[-1] and "remove with" not in dialogs.details[-1]


def test_a_refusal_that_does_not_name_the_folder_is_titled_and_names_it(qtbot, dialogs, tmp_path: Path) -> None:
    import sqlite_utils

    from dermadesk.storage.register import Register
    from dermadesk.ui.app import run

    folder = tmp_path / "data"
    Register(folder).close()
    raw = sqlite_utils.Database(folder / REGISTER_FILE)  # a register a newer DermaDesk wrote
    raw.execute("INSERT INTO _migrations (name, applied_at) VALUES ('m999_from_the_future', 'x')")
    raw.conn.commit()
    raw.close()
    assert run(str(folder), dialogs=dialogs) == 1
    ((title, message),) = dialogs.errors
    assert title == CANNOT_OPEN_TITLE and message.startswith(f"<b>{CANNOT_OPEN_TITLE}</b><p>")
    assert "written by a newer DermaDesk" in message and "update DermaDesk to open it" in message
    assert message.endswith(f"<p>Data folder: {folder}</p>")
