"""Issue 16, a new user's pass: the demo and New patient where a user looks for them, refusals that say what to
do (a warning, not an error), deletion times in local words, file dialogs that open where the user was last."""

from __future__ import annotations

import datetime as dt
from collections import deque
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QInputDialog, QMessageBox

from dermadesk.services import register_ops as ops
from dermadesk.ui.dialogs import DialogService, FolderDialog
from dermadesk.domain.dates import human_datetime
from tests.conftest import lesion_jpeg
from tests.test_decode import _png_header_only
from tests.ui.helpers import add_patient, click_body, wait_import
from tests.ui.test_maintenance import filled, finish


def _menu(window, title: str):
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title]
    return menu


def test_help_menu_opens_the_demo_when_the_register_has_patients(qtbot, window, dialogs, monkeypatch) -> None:
    add_patient(window, dialogs)
    assert window.guide.isHidden()  # the welcome screen's button is gone once there is a patient
    started: list = []
    monkeypatch.setattr(QProcess, "startDetached", staticmethod(lambda program, args: started.append(args) or True))
    (demo,) = [a for a in _menu(window, "Help").actions() if "demo register" in a.text().replace("&", "")]
    assert demo is window.demo_action and demo.text().endswith("...")
    demo.trigger()
    assert started and started[0][-1] == "--demo"


def test_new_patient_is_one_action_in_the_file_and_patient_menus(qtbot, window) -> None:
    new = window.new_patient_action
    assert new in _menu(window, "File").actions() and new in _menu(window, "Patient").actions()
    assert _menu(window, "Patient").actions()[0] is new and new.shortcut().toString() == "Ctrl+N"


@pytest.fixture
def lesion(qtbot, window, dialogs, monkeypatch) -> int:
    monkeypatch.setattr(window.models, "assessor", lambda: None)  # the notices, not the assessments
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    return window.selection.lesion_id


def test_refused_files_are_a_warning_that_says_what_to_do(qtbot, window, dialogs, lesion, tmp_path: Path) -> None:
    (tmp_path / "good.jpg").write_bytes(lesion_jpeg(3))
    (tmp_path / "huge.png").write_bytes(_png_header_only(12000, 9000))
    (tmp_path / "notes.jpg").write_text("a text file renamed .jpg")
    (tmp_path / "cut.jpg").write_bytes(lesion_jpeg(2)[:2000])
    names = ["good.jpg", "huge.png", "notes.jpg", "cut.jpg"]
    window.c.import_paths(lesion, [str(tmp_path / n) for n in names], ask=False)
    assert len(wait_import(qtbot, window).captures) == 1
    assert not dialogs.errors  # 1 imported, 3 refused: a warning, not the critical icon
    ((title, message),) = dialogs.warnings
    assert "1 image imported" in message and "3 refused" in message
    assert "over the 50 MP limit; export a smaller copy, at most 50 MP, from the camera or an image editor" in message
    assert "notes.jpg: not an image file (or a format DermaDesk cannot read); import the photo itself" in message
    assert "cut.jpg: image file is truncated or damaged; copy it again from the camera" in message
    window.c.import_paths(lesion, [str(tmp_path / "notes.jpg")], ask=False)  # all refused: a warning too
    wait_import(qtbot, window)
    assert len(dialogs.warnings) == 2 and "No image imported" in dialogs.warnings[-1][1] and not dialogs.errors


def test_a_warning_shows_the_warning_icon(monkeypatch) -> None:
    shown: list = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a: shown.append(a[1:])))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a: pytest.fail("critical icon")))
    DialogService(None).warning("Some images were not imported", "3 refused")
    assert shown == [("Some images were not imported", "3 refused")]


def test_restore_deleted_shows_local_human_times(qtbot, window, dialogs) -> None:
    pid = add_patient(window, dialogs)
    reg = window.session.register
    lid = reg.lesions.add("t", pid, "head/neck").id
    ops.delete_lesion(reg, "t", lid)
    window.refresh(pid)
    seen: list[str] = []

    def look(dialog) -> bool:
        seen.extend(dialog.items.item(i).text() for i in range(dialog.items.count()))
        return False

    dialogs.fillers.append(look)
    window.corrections.restore_deleted()
    stamp = reg.lesions.get(lid).deleted_at
    assert len(seen) == 1 and seen[0].endswith(f"deleted {human_datetime(stamp)} by t") and "UTC" not in seen[0]


