"""File > Back up / Restore / Check register / Export register on a real register, dialogs answered."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import deque
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.storage.sealed import is_sealed

PASS = "correct horse battery"


@pytest.fixture
def typed(monkeypatch) -> deque:
    """Answers for QInputDialog.getText (None: the user pressed Cancel) and getItem (the format)."""
    answers: deque = deque()

    def get_text(*_args, **_kwargs):
        answer = answers.popleft()
        return ("", False) if answer is None else (answer, True)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (answers.popleft(), True)))
    return answers


def filled(window, tmp_path: Path, mrn: str = "BK-1") -> None:
    reg = window.session.register
    lesion = reg.lesions.add("t", reg.patients.add("t", mrn, "Backup Person").id, "posterior torso")
    f = tmp_path / f"{mrn}.jpg"
    f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=5))))
    import_files(reg, "t", lesion.id, [f], CaptureMeta(taken_at="2026-02-03"))
    window.refresh()


def finish(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=120000)


def test_encrypted_backup_and_restore(qtbot, window, dialogs, typed, tmp_path: Path) -> None:
    filled(window, tmp_path)
    archive = tmp_path / "out" / "backup.zip"
    archive.parent.mkdir()
    dialogs.saves.append(str(archive))
    typed.extend([PASS, PASS])
    window.maintenance.back_up()
    finish(qtbot, window)
    assert not dialogs.errors and dialogs.infos[-1][0] == "Backup written" and "encrypted" in dialogs.infos[-1][1]
    assert is_sealed(archive)
    assert "1 patient, 1 lesion, 1 capture and 1 image file (photographs and their heat maps)" in dialogs.infos[-1][1]
    ops.add_patient(window.session.register, "t", "AFTER-1", "Added After Backup")  # lost by the restore
    dialogs.files.append([str(archive)])
    typed.extend(["wrong passphrase!", None])  # wrong: said plainly, asked again; then Cancel: nothing changes
    assert window.maintenance.restore() is None
    title, text = dialogs.errors[-1]
    assert title == "Wrong passphrase" and text.startswith("This passphrase does not open the backup backup.zip.")
    assert "type it again" in text and len(dialogs.errors) == 1
    assert len(ops.search_patient_ids(window.session.register, "")) == 2
    asked: list[tuple[str, str]] = []
    answer = dialogs.confirm
    dialogs.confirm = lambda title, message: asked.append((title, message)) or answer(title, message)
    dialogs.files.append([str(archive)])
    typed.extend(["still wrong!", PASS])  # a second try after a wrong one
    dialogs.confirms.append(True)
    window.maintenance.restore()
    finish(qtbot, window)
    assert [t for t, _ in dialogs.errors] == ["Wrong passphrase", "Wrong passphrase"]
    made = dt.datetime.now().astimezone()
    title, question = asked[-1]  # before the register is replaced: the backup's date and what it holds
    assert title == "Restore from a backup" and f"the backup of {made.day} {made:%b %Y} at " in question
    assert "The backup holds 1 patient, 1 lesion, 1 capture and 1 image file (photographs and their heat maps)." in (
        question
    )
    # what the register holds now, replaced by it (and kept aside whole): the patient added after the backup
    assert "The register now holds 2 patients, 1 lesion, 1 capture and 1 image file (photographs and their " in (
        question
    )
    assert f"; last changed {made.day} {made:%b %Y} at " in question and " by t.\n" in question
    assert "kept aside whole (its records and images, as they are now)" in question
    title, text = dialogs.infos[-1]
    assert title == "Register restored" and "kept in\n" in text and f"the backup of {made.day} {made:%b %Y}" in text
    assert "now holds 1 patient, 1 lesion, 1 capture and 1 image file (photographs and their heat maps)" in text
    reg = window.session.register  # reopened, usable, and shown
    assert [p.mrn for p in ops.patients_by_ids(reg, ops.search_patient_ids(reg, ""))] == ["BK-1"]
    assert window.patients.model.rowCount() == 1 and window.patients.model.register is reg
    bk1 = reg.patients.by_mrn("BK-1").id  # the patient shown before (by MRN) is shown again, not an empty window
    assert window.selection.patient_id == bk1 and window.patients.current_patient_id() == bk1
    assert window.patient_form.mrn.text() == "BK-1" and window.lesions.list.count() == 1


def test_backup_passphrases_must_match_and_cancel_writes_nothing(qtbot, window, dialogs, typed, tmp_path) -> None:
    filled(window, tmp_path)
    archive = tmp_path / "b.zip"
    dialogs.saves.append(str(archive))
    typed.extend([PASS, PASS + "x"])
    assert window.maintenance.back_up() is None
    assert "differ" in dialogs.errors[-1][1] and not archive.exists()
    dialogs.saves.append(str(archive))
    typed.append("")  # no passphrase: a plain backup
    window.maintenance.back_up()
    finish(qtbot, window)
    assert archive.is_file() and not is_sealed(archive) and "encrypted" not in dialogs.infos[-1][1]
    ops.add_patient(window.session.register, "t", "KEEP-2", "Kept Too")
    dialogs.files.append([str(archive)])
    dialogs.confirms.append(False)  # the user says no, once told what the backup holds: nothing happens
    window.maintenance.restore()
    finish(qtbot, window)
    assert len(ops.search_patient_ids(window.session.register, "")) == 2


def test_check_register_says_in_plain_words_what_is_fine_and_what_to_do(qtbot, window, dialogs, tmp_path) -> None:
    filled(window, tmp_path)
    window.maintenance.check()
    finish(qtbot, window)
    title, text = dialogs.infos[-1]
    assert title == "Register check: all is well" and text.startswith("What is fine:")
    assert "The register file is undamaged." in text and "The image file is present and intact" in text
    assert text.endswith("Nothing needs to be done.") and "integrity" not in text
    assert "integrity: ok" in dialogs.details[-1] and "image files checked: 1" in dialogs.details[-1]
    reg = window.session.register
    path = reg.images.path(reg.database.one("SELECT image_sha256 FROM captures")[0])
    path.chmod(0o600)
    path.write_bytes(b"not the image any more")  # a damaged image file: the check says so, and what to do
    window.maintenance.check()
    finish(qtbot, window)
    title, text = dialogs.errors[-1]
    assert title == "Register check: problems found" and text.startswith("What is wrong:")
    assert "Some images are missing or damaged (1 damaged, of 1 image file checked)" in text
    assert "What to do: do not add new captures for now. Call your IT support" in text
    assert "damaged 1" in dialogs.details[-1] and "register has PROBLEMS" in dialogs.details[-1]


def test_export_register_csv_and_json(qtbot, window, dialogs, typed, tmp_path) -> None:
    filled(window, tmp_path)
    dialogs.folders.append(str(tmp_path / "csv"))  # a folder typed in the dialog, not there yet
    typed.append("CSV files, one per table")
    window.maintenance.export()
    finish(qtbot, window)
    title, text = dialogs.infos[-1]  # the folder did not exist: made, and the message says where
    assert title == "Register exported" and f"5 files written into the new folder\n{tmp_path / 'csv'}\n" in text
    assert "patients.csv, lesions.csv, captures.csv, assessments.csv, README.txt" in text
    with open(tmp_path / "csv" / "patients.csv", encoding="utf-8") as fh:
        assert [r["mrn"] for r in csv.DictReader(fh)] == ["BK-1"]
    for table in ("lesions", "captures", "assessments"):
        assert (tmp_path / "csv" / f"{table}.csv").is_file()
    dialogs.folders.append(str(tmp_path / "json"))
    typed.append("One JSON file")
    window.maintenance.export()
    finish(qtbot, window)
    assert f"1 file written into the new folder\n{tmp_path / 'json'}\n\nregister.json" in dialogs.infos[-1][1]
    data = json.loads((tmp_path / "json" / "register.json").read_text(encoding="utf-8"))
    assert set(data) == {"patients", "lesions", "captures", "assessments"}
    assert data["patients"][0]["name"] == "Backup Person" and len(data["captures"]) == 1
    (tmp_path / "a file").write_text("not a folder")
    dialogs.folders.append(str(tmp_path / "a file" / "export"))  # cannot be made: said in one line, and why
    typed.append("One JSON file")
    window.maintenance.export()
    finish(qtbot, window)
    title, text = dialogs.errors[-1]
    assert title == "Export failed" and text.startswith(
        f"Folder {tmp_path / 'a file' / 'export'} cannot be made: {tmp_path / 'a file'} is a file, not a folder"
    )


def test_cancel_a_backup_and_a_restore_leaves_nothing_changed(qtbot, window, dialogs, typed, tmp_path, monkeypatch):
    import dermadesk.storage.backup as backup_module
    import dermadesk.storage.restore as restore_module
    from tests.ui.test_cancel import Gate

    filled(window, tmp_path)
    good = tmp_path / "good.zip"
    dialogs.saves.append(str(good))
    typed.append("")
    window.maintenance.back_up()
    finish(qtbot, window)
    archive = tmp_path / "cancelled.zip"
    dialogs.saves.append(str(archive))
    typed.append("")
    gate = Gate(monkeypatch, backup_module, "_write_zip")
    window.maintenance.back_up()
    gate.cancel_while_inside(qtbot, window)
    assert "cancelled" in dialogs.infos[-1][0] and not list(tmp_path.glob("cancelled.zip*"))
    ops.add_patient(window.session.register, "t", "KEEP-1", "Kept Patient")
    dialogs.files.append([str(good)])
    dialogs.confirms.append(True)
    gate = Gate(monkeypatch, restore_module, "_stage")
    window.maintenance.restore()
    gate.cancel_while_inside(qtbot, window)
    assert "cancelled" in dialogs.infos[-1][0]
    reg = window.session.register  # reopened, unchanged: both patients still there
    assert len(ops.search_patient_ids(reg, "")) == 2 and window.patients.model.register is reg


def test_the_two_exports_say_what_they_are_for(window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    tips = {a.text(): a.statusTip() for a in file_menu.actions() if a.text()}
    workstation = tips["&Export patients to another workstation (encrypted)..."]
    spreadsheet = tips["Export register as sprea&dsheet (CSV/JSON)..."]
    assert "encrypted file" in workstation and "another DermaDesk workstation" in workstation
    assert "spreadsheet" in spreadsheet and "no images" in spreadsheet
    assert all(tips[t] for t in ("&Back up...", "Restore from bac&kup...", "&Check register..."))


def test_restore_shows_the_lesion_and_capture_shown_before(qtbot, window, dialogs, typed, tmp_path: Path) -> None:
    """Not only the patient: the lesion (by its number) and the capture (by its image) looked at before."""
    filled(window, tmp_path)
    reg = window.session.register
    pid = reg.patients.by_mrn("BK-1").id
    second = reg.lesions.add("t", pid, "anterior torso")
    files = []
    for seed in (7, 8):
        files.append(tmp_path / f"second-{seed}.jpg")
        files[-1].write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=seed))))
    early = import_files(reg, "t", second.id, files[:1], CaptureMeta(taken_at="2026-01-05")).captures[0]
    import_files(reg, "t", second.id, files[1:], CaptureMeta(taken_at="2026-03-05"))
    window.refresh(pid)
    window.lesions.select_lesion(second.id)
    window.show_capture(early.id)  # the baseline, not the latest that a lesion opens on
    archive = tmp_path / "plain.zip"
    dialogs.saves.append(str(archive))
    typed.append("")
    window.maintenance.back_up()
    finish(qtbot, window)
    dialogs.files.append([str(archive)])
    dialogs.confirms.append(True)
    window.maintenance.restore()
    finish(qtbot, window)
    reg = window.session.register
    assert window.selection.patient_id == reg.patients.by_mrn("BK-1").id
    lesion = reg.lesions.get(window.selection.lesion_id)
    assert lesion.number == second.number == 2
    assert window.lesions.list.currentItem().data(Qt.ItemDataRole.UserRole) == lesion.id
    shown = reg.captures.get(window.selection.capture_id)
    assert shown.image_sha256 == early.image_sha256 and window.timeline.current_capture_id() == shown.id


def backed_up(qtbot, window, dialogs, typed, tmp_path: Path) -> Path:
    """BK-1 with one capture, backed up (no passphrase): the backup's path."""
    filled(window, tmp_path)
    archive = tmp_path / "monday.zip"
    dialogs.saves.append(str(archive))
    typed.append("")
    window.maintenance.back_up()
    finish(qtbot, window)
    return archive


