"""File dialogs as a new user found them: they open in Documents (or the home folder where there is none), never
in the program's folder; the export's folder dialog takes the name of a new folder, which is then made."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QInputDialog

import dermadesk.ui.dialogs as dialogs_module
from dermadesk.config import Settings
from dermadesk.ui.dialogs import DialogService, FolderDialog, start_folder
from tests.ui.test_maintenance import filled, finish


@pytest.fixture
def home(monkeypatch, tmp_path: Path) -> Path:
    """A home folder without Documents; the program runs in another folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(dialogs_module.QStandardPaths, "writableLocation", lambda _loc: str(home / "Documents"))
    program = tmp_path / "program"
    program.mkdir()
    monkeypatch.chdir(program)
    return home


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The folder (or suggested path) each Qt file dialog was opened on; the dialogs answer "cancelled"."""
    where: list[str] = []

    def record(answer: object, _parent: object, _title: str, start: str = "", *_args: object) -> object:
        where.append(start)
        return answer

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", partial(record, ([], "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", partial(record, ("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", partial(record, ""))
    return where


def test_file_dialogs_open_in_documents_else_home(qtbot, home: Path, opened: list[str]) -> None:
    service = DialogService(None)
    assert start_folder() == home  # no Documents folder: home, not the program's folder
    service.open_files("Import images")
    service.open_folder("Import a folder of images")
    service.save_file("Export patients", "patients.dmdx", "*.dmdx")  # a bare name: in home too
    service.save_file("Back up", str(home / "gone" / "backup.dmdb"), "*.dmdb")  # a folder not there
    assert opened == [str(home), str(home), str(home / "patients.dmdx"), str(home / "backup.dmdb")]
    (home / "Documents").mkdir()
    opened.clear()
    service.open_files("Import images")
    service.save_file("Save report", str(home / "Documents" / "r.pdf"), "PDF (*.pdf)")
    assert opened == [str(home / "Documents"), str(home / "Documents" / "r.pdf")]


def test_backup_and_report_dialogs_start_in_home_without_documents(qtbot, window, home: Path) -> None:
    assert window.session.last_folder("backup") == home
    assert window.reports.report_folder() == home
    (home / "Documents").mkdir()
    assert window.session.last_folder("backup") == home / "Documents" == window.reports.report_folder()


def test_the_report_dialog_opens_where_the_last_report_went_while_it_is_there(
    qtbot, window, dialogs, home: Path, tmp_path: Path
) -> None:
    """Walkthrough 24 found the first report's save dialog in the home folder: this workstation had no Documents
    folder and no report saved yet. The next opens where the last report went (remembered in the settings), and
    once that folder is gone in Documents, else the home folder again."""
    reports, folder = window.reports, tmp_path / "clinic reports"
    folder.mkdir()
    dialogs.saves.append(str(folder / "first.pdf"))
    assert reports._ask_path("Save lesion report", "first.pdf") == folder / "first.pdf"
    assert dialogs.asked[-1] == ("Save lesion report", str(home / "first.pdf"))  # nothing saved yet: home
    assert Settings.load(window.session.data_dir).report_folder == str(folder)  # remembered on disk
    reports._ask_path("Save patient summary", "next.pdf")  # cancelled: nothing remembered anew
    assert dialogs.asked[-1] == ("Save patient summary", str(folder / "next.pdf"))
    folder.rmdir()  # the folder taken away (a USB stick, a share): Documents where there is one, else home
    reports._ask_path("Save lesion report", "r.pdf")
    assert dialogs.asked[-1][1] == str(home / "r.pdf")
    (home / "Documents").mkdir()
    reports._ask_path("Save lesion report", "r.pdf")
    assert dialogs.asked[-1][1] == str(home / "Documents" / "r.pdf")


def test_the_folder_dialog_takes_a_new_folder_name(qtbot, tmp_path: Path) -> None:
    dialog = FolderDialog(None, "Export", tmp_path)
    qtbot.addWidget(dialog)
    (tmp_path / "old").mkdir()
    dialog.name_edit().setText("new export")
    choose = dialog.findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Open)
    assert choose.isEnabled()  # Qt's own dialog greys it for a name that is not there yet
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chosen() == tmp_path / "new export"
    dialog = FolderDialog(None, "Export", tmp_path)
    qtbot.addWidget(dialog)
    dialog.name_edit().setText("old")  # an existing folder, as before
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chosen() == tmp_path / "old"


def test_export_into_a_newly_typed_folder_makes_it(qtbot, window, dialogs, monkeypatch, tmp_path: Path) -> None:
    filled(window, tmp_path)
    target = tmp_path / "exports" / "november"
    (tmp_path / "exports").mkdir()

    def typed_new_name(dialog: FolderDialog) -> int:  # the user types a new name and presses Choose
        dialog.setDirectory(str(tmp_path / "exports"))
        dialog.name_edit().setText("november")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FolderDialog, "exec", typed_new_name)
    monkeypatch.setattr(dialogs, "open_folder", partial(DialogService.open_folder, dialogs))  # the real one
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a, **_k: ("CSV files, one per table", True))
    window.maintenance.export()
    finish(qtbot, window)
    title, text = dialogs.infos[-1]
    assert title == "Register exported" and f"written into the new folder\n{target}\n" in text
    assert (target / "patients.csv").is_file() and not dialogs.errors
