"""File > Export patients... and Import patients...: dialogs filled as a user would, work in the background,
the preview before anything is written, and the patient list refreshed after the import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.ui.transfer_dialog import ExportDialog, ImportPreviewDialog, PassphraseDialog
from tests.transfer_data import CHEAP_KDF, PASSPHRASE, fill
from tests.ui.helpers import ThreadRecorder, add_patient


def _menu_texts(window) -> list[str]:
    file_menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in file_menu.actions()]


def test_export_the_selected_patient_from_the_file_menu(qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    import dermadesk.ui.transfer_dialog as module

    assert {
        "&Export patients to another workstation (encrypted)...",
        "Import p&atients from another workstation...",
    } <= set(_menu_texts(window))
    add_patient(window, dialogs, "EXP-1", "Ex Porter")
    add_patient(window, dialogs, "EXP-2", "Other Person")  # selected now
    out = tmp_path / "week"
    recorder = ThreadRecorder(monkeypatch, module, "export_patients")
    seen: list[str] = []

    def fill_export(d: ExportDialog) -> bool:
        seen.append(d.only_selected.text())
        assert d.only_selected.isChecked()  # the selected patient is the default
        d.passphrase.setText("short")
        d.repeat.setText("short")
        d.out.setText(str(out))
        return True

    def fill_again(d: ExportDialog) -> bool:
        d.passphrase.setText(PASSPHRASE)
        d.repeat.setText(PASSPHRASE)
        return True

    dialogs.fillers.extend([fill_export, fill_again])
    window.transfer_actions.export_patients()
    assert dialogs.errors == [("Export patients", "the passphrase must have at least 8 characters")]
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert seen == ["Selected patient: EXP-2 Other Person"]
    assert "Exported 1 patient" in dialogs.infos[0][1] and "encrypted" in dialogs.infos[0][1]
    assert (tmp_path / "week.ddtx").is_file() and recorder.off_gui_thread


def test_import_shows_the_preview_then_imports_and_refreshes_the_list(qtbot, window, dialogs,
                                                                     tmp_path: Path) -> None:
    other = tmp_path / "field"
    with Register(other) as reg:
        fill(reg, "FLD-1", "Field Patient", lesions=1, captures=2, seed=4)
        fill(reg, "UI-1", "Someone Different", lesions=1, captures=1, seed=5)
        export_patients(reg, tmp_path / "in.ddtx", PASSPHRASE, kdf=CHEAP_KDF)
    add_patient(window, dialogs, "UI-1", "Ui Tester")  # same MRN here, another person: a conflict
    assert window.patients.model.rowCount() == 1
    previews: list[list[str]] = []

    def passphrase(d: PassphraseDialog) -> bool:
        d.passphrase.setText(PASSPHRASE)
        return True

    def look(d: ImportPreviewDialog) -> bool:
        previews.append([" | ".join(d.table.item(r, c).text() for c in range(d.table.columnCount()))
                         for r in range(d.table.rowCount())])
        assert d.import_button.isEnabled() and "Left out with a conflict" in d.summary.text()
        assert window.patients.model.rowCount() == 1  # nothing written while the preview is shown
        return True

    dialogs.files.append([str(tmp_path / "in.ddtx")])
    dialogs.fillers.extend([passphrase, look])
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert previews == [["FLD-1 | Field Patient | 1960-05-01 | NEW | 1 lesion, 2 captures, 2 assessments, "
                         "1 comparison | ",
                         "UI-1 | Someone Different | 1960-05-01 | CONFLICT | - | not merged: the name differs "
                         "(here 'Ui Tester', in the package 'Someone Different')"]]
    assert dialogs.infos[0][1].startswith("Imported 1 patient, 1 lesion, 2 captures")
    assert "1 conflict: not merged" in dialogs.infos[0][1]
    assert window.patients.model.rowCount() == 2  # the list was refreshed
    assert not list(window.session.register.data_dir.glob(".transfer-*"))


def test_a_wrong_passphrase_is_asked_again_without_choosing_the_file_again(qtbot, window, dialogs, tmp_path: Path):
    with Register(tmp_path / "field") as reg:
        fill(reg, "FLD-1", "Field Patient", lesions=1, captures=1)
        export_patients(reg, tmp_path / "in.ddtx", PASSPHRASE, kdf=CHEAP_KDF)
    asked: list[str] = []

    def typing(text: str | None):  # noqa: ANN202 - a filler
        def fill(d: PassphraseDialog) -> bool:
            asked.append(d.findChild(QLabel).text())
            d.passphrase.setText(text or "")
            return text is not None

        return fill

    dialogs.files.append([str(tmp_path / "in.ddtx")])
    dialogs.fillers.extend([typing("not the passphrase"), typing(None)])  # wrong, then Cancel: nothing changes
    window.transfer_actions.import_patients()
    assert dialogs.errors == [("Wrong passphrase", "This passphrase does not open in.ddtx.\n\nCheck capital letters "
                               "and spaces, and type it again. Nothing was changed.")]
    assert asked == ["in.ddtx is encrypted.", "in.ddtx is encrypted.\nThe last passphrase typed did not open it."]
    assert window.patients.model.rowCount() == 0 and not dialogs.fillers and not window.session.runner.running
    dialogs.files.append([str(tmp_path / "in.ddtx")])  # wrong, then right: the same file, imported
    dialogs.fillers.extend([typing("not the passphrase"), typing(PASSPHRASE), lambda d: True])
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert len(dialogs.errors) == 2 and not dialogs.files
    assert dialogs.infos[0][1].startswith("Imported 1 patient") and window.patients.model.rowCount() == 1


def test_a_review_made_elsewhere_is_an_update_the_import_button_offers(qtbot, window, dialogs,
                                                                       tmp_path: Path) -> None:
    with Register(tmp_path / "field") as reg:
        fill(reg, "FLD-1", "Field Patient", lesions=1, captures=1)
        export_patients(reg, tmp_path / "in.ddtx", PASSPHRASE, kdf=CHEAP_KDF)
    import_package(window.session.register, tmp_path / "in.ddtx", PASSPHRASE, "clinic")  # had it already
    with Register(tmp_path / "field") as reg:
        reg.captures.review("nurse", 1, "excise", "watch the border")
        export_patients(reg, tmp_path / "in.ddtx", PASSPHRASE, kdf=CHEAP_KDF, overwrite=True)
    seen: list[str] = []

    def passphrase(d: PassphraseDialog) -> bool:
        d.passphrase.setText(PASSPHRASE)
        return True

    def look(d: ImportPreviewDialog) -> bool:
        seen.extend([d.summary.text(), d.remarks.toPlainText(), d.table.item(0, 4).text(), d.import_button.text()])
        return d.import_button.isEnabled()

    dialogs.files.append([str(tmp_path / "in.ddtx")])
    dialogs.fillers.extend([passphrase, look])
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert "To update: 1 capture" in seen[0] and "Will update: capture" in seen[1]
    assert "'monitor' → 'excise'" in seen[1] and seen[2:] == ["updates 1 record", "Import"]
    assert dialogs.infos[0][1].startswith("Updated 1 capture from in.ddtx")



def test_a_typed_package_name_lands_in_the_documents_folder_and_never_replaces_a_file_unasked(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch
) -> None:
    """A bare name typed in "Package file" went to the program's working folder, and a typed name replaced an
    existing file without a question (the save dialog's question covers only a file chosen there)."""
    import dermadesk.ui.transfer_dialog as module

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(module, "start_folder", lambda: documents)
    monkeypatch.chdir(tmp_path)
    add_patient(window, dialogs, "EXP-3", "Typed Name")
    existing = documents / "clinic-transfer.ddtx"
    existing.write_bytes(b"last week's package")

    def typed(d: ExportDialog) -> bool:
        d.no_encrypt.setChecked(True)
        d.out.setText("clinic-transfer")
        return True

    dialogs.fillers.extend([typed, lambda d: False])  # No to "Replace it?", then Cancel in the dialog
    dialogs.confirms.append(False)
    window.transfer_actions.export_patients()
    [(title, question)] = dialogs.questions
    assert f"{existing} already exists. Replace it?" in question
    assert existing.read_bytes() == b"last week's package" and dialogs.infos == []

    dialogs.fillers.append(typed)
    dialogs.confirms.append(True)  # Yes: replaced, and the message names the whole path
    window.transfer_actions.export_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert str(existing) in dialogs.infos[0][1] and existing.read_bytes() != b"last week's package"
    assert not (tmp_path / "clinic-transfer.ddtx").exists()  # nothing in the working folder

    chosen = tmp_path / "chosen.ddtx"
    chosen.write_bytes(b"old")

    def browse(d: ExportDialog) -> bool:
        d.no_encrypt.setChecked(True)
        dialogs.saves.append(str(chosen))  # the save dialog asked about replacing it: not asked again
        [button] = [b for b in d.findChildren(module.QPushButton) if b.text() == "Choose..."]
        button.click()
        return True

    dialogs.fillers.append(browse)
    window.transfer_actions.export_patients()
    qtbot.waitUntil(lambda: len(dialogs.infos) == 2, timeout=30000)
    assert len(dialogs.questions) == 2 and chosen.read_bytes() != b"old"


def test_a_package_name_ending_in_ddtx_in_capitals_is_kept(qtbot, window, dialogs, tmp_path: Path) -> None:
    """A name typed or chosen as "week.DDTX" was written as "week.DDTX.ddtx": the extension is checked in any case,
    as the command line and the backup's ".zip" check it (``domain.text.with_extension``)."""
    add_patient(window, dialogs, "EXP-4", "Capital Letters")
    out = tmp_path / "week.DDTX"

    def fill_export(d: ExportDialog) -> bool:
        d.no_encrypt.setChecked(True)
        d.out.setText(str(out))
        return True

    dialogs.fillers.append(fill_export)
    window.transfer_actions.export_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert out.is_file() and not (tmp_path / "week.DDTX.ddtx").exists()
    assert str(out) in dialogs.infos[0][1]
