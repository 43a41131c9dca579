"""Save PDF and Print for the lesion and patient views (background build, QtPdf for printing)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from dermadesk.services.reports import write_lesion_report, write_patient_summary

if TYPE_CHECKING:
    from dermadesk.ui.main_window import MainWindow


def _run(window: "MainWindow", name: str, build: Callable[[Path, Callable[[float, str], None]], Path],
         out: Path, then: Callable[[Path], None]) -> Any:
    def job(progress: Callable[[float, str], None], cancel: Any) -> Path:
        return build(out, progress)

    return window.c.runner.submit(name, job, then, lambda msg: window.c.dialogs.error("Report failed", msg))


def save_lesion_report(window: "MainWindow", deidentified: bool = False) -> Any:
    c = window.c
    if c.lesion_id is None:
        c.dialogs.error("No lesion selected", "Select a lesion to report on.")
        return None
    path = c.dialogs.save_file("Save lesion report", f"lesion-{c.lesion_id}.pdf", "PDF (*.pdf)")
    if not path:
        return None
    lesion_id = c.lesion_id
    return _run(window, "Writing report",
                lambda out, progress: write_lesion_report(c.register, c.settings, lesion_id, out, deidentified, progress),
                Path(path), lambda p: window.statusBar().showMessage(f"Report saved: {p}", 5000))


def save_patient_summary(window: "MainWindow") -> Any:
    c = window.c
    if c.patient_id is None:
        c.dialogs.error("No patient selected", "Select a patient first.")
        return None
    mrn = c.register.patients.get(c.patient_id).mrn
    path = c.dialogs.save_file("Save patient summary", f"patient-{mrn}.pdf", "PDF (*.pdf)")
    if not path:
        return None
    return _run(window, "Writing summary", lambda out, _p: write_patient_summary(c.register, c.settings, mrn, out),
                Path(path), lambda p: window.statusBar().showMessage(f"Summary saved: {p}", 5000))


def print_pdf(pdf: Path, printer: QPrinter) -> int:
    """Print the PDF's own pages (rendered by QtPdf), so paper and file always match; returns pages printed."""
    doc = QPdfDocument()
    doc.load(str(pdf))
    painter = QPainter(printer)
    try:
        for i in range(doc.pageCount()):
            if i:
                printer.newPage()
            rect = painter.viewport()
            size: QSizeF = doc.pagePointSize(i)
            scale = min(rect.width() / size.width(), rect.height() / size.height())
            image = doc.render(i, (size * scale).toSize())
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
    return doc.pageCount()


def print_lesion_report(window: "MainWindow") -> Any:
    c = window.c
    if c.lesion_id is None:
        c.dialogs.error("No lesion selected", "Select a lesion to print.")
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if not c.dialogs.run_dialog(QPrintDialog(printer, window)):
        return None
    out = Path(tempfile.mkdtemp(prefix="dermadesk-print-")) / "report.pdf"
    lesion_id = c.lesion_id
    return _run(window, "Preparing print",
                lambda o, progress: write_lesion_report(c.register, c.settings, lesion_id, o, False, progress),
                out, lambda p: print_pdf(p, printer))