def test_restore_deleted_names_a_capture_by_its_date_and_shows_the_whole_line(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    """ "Capture 3 of lesion 1" (its database number) beside a lesion showing two captures, cut off before the time."""
    from dermadesk.services.captures import CaptureMeta, import_files

    pid = add_patient(window, dialogs)
    reg = window.session.register
    lesion = reg.lesions.get(reg.lesions.add("t", pid, "upper extremity").id)
    for i, day in enumerate(("2026-03-10", "2026-08-20")):
        (tmp_path / f"c{i}.jpg").write_bytes(lesion_jpeg(seed=i))
        import_files(reg, "t", lesion.id, [tmp_path / f"c{i}.jpg"], CaptureMeta(taken_at=day))
    gone = reg.captures.for_lesion(lesion.id)[-1]
    ops.delete_capture(reg, "Nurse Kim Lee", gone.id)
    window.refresh(pid)
    seen: list = []

    def look(dialog) -> bool:
        dialog.resize(420, 300)  # narrow: the line wraps, nothing is cut off
        dialog.show()
        qtbot.waitExposed(dialog)
        item = dialog.items.item(0)
        seen.extend([item.text(), item.toolTip(), dialog.items.visualItemRect(item), dialog.items.viewport().width()])
        seen.append(dialog.items.fontMetrics().height())
        return False

    dialogs.fillers.append(look)
    window.corrections.restore_deleted()
    text, tip, rect, room, line = seen
    stamp = human_datetime(reg.captures.get(gone.id).deleted_at)
    assert text == (
        f"Capture of 20 Aug 2026 (c1.jpg), Lesion {lesion.number} · {lesion.site_text}, "
        f"deleted {stamp} by Nurse Kim Lee"
    )
    assert tip == text  # the whole line (the file in it), in its tooltip
    assert rect.right() <= room and rect.height() >= 2 * line  # wrapped inside the list, not cut at its edge


@pytest.fixture
def typed(monkeypatch) -> deque:
    """Answers for QInputDialog.getText (None: Cancel) and getItem (the export's format)."""
    answers: deque = deque()
    text = staticmethod(lambda *a, **k: ("", False) if (x := answers.popleft()) is None else (x, True))
    monkeypatch.setattr(QInputDialog, "getText", text)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (answers.popleft(), True)))
    return answers


def test_backup_and_export_dialogs_open_where_the_last_one_went(qtbot, window, dialogs, typed, tmp_path) -> None:
    filled(window, tmp_path)
    s, today = window.session, dt.date.today().isoformat()
    (tmp_path / "backups").mkdir()
    dialogs.saves.append(str(tmp_path / "backups" / "mine.zip"))
    typed.append(None)  # cancelled at the passphrase: the folder is remembered all the same
    window.maintenance.back_up()
    window.maintenance.back_up()
    assert dialogs.asked[-1] == ("Back up the register", str(tmp_path / "backups" / f"dermadesk-backup-{today}.zip"))
    window.maintenance.restore()
    assert dialogs.asked[-1][1] == str(tmp_path / "backups")
    (tmp_path / "exports").mkdir()
    dialogs.folders.append(str(tmp_path / "exports" / "first"))
    typed.append("CSV files, one per table")
    window.maintenance.export()
    finish(qtbot, window)
    typed.append("CSV files, one per table")
    window.maintenance.export()  # cancelled in the folder dialog
    assert dialogs.asked[-1][1] == str(tmp_path / "exports" / f"dermadesk-export-{today}")
    (tmp_path / "exports" / f"dermadesk-export-{today}").mkdir()  # taken: the next name is suggested
    typed.append("CSV files, one per table")
    window.maintenance.export()
    assert dialogs.asked[-1][1] == str(tmp_path / "exports" / f"dermadesk-export-{today}-2")
    assert (s.settings.backup_folder, s.settings.export_folder) == (
        str(tmp_path / "backups"),
        str(tmp_path / "exports"),
    )


def test_the_folder_dialog_suggests_a_new_folder_name(qtbot, tmp_path: Path) -> None:
    dialog = FolderDialog(None, "Export", tmp_path, "dermadesk-export-2026-11-22")
    qtbot.addWidget(dialog)
    assert dialog.name_edit().text() == "dermadesk-export-2026-11-22"
    assert dialog.chosen() == tmp_path / "dermadesk-export-2026-11-22"
