"""A long folder path in a message breaks onto the next line only after a "/" (it broke inside a folder's name, at a
space or a hyphen: "DermaDesk data/register-" over "copy 2025"), and "read-only" is never split at its hyphen ("it
is on a read-" over "only disk"); what is copied from the message is the path and the words as they are, without
the invisible marks that place the breaks. In the real message boxes, laid out at the label's width and narrower."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

import dermadesk.storage.register as storage_register
from dermadesk.storage.register import Register
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.notices import READ_ONLY_TITLE, open_register
from dermadesk.ui.path_breaks import BREAK, JOIN, whole
from tests.ui.message_boxes import copied_all, laid_out, when_shown, wrong_ends

LONG = "clinic-share/Dermatology Department/OneDrive - Clinic/DermaDesk data 2025 (from old PC)/register-copy"
WHY = "it is on a read-only disk or share"


def looked_at(qtbot, label: QLabel, path: Path, seen: dict) -> None:
    """Into ``seen``: the lines that end wrongly at the label's width and at each narrower one down to three
    quarters of it (by a few pixels: one of them ends a line inside "read-only" without the fix), the marks shown,
    and what select all + Ctrl+C copies."""
    full = label.contentsRect().width() - 2 * label.margin()
    seen["wrong"] = {
        width: wrong_ends(laid_out(label, width), str(path)) for width in range(full * 3 // 4, full + 1, 3)
    }
    seen["marked"] = BREAK in label.text() and JOIN in label.text()
    seen["copied"] = copied_all(qtbot, label)


def test_the_register_opened_read_only_says_so_with_its_path_broken_after_a_slash(qtbot, tmp_path, monkeypatch) -> None:
    folder = tmp_path / LONG
    with Register(folder) as reg:
        reg.patients.add("t", "RO-1", "Read Only")
    monkeypatch.setattr(storage_register, "cannot_write", lambda f: WHY if Path(f) == folder else None)
    seen: dict = {}

    def answer(box: QMessageBox) -> None:
        seen["title"] = box.windowTitle()
        looked_at(qtbot, box.findChild(QLabel, "qt_msgbox_label"), folder, seen)
        box.accept()

    when_shown(answer)
    assert open_register(folder, DialogService()) is None  # not opened: said, OK
    assert seen["title"] == READ_ONLY_TITLE and seen["marked"]
    assert not any(seen["wrong"].values()), {w: lines for w, lines in seen["wrong"].items() if lines}
    copied = seen["copied"]
    assert f"the data folder {folder}: it is read-only ({WHY})" in copied and whole(copied) == copied  # no mark


ASKED = {
    "error": lambda d, m, p: d.error("Backup failed", m, paths=p),
    "info": lambda d, m, p: d.info("Backup written", m, paths=p),
    "warning": lambda d, m, p: d.warning("Not kept", m, paths=p),
    "with details": lambda d, m, p: d.warning("Not kept", m, "the details", paths=p),
    "confirm": lambda d, m, p: d.confirm("Back up", m, paths=p),
    "choose": lambda d, m, p: d.choose("Open", m, ["Quit"], cancel=False, paths=p),
}


@pytest.mark.parametrize("asked", ASKED)
def test_every_message_breaks_the_paths_it_names_and_copies_them_whole(qtbot, tmp_path, asked: str) -> None:
    path = tmp_path / LONG / "backup 2025-11-24.ddbackup"  # a name narrower than the lines, so never cut
    message = f"Written to {path}, on a disk that is read-only once the backup is checked."
    seen: dict = {}

    def answer(box: QMessageBox) -> None:
        looked_at(qtbot, box.findChild(QLabel, "qt_msgbox_label"), path, seen)
        box.reject()

    when_shown(answer)
    ASKED[asked](DialogService(), message, [tmp_path / LONG, path])  # the file's own path broken, not its folder's
    assert seen["marked"] and not any(seen["wrong"].values()), {w: ls for w, ls in seen["wrong"].items() if ls}
    assert seen["copied"] == message


def test_a_notice_beside_the_window_copies_clean_while_it_is_open(qtbot) -> None:
    path = Path("/media/clinic share/DermaDesk/settings of the old PC/dermadesk-settings")  # each name fits a line
    message = f"The settings folder {path} is read-only."
    seen: dict = {}

    def answer(box: QMessageBox) -> None:
        looked_at(qtbot, box.findChild(QLabel, "qt_msgbox_informativelabel"), path, seen)
        box.reject()  # OK's way out: closed, and deleted

    when_shown(answer)
    window = QWidget()  # a notice belongs to the window it stands beside (without one it is gone at once)
    qtbot.addWidget(window)
    DialogService(window).notice("Not kept on this workstation", message, paths=[path])
    qtbot.waitUntil(lambda: "copied" in seen)
    assert seen["marked"] and not any(seen["wrong"].values()) and seen["copied"] == message
    marked = f"/a/{BREAK}b"
    QGuiApplication.clipboard().setText(marked)  # another program's text, once the notice is closed: left as it is
    assert QGuiApplication.clipboard().text() == marked
