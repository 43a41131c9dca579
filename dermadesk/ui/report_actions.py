"""Save PDF and Print for the selected lesion and patient (built in the background; QtPdf prints the PDF)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QSizeF, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from dermadesk.services import register_ops as ops
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.services.reports import write_lesion_report, write_patient_summary
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task

Build = Callable[[Path, ProgressFn, CancelLike], Path]


class ReportActions(QObject):
    """File > Save lesion report, Save patient summary, Print lesion report; ``saved(message)`` when written."""

    saved = Signal(str)

    def __init__(self, session: Session, selection: Selection) -> None:
        super().__init__()
        self.session, self.selection = session, selection

    def _run(self, name: str, build: Build, out: Path, then: Callable[[Path], None]) -> Task:
        dialogs = self.session.dialogs
        return self.session.runner.submit(
            name,
            lambda progress, cancel: build(out, progress, cancel),
            then,
            lambda msg: dialogs.error("Report failed", msg),
            lambda: dialogs.info(f"{name}: cancelled", f"{name} cancelled: no file was written."),
        )

    def save_lesion_report(self, deidentified: bool = False) -> Task | None:
        s, lesion_id = self.session, self.selection.lesion_id
        if lesion_id is None:
            s.dialogs.error("No lesion selected", "Select a lesion to report on.")
            return None
        path = s.dialogs.save_file("Save lesion report", f"lesion-{lesion_id}.pdf", "PDF (*.pdf)")
        if not path:
            return None
        return self._run(
            "Writing report",
            lambda out, progress, cancel: write_lesion_report(
                s.register, s.settings, lesion_id, out, deidentified, progress, cancel
            ),
            Path(path),
            lambda p: self.saved.emit(f"Report saved: {p}"),
        )

    def save_patient_summary(self) -> Task | None:
        s, patient_id = self.session, self.selection.patient_id
        if patient_id is None:
            s.dialogs.error("No patient selected", "Select a patient first.")
            return None
        mrn = ops.patient(s.register, patient_id).mrn
        path = s.dialogs.save_file("Save patient summary", f"patient-{mrn}.pdf", "PDF (*.pdf)")
        if not path:
            return None
        return self._run(
            "Writing summary",
            lambda out, progress, cancel: write_patient_summary(
                s.register, s.settings, mrn, out, progress=progress, cancel=cancel
            ),
            Path(path),
            lambda p: self.saved.emit(f"Summary saved: {p}"),
        )

    def print_lesion_report(self) -> Task | None:
        s, lesion_id = self.session, self.selection.lesion_id
        if lesion_id is None:
            s.dialogs.error("No lesion selected", "Select a lesion to print.")
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if not s.dialogs.run_dialog(QPrintDialog(printer, s.dialogs.parent)):
            return None
        out = Path(tempfile.mkdtemp(prefix="dermadesk-print-")) / "report.pdf"
        return self._run(
            "Preparing print",
            lambda o, progress, cancel: write_lesion_report(
                s.register, s.settings, lesion_id, o, False, progress, cancel
            ),
            out,
            lambda p: print_pdf(p, printer),
        )


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
