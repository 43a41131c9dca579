"""Printing and saving reports: Ctrl+P prints, the save dialog opens in the last folder on a name with MRN and date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from pypdf import PdfReader

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.services.reports import pseudonym
from dermadesk.ui.report_actions import paint_pages
from tests.ui.helpers import add_patient, click_body, wait_import
from tests.ui.test_report_usability import grey, one_lesion, saved_report


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


def test_the_print_dialog_offers_the_save_name_in_the_report_folder(qtbot, window, dialogs, tmp_path: Path) -> None:
    """Its "Print to File" offered "/root/DermaDesk report – Lesion 1, DEMO-0001.pdf" (home, spaces, a dash, a
    comma); now the report folder and the name Save suggests, the sheet A4 portrait as the report's pages."""
    one_lesion(qtbot, window, dialogs, tmp_path)  # PR-1, lesion 1
    folder = tmp_path / "reports"
    folder.mkdir()
    window.session.remember_folder("report", folder)
    offered: list[tuple[str, object, object]] = []

    def accept_as_offered(dialog: QPrintDialog) -> bool:
        layout = dialog.printer().pageLayout()
        offered.append((dialog.printer().outputFileName(), layout.pageSize().id(), layout.orientation()))
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # "Print to File (PDF)", name as offered
        return True

    dialogs.fillers.append(accept_as_offered)
    window.reports.print_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report printed"), timeout=60000)
    today = dt.date.today().isoformat()
    printed = folder / f"PR-1_lesion-1_{today}.pdf"
    assert offered == [(str(printed), QPageSize.PageSizeId.A4, QPageLayout.Orientation.Portrait)]
    assert window.statusBar().currentMessage().startswith(f"Report printed to {printed} (")
    assert "Print Usability" in PdfReader(str(printed)).pages[0].extract_text()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    dialogs.fillers.append(lambda d: (d.printer().setOutputFileName(str(elsewhere / "mine.pdf")), True)[1])
    window.reports.print_patient_summary()  # printed to a file in another folder: that folder from now on
    qtbot.waitUntil(lambda: (elsewhere / "mine.pdf").exists() and not window.session.runner.running, timeout=60000)
    assert window.reports.report_folder() == elsewhere
    assert not dialogs.errors


def test_a_landscape_sheet_picked_in_the_print_dialog_prints_the_page_whole(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    """The report's pages are portrait: a landscape sheet (the print dialog's Properties) printed the page shrunk
    into the sheet's left half. The sheet is turned back: the page prints whole, as on a portrait sheet."""
    one_lesion(qtbot, window, dialogs, tmp_path)
    doc = QPdfDocument()
    doc.load(str(saved_report(qtbot, window, dialogs, tmp_path)))
    caught = {}
    for orientation in (QPageLayout.Orientation.Portrait, QPageLayout.Orientation.Landscape):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # what would go to the printer, caught in a file
        caught[orientation] = tmp_path / f"caught-{orientation.name}.pdf"
        printer.setOutputFileName(str(caught[orientation]))
        printer.setPageOrientation(orientation)
        assert paint_pages(doc, printer) == doc.pageCount()
    box = PdfReader(str(caught[QPageLayout.Orientation.Landscape])).pages[0].mediabox
    assert box.width < box.height  # a portrait sheet
    portrait = grey(caught[QPageLayout.Orientation.Portrait], tmp_path / "portrait")
    landscape = grey(caught[QPageLayout.Orientation.Landscape], tmp_path / "landscape")
    assert portrait.shape == landscape.shape and float(np.abs(portrait - landscape).mean()) < 1