def test_restore_asks_about_typing_before_the_register_is_closed(qtbot, window, dialogs, typed, tmp_path) -> None:
    """Helper 51: patient notes typed, then File > Restore: the typing was asked about only once the restored
    register was open, and Yes saved it into another patient of it (by row id). Now Save / Discard / Cancel comes
    before the register is closed; Cancel calls the restore off; nothing typed reaches the restored register."""
    archive = backed_up(qtbot, window, dialogs, typed, tmp_path)
    reg = window.session.register
    ops.delete_patient(reg, "t", reg.patients.by_mrn("BK-1").id)  # after the backup: BK-1 gone, Z-77 in its row
    other = reg.patients.add("t", "Z-77", "Zoe Other").id
    window.refresh(other)
    window.patient_form.notes.setPlainText("ALLERGY: lidocaine")
    dialogs.files.append([str(archive)])
    dialogs.confirms.append(True)  # "Restore from a backup?" Yes
    dialogs.choices.append("cancel")  # the typing: Cancel, the restore is called off
    window.maintenance.restore()
    finish(qtbot, window)
    title, message = dialogs.questions[-1]
    assert title == "Restore from a backup" and "notes of patient Z-77 Zoe Other" in message
    assert "kept in the copy of it set aside" in message
    assert window.session.register.patients.by_mrn("Z-77").id == other  # not restored
    assert window.patient_form.notes.toPlainText() == "ALLERGY: lidocaine"
    dialogs.files.append([str(archive)])
    dialogs.confirms.append(True)
    dialogs.choices.append("save")  # saved into the register being replaced, then restored over
    window.maintenance.restore()
    finish(qtbot, window)
    restored = window.session.register
    assert [p.mrn for p in restored.patients.search("")] == ["BK-1"]
    assert restored.patients.by_mrn("BK-1").notes == ""  # nothing typed reached the restored register
    assert window.centralWidget().isEnabled() and window.menuBar().isEnabled()
    assert window.patient_form.patient.mrn == "BK-1" and window.patient_form.notes.toPlainText() == ""


