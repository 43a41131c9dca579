"""File > Restore from backup... as a clinic expects: a backup of another register is named as one in the question
before anything is replaced; a backup file gone missing is "Backup file not found"; the message after a restore
says where the replaced register is kept and how many earlier ones lie beside it (their room in all). File > Back
up...'s save dialog keeps Qt's own "replace it?" question. Real registers, real backup files, real windows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from dermadesk.bench.crafted import fill_register
from dermadesk.config import REGISTER_FILE
from dermadesk.services import register_ops as ops
from dermadesk.services.maintenance_text import made_text
from dermadesk.domain.text import size_text
from dermadesk.storage.backup import backup, verify_archive
from dermadesk.storage.identity import identity_of_file
from dermadesk.ui.dialogs import DialogService
from tests.ui.test_maintenance import backed_up, filled, finish, typed  # noqa: F401 - typed is a fixture


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def _laptop_backup(tmp_path: Path) -> Path:
    """Another register (a laptop's: 1 patient), backed up."""
    laptop = tmp_path / "laptop"
    fill_register(laptop, patients=1, captures=1, seed=4)
    archive = tmp_path / "laptop.zip"
    backup(laptop, archive)
    return archive


def test_a_backup_of_another_register_is_named_before_it_replaces_this_one(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    filled(window, tmp_path, "BK-1")
    filled(window, tmp_path, "BK-2")
    archive = _laptop_backup(tmp_path)
    theirs = identity_of_file(tmp_path / "laptop" / REGISTER_FILE)
    ours = identity_of_file(window.session.data_dir / REGISTER_FILE)
    assert theirs is not None and ours is not None
    dialogs.files.append([str(archive)])
    dialogs.confirms.append(False)  # No: nothing replaced
    window.maintenance.restore()
    finish(qtbot, window)
    ((title, question),) = dialogs.questions
    made = made_text(verify_archive(archive)["created"])
    assert title == "Restore a backup of another register"
    assert question.startswith(
        f"This backup is from another register (workstation {theirs.hostname} ({theirs.uid[:8]}), 1 patient, made "
        f"on {made}); restoring replaces this register's 2 patients (workstation {ours.hostname} ({ours.uid[:8]})). "
        "To add the other register's patients to this one instead, move them with a transfer package (File > Export "
        "patients to another workstation there, File > Import patients from another workstation here).\n\n"
        "Replace the current register with the backup of"
    )
    assert (
        "\n\nAll of this register's 2 patients and their images are replaced by the backup's 1 patient.\n\n"
    ) in question
    assert "Everything added or changed since the backup" not in question
    assert dialogs.confirm_defaults == [False]  # Enter answers No
    reg = window.session.register
    assert sorted(p.mrn for p in ops.search_patients(reg, "")) == ["BK-1", "BK-2"]
    assert not list(window.session.data_dir.glob("previous-*"))


def test_a_backup_of_this_register_is_asked_about_as_before(qtbot, window, dialogs, typed, tmp_path) -> None:  # noqa: F811
    archive = backed_up(qtbot, window, dialogs, typed, tmp_path)
    dialogs.files.append([str(archive)])
    window.maintenance.restore()
    finish(qtbot, window)
    ((title, question),) = dialogs.questions
    assert title == "Restore from a backup" and question.startswith("Replace the current register with the backup")
    assert "another register" not in question and "All of this register's" not in question
    assert "\n\nEverything added or changed since the backup was made is replaced.\n\n" in question


def test_a_backup_file_gone_missing_is_named(qtbot, window, dialogs, tmp_path: Path) -> None:
    gone = tmp_path / "usb" / "monday.zip"
    dialogs.files.append([str(gone)])  # picked, then the stick was pulled out
    window.maintenance.restore()
    finish(qtbot, window)
    assert dialogs.errors == [("Restore refused", f"Backup file not found: {gone}")]
    assert not dialogs.questions


def test_a_photograph_picked_as_the_backup_keeps_its_name_as_typed(qtbot, window, dialogs, tmp_path: Path) -> None:
    photo = tmp_path / "s7.jpg"  # lower case: never "S7.jpg" in the message
    photo.write_bytes(b"\xff\xd8\xff\xe0 not a backup")
    dialogs.files.append([str(photo)])
    window.maintenance.restore()
    finish(qtbot, window)
    assert dialogs.errors == [("Restore refused", "s7.jpg: not a readable DermaDesk backup (not a zip file)")]
    assert not dialogs.questions


def test_after_a_restore_the_registers_kept_aside_are_counted(qtbot, window, dialogs, typed, tmp_path) -> None:  # noqa: F811
    archive = backed_up(qtbot, window, dialogs, typed, tmp_path)
    data_dir = window.session.data_dir
    for _ in range(2):
        dialogs.files.append([str(archive)])
        dialogs.confirms.append(True)
        window.maintenance.restore()
        finish(qtbot, window)
    first, second = sorted(data_dir.glob("previous-*"))
    title, text = dialogs.infos[-1]
    assert title == "Register restored" and not dialogs.errors
    assert f"The earlier data is kept in\n{second} ({size_text(_size(second))})." in text
    assert (
        f"1 register set aside by earlier restores is also kept beside it ({first.name}): "
        f"{size_text(_size(first))} in all.\n\nDermaDesk never deletes these folders: once you are sure you no "
        "longer need one, delete it (your IT support can help)."
    ) in text
    assert (first / REGISTER_FILE).is_file() and (second / REGISTER_FILE).is_file()  # nothing deleted


def test_the_backup_save_dialog_keeps_qts_replace_question(qtbot, monkeypatch, tmp_path: Path) -> None:
    """Back up... into an existing file: Qt's save dialog asks "already exists. Do you want to replace it?" unless
    told not to; DermaDesk never tells it not to."""
    calls: list[tuple[tuple, dict]] = []

    def record(*args: object, **kwargs: object) -> tuple[str, str]:
        calls.append((args, kwargs))
        return str(tmp_path / "monday.zip"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", record)
    assert DialogService(None).save_file("Back up the register", str(tmp_path / "monday.zip"), "*.zip")
    ((args, kwargs),) = calls
    options = kwargs.get("options", args[5] if len(args) > 5 else QFileDialog.Option(0))
    assert not options & QFileDialog.Option.DontConfirmOverwrite
