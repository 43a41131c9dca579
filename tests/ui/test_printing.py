"""Printing and saving reports: Ctrl+P prints, the save dialog opens in the last folder on a name with MRN and date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from pypdf import PdfReader

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.services.reports import pseudonym
from tests.ui.helpers import add_patient, click_body, wait_import


def test_print_is_ctrl_p_and_save_is_ctrl_shift_s(window) -> None:
    actions = {a.text().replace("&", ""): a for a in window.menuBar().actions()[0].menu().actions() if a.text()}
    assert actions["Print lesion report..."].shortcut().toString() == "Ctrl+P"
    assert actions["Save lesion report as PDF..."].shortcut().toString() == "Ctrl+Shift+S"


def test_save_dialog_default_name_and_folder(qtbot, window, dialogs, tmp_path: Path) -> None:
    asked: list[str] = []

    def save_file(title: str, suggested: str, filter_: str) -> str | None:
        asked.append(suggested)
        return dialogs.saves.popleft() if dialogs.saves else None

    dialogs.save_file = save_file  # type: ignore[method-assign]
    add_patient(window, dialogs, "C-1001", "Print Tester")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    f = tmp_path / "c.jpg"
    f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=4))))
    window.c.import_paths(window.selection.lesion_id, [str(f)], ask=False)
    wait_import(qtbot, window)
    lid, today = window.selection.lesion_id, dt.date.today().isoformat()
    window.reports.save_lesion_report()  # first time: the Documents folder, or home where there is none
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = Path(docs) if docs and Path(docs).is_dir() else Path.home()
    assert asked[-1] == str(start / f"C-1001_lesion-{lid}_{today}.pdf")
    folder = tmp_path / "reports"
    folder.mkdir()
    dialogs.saves.append(str(folder / "mine.pdf"))
    window.reports.save_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report saved"), timeout=60000)
    text = " ".join(PdfReader(str(folder / "mine.pdf")).pages[0].extract_text().split())
    assert "C-1001" in text and "Print Tester" in text
    assert Settings.load(window.session.data_dir).report_folder == str(folder)  # remembered on disk
    window.reports.save_lesion_report(deidentified=True)  # the next dialog opens there; no MRN when de-identified
    named = pseudonym(window.session.register, window.selection.patient_id)  # the report's own, not the MRN
    assert asked[-1] == str(folder / f"{named}_lesion-{lid}_{dt.date.today().year}_deidentified.pdf")