def test_restore_over_a_newer_capture_shown(qtbot, window, dialogs, typed, tmp_path: Path) -> None:
    """Helper 51: yesterday's backup restored while today's capture is shown: the refresh looked the capture up in
    the restored register (NotFoundError), left the list on the closed register, and later clicks failed."""
    archive = backed_up(qtbot, window, dialogs, typed, tmp_path)
    reg = window.session.register
    pid = reg.patients.by_mrn("BK-1").id
    lesion = ops.lesions_of(reg, pid)[0]
    f = tmp_path / "tuesday.jpg"
    f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=9))))
    new = import_files(reg, "t", lesion.id, [f], CaptureMeta(taken_at="2026-11-20")).captures[0]
    window.refresh(pid)
    window.show_lesion(lesion.id, new.id)
    dialogs.files.append([str(archive)])
    dialogs.confirms.append(True)
    window.maintenance.restore()
    finish(qtbot, window)
    assert not dialogs.errors and dialogs.infos[-1][0] == "Register restored"
    restored = window.session.register
    assert window.patients.model.register is restored and window.patients.model.rowCount() == 1
    assert window.selection.lesion_id == ops.lesions_of(restored, restored.patients.by_mrn("BK-1").id)[0].id
    assert window.timeline.count() == 1  # Monday's capture; Tuesday's is in the copy set aside


