"""Saving and printing a report, as a new user found it: the status bar says where the PDF went, a print to a
PDF file is the report's own small PDF (it was 12 MB of 1200 dpi pictures), printer pages are 300 dpi pictures
that look the same, and a file that cannot be written is a clear dialog."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from pypdf import PdfReader

from dermadesk.ui.report_actions import paint_pages
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, click_body, wait_import


def one_lesion(qtbot, window, dialogs, tmp_path: Path) -> None:
    add_patient(window, dialogs, "PR-1", "Print Usability")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    good = tmp_path / "good.jpg"
    good.write_bytes(lesion_jpeg(3))
    window.c.import_paths(window.selection.lesion_id, [str(good)], ask=False)
    wait_import(qtbot, window)


def saved_report(qtbot, window, dialogs, tmp_path: Path) -> Path:
    target = tmp_path / "saved.pdf"
    dialogs.saves.append(str(target))
    window.reports.save_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report saved"), timeout=60000)
    return target


def print_to(path: Path):
    def fill(dialog: QPrintDialog) -> bool:  # the print dialog's "Print to File (PDF)"
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(path))
        return True

    return fill


def grey(pdf: Path, out: Path) -> np.ndarray:
    subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-gray", "-png", str(pdf), str(out)], check=True)
    (png,) = out.parent.glob(out.name + "*.png")
    return np.asarray(Image.open(png).convert("L"), dtype=np.float32)


def test_save_as_pdf_says_where_and_the_message_stays(qtbot, window, dialogs, tmp_path: Path) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    target = saved_report(qtbot, window, dialogs, tmp_path)
    assert window.statusBar().currentMessage() == f"Report saved: {target}"
    qtbot.wait(6000)  # read after a glance elsewhere: still there (it went after 5 s)
    assert window.statusBar().currentMessage() == f"Report saved: {target}"
    (tmp_path / "a file").write_text("not a folder")
    dialogs.saves.append(str(tmp_path / "a file" / "r.pdf"))
    window.reports.save_lesion_report()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=60000)
    assert dialogs.errors[-1][0] == "Report failed"  # an error stays a dialog
    qtbot.waitUntil(lambda: not window.session.runner.running)
    assert not window.statusBar().currentMessage().startswith("Report saved")


def test_print_to_a_pdf_file_is_the_small_report_and_says_where(qtbot, window, dialogs, tmp_path: Path) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    report = saved_report(qtbot, window, dialogs, tmp_path)
    printed = tmp_path / "printed.pdf"
    dialogs.fillers.append(print_to(printed))
    window.reports.print_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report printed"), timeout=60000)
    pages = len(PdfReader(str(printed)).pages)
    assert window.statusBar().currentMessage() == f"Report printed to {printed} ({pages} page{'s' * (pages > 1)})"
    assert printed.stat().st_size < 1_000_000  # it was 12 MB
    assert pages == len(PdfReader(str(report)).pages)
    assert "Print Usability" in PdfReader(str(printed)).pages[0].extract_text()  # text, not a picture of it
    assert not dialogs.errors


def test_the_patient_summary_prints_too(qtbot, window, dialogs, tmp_path: Path) -> None:
    """File > Print patient summary...: the summary's own pages, as Save patient summary writes them."""
    one_lesion(qtbot, window, dialogs, tmp_path)
    printed, titles = tmp_path / "summary-printed.pdf", []
    dialogs.fillers.append(lambda d: (titles.append(d.windowTitle()), print_to(printed)(d))[1])
    menu = window.menuBar().actions()[0].menu()
    (action,) = [a for a in menu.actions() if a.text() == "Print patient s&ummary..."]
    action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report printed"), timeout=60000)
    assert titles == ["Print patient summary – PR-1"]
    text = "".join(page.extract_text() for page in PdfReader(str(printed)).pages)
    assert "Patient summary" in text and "Print Usability" in text and "Lesion 1" in text
    assert not dialogs.errors


def test_printer_pages_are_300_dpi_pictures_that_look_the_same(qtbot, window, dialogs, tmp_path: Path) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    report = saved_report(qtbot, window, dialogs, tmp_path)
    doc = QPdfDocument()
    doc.load(str(report))
    caught = {}
    for dpi in (1200, 300):  # 1200: as the pages went to a printer before (12 MB as a file); 300: now
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # a 1200 dpi printer
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # what would go to it, caught in a file
        caught[dpi] = tmp_path / f"caught-{dpi}.pdf"
        printer.setOutputFileName(str(caught[dpi]))
        assert paint_pages(doc, printer, dpi) == doc.pageCount()
    assert paint_pages.__defaults__ == (300,)  # what Print uses
    pages = doc.pageCount()
    assert caught[300].stat().st_size < 2_000_000 * pages < caught[1200].stat().st_size
    before, now = grey(caught[1200], tmp_path / "before"), grey(caught[300], tmp_path / "now")
    assert before.shape == now.shape
    assert float(np.abs(before - now).mean()) < 3  # the same page; only the letters' edges differ a little


def test_a_print_file_that_cannot_be_written_is_a_dialog(qtbot, window, dialogs, tmp_path: Path) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    dialogs.fillers.append(print_to(tmp_path / "no such folder" / "printed.pdf"))
    window.reports.print_lesion_report()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=60000)
    title, message = dialogs.errors[-1]
    assert title == "Printing failed" and "no such folder" in message
    assert not window.statusBar().currentMessage().startswith("Report printed")
