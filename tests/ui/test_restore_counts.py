"""The restore question counts what a user sees (issue 16): deleted lesions and captures (a deleted lesion's
captures included) are named apart as restorable, in what the register holds and in what the backup holds."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.ui.test_maintenance import filled, finish, typed  # noqa: F401 - typed is a fixture

KINDS = "(photographs and their heat maps)"


def test_the_restore_question_names_deleted_records_apart(qtbot, window, dialogs, typed, tmp_path: Path) -> None:  # noqa: F811
    filled(window, tmp_path)  # 1 patient, 1 lesion, 1 capture
    reg = window.session.register
    (pid,) = ops.search_patient_ids(reg, "")
    second = reg.lesions.add("t", pid, "upper extremity")
    f = tmp_path / "second.jpg"
    f.write_bytes(lesion_jpeg(7, 96, 72))
    import_files(reg, "t", second.id, [f], CaptureMeta(taken_at="2026-02-04"))
    ops.delete_lesion(reg, "t", second.id)  # the lesion and, with it, its capture are out of sight

    archive = tmp_path / "backup.zip"
    dialogs.saves.append(str(archive))
    typed.append("")  # no passphrase
    window.maintenance.back_up()
    finish(qtbot, window)
    held = "1 patient, 1 lesion (plus 1 deleted, restorable), 1 capture (plus 1 deleted, restorable) and 2 image"
    assert held in dialogs.infos[-1][1]

    ops.delete_patient(reg, "t", pid)  # after the backup: everything deleted, all of it restorable
    asked: list[str] = []
    dialogs.confirm = lambda title, message, default_yes=False: asked.append(message) or False
    dialogs.files.append([str(archive)])
    window.maintenance.restore()
    finish(qtbot, window)
    (question,) = asked
    assert f"The backup holds {held} files {KINDS}." in question
    assert (
        "The register now holds 0 patients (plus 1 deleted, restorable), 0 lesions (plus 2 deleted, restorable), "
        f"0 captures (plus 2 deleted, restorable) and 2 image files {KINDS}; " in question
    )