def test_export_into_a_folder_with_files_names_the_new_folder(qtbot, window, dialogs, typed, tmp_path) -> None:
    """Helper 54 made the export write into a new folder where the chosen one holds files (never replacing a
    practice manager's patients.csv): the message names that folder, not the one chosen."""
    filled(window, tmp_path)
    manager = tmp_path / "manager"
    manager.mkdir()
    (manager / "patients.csv").write_text("their own list\n")
    dialogs.folders.append(str(manager))
    typed.append("CSV files, one per table")
    window.maintenance.export()
    finish(qtbot, window)
    title, text = dialogs.infos[-1]
    [made] = [p for p in manager.iterdir() if p.is_dir()]
    assert title == "Register exported" and f"written into the new folder\n{made}\n" in text
    assert made.name.startswith("dermadesk-export-") and (made / "patients.csv").is_file()
    assert (manager / "patients.csv").read_text() == "their own list\n"


def test_a_transfer_package_given_to_restore_is_named_before_a_passphrase(qtbot, window, dialogs, typed, tmp_path):
    from dermadesk.services.transfer import export_patients

    filled(window, tmp_path)
    package = tmp_path / "to-clinic.ddtx"
    export_patients(window.session.register, package, None)
    dialogs.files.append([str(package)])
    assert window.maintenance.restore() is None
    title, text = dialogs.errors[-1]
    assert title == "Restore refused" and "transfer package, not a backup" in text and "Import patients" in text
    assert not typed  # no passphrase was asked for
