"""Save PDF, Print and Print preview for the selected lesion and patient (built in the background; QtPdf prints the
PDF)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, NamedTuple

from PySide6.QtCore import QObject, QRectF, QSizeF, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from dermadesk.files import write_private
from dermadesk.services import register_ops as ops
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.services.reports import clinic_cut, page_points, pseudonym, write_lesion_report, write_patient_summary
from dermadesk.ui.print_preview import PREVIEW_DPI, first_page, keep_upright, open_preview, previewing, report_printer
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task

Build = Callable[[Path, ProgressFn, CancelLike], Path]
PRINT_DPI = 300  # pages go to a printer as pictures at most this fine (at the printer's 1200 dpi: 8 MB a page)
SAVED_MESSAGE_MS = 15000  # "Report saved: <path>" stays long enough to be read


class ReportActions(QObject):
    """File > Save, Print and Print preview of the lesion report and the patient summary; ``saved(message)`` when
    written or printed."""

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

    def report_folder(self) -> Path:
        """Where the save dialog opens: the folder of the last saved report, else the user's Documents (home
        where there is none)."""
        return self.session.last_folder("report")

    def _ask_path(self, title: str, name: str) -> Path | None:
        """The save dialog, opened in ``report_folder()`` on ``name``; the chosen folder is remembered."""
        s = self.session
        path = s.dialogs.save_file(title, str(self.report_folder() / name), "PDF (*.pdf)")
        if not path:
            return None
        s.remember_folder("report", Path(path).parent)
        return Path(path)

    def _mrn(self) -> str | None:
        pid = self.selection.patient_id
        return ops.patient(self.session.register, pid).mrn if pid is not None else None

    def save_lesion_report(self, deidentified: bool = False) -> Task | None:
        s, lesion_id = self.session, self.selection.lesion_id
        if lesion_id is None:
            s.dialogs.info(
                "No lesion selected",
                "Select a patient and a lesion first: pick the patient in the list on the left, then a lesion "
                "in the lesion list (or click the body map to place one).",
            )
            return None
        pid = self.selection.patient_id
        mrn = ops.patient(s.register, pid).mrn if pid is not None else None
        if deidentified:  # the report's pseudonym, not the MRN: each patient's files apart, none tells who
            mrn = pseudonym(s.register, pid) if pid is not None else None
        number = ops.lesion(s.register, lesion_id).number or lesion_id  # the patient's "Lesion 2", not the id
        title = "Save de-identified lesion report" if deidentified else "Save lesion report"
        path = self._ask_path(title, report_file_name(mrn, number, deidentified))
        if not path:
            return None
        return self._run(
            "Writing report",
            lambda out, progress, cancel: write_lesion_report(
                s.register, s.settings, lesion_id, out, deidentified, progress, cancel
            ),
            path,
            lambda p: self.saved.emit(saved_message("Report", p, clinic_cut(s.settings, deidentified))),  # status bar
        )

    def save_patient_summary(self, deidentified: bool = False) -> Task | None:
        s, patient_id = self.session, self.selection.patient_id
        if patient_id is None:
            s.dialogs.info("No patient selected", "Select a patient first: pick one in the list on the left.")
            return None
        mrn = ops.patient(s.register, patient_id).mrn
        title = "Save de-identified patient summary" if deidentified else "Save patient summary"
        shown_as = pseudonym(s.register, patient_id) if deidentified else mrn
        path = self._ask_path(title, summary_file_name(shown_as, deidentified))
        if not path:
            return None
        return self._run(
            "Writing summary",
            lambda out, progress, cancel: write_patient_summary(
                s.register, s.settings, mrn, out, deidentified, progress, cancel
            ),
            path,
            lambda p: self.saved.emit(saved_message("Summary", p, clinic_cut(s.settings, deidentified))),
        )

    def _lesion_print(self) -> PrintJob | None:
        """What Print and Print preview build for the selected lesion (None, with a hint, when there is none)."""
        s, lesion_id = self.session, self.selection.lesion_id
        if lesion_id is None:
            s.dialogs.info(
                "No lesion selected",
                "Select a patient and a lesion first: pick the patient in the list on the left, then a lesion.",
            )
            return None
        lesion, mrn = ops.lesion(s.register, lesion_id), self._mrn()
        return PrintJob(
            f"report – {print_title(lesion.title, mrn)}",  # which patient and lesion is about to be printed
            lambda o, progress, cancel: write_lesion_report(
                s.register, s.settings, lesion_id, o, False, progress, cancel
            ),
            report_file_name(mrn, lesion.number or lesion_id, False),  # as Save names it
        )

    def _summary_print(self) -> PrintJob | None:
        """The patient summary on paper, as Save patient summary writes it (every lesion, its latest result)."""
        s, mrn = self.session, self._mrn()
        if mrn is None:
            s.dialogs.info("No patient selected", "Select a patient first: pick one in the list on the left.")
            return None
        return PrintJob(
            f"patient summary – {mrn}",
            lambda o, progress, cancel: write_patient_summary(s.register, s.settings, mrn, o, False, progress, cancel),
            summary_file_name(mrn, False),
        )

    def print_lesion_report(self) -> Task | None:
        return self._print_built(job) if (job := self._lesion_print()) else None

    def print_patient_summary(self) -> Task | None:
        return self._print_built(job) if (job := self._summary_print()) else None

    def preview_lesion_report(self) -> Task | None:
        """The report built in the background, then shown in the print preview, which prints it."""
        return self._preview_built(job) if (job := self._lesion_print()) else None

    def preview_patient_summary(self) -> Task | None:
        return self._preview_built(job) if (job := self._summary_print()) else None

    def _print_built(self, job: PrintJob) -> Task | None:
        """The print dialog, then the PDF built in the background and printed (``_print``)."""
        printer = job.printer(self.report_folder(), QSizeF(*page_points(self.session.settings)))  # as the PDF will be
        dialog = QPrintDialog(printer, self.session.dialogs.parent)
        dialog.setWindowTitle(f"Print {job.label}")
        if not self.session.dialogs.run_dialog(dialog):
            return None
        return self._run("Preparing print", *in_temp_folder(job.build), lambda p: self._print(p, printer))

    def _preview_built(self, job: PrintJob) -> Task | None:
        """The PDF built in the background, then the print preview of its pages, opened once the task has ended
        (its progress and Cancel gone from the status bar while the preview is open)."""
        runner = self.session.runner
        task = self._run("Preparing print preview", *in_temp_folder(job.build), lambda pdf: None)

        def ended(t: Task) -> None:
            if t is task:
                runner.ended.disconnect(ended)
                if t.outcome == "done":
                    QTimer.singleShot(0, self, lambda: self._preview(t.result, job))

        runner.ended.connect(ended)
        return task

    def _preview(self, pdf: Path, job: PrintJob) -> None:
        """The print preview of the built PDF; printed from it, the status bar says where, as Print does."""
        printer = job.printer(self.report_folder(), first_page(pdf))
        try:
            pages = open_preview(
                self.session.dialogs,
                printer,
                f"Print preview of {job.label}",
                lambda p: print_pdf(pdf, p, PREVIEW_DPI if previewing(p) else PRINT_DPI),
            )
        finally:
            shutil.rmtree(pdf.parent, ignore_errors=True)
        if pages is not None:
            self._printed(printer, pages)

    def _print(self, pdf: Path, printer: QPrinter) -> None:
        """Print the built report, say where it went; a printer or file that fails is a dialog, not silence."""
        try:
            pages = print_pdf(pdf, printer)
        except OSError as exc:
            self.session.dialogs.error("Printing failed", f"The report was not printed: {exc}")
            return
        finally:
            shutil.rmtree(pdf.parent, ignore_errors=True)
        self._printed(printer, pages)

    def _printed(self, printer: QPrinter, pages: int) -> None:
        """The status bar says where it went; printed to a file, its folder is the report folder from now on (the
        next save and print start there)."""
        if (file := to_file(printer)) is not None:
            self.session.remember_folder("report", file.parent)
        self.saved.emit(printed_message(printer, pages))


class PrintJob(NamedTuple):
    """A report to print: ``label`` ("report – Lesion 2, C-1001") names it in dialogs and the print queue; ``build``
    writes its PDF; ``file_name`` is the name Save suggests ("C-1001_lesion-2_2026-11-22.pdf")."""

    label: str
    build: Build
    file_name: str

    def printer(self, folder: Path, page: QSizeF) -> QPrinter:
        """Laid out as the report's ``page`` (points); "Print to File" offers ``folder``/``file_name``."""
        return report_printer(f"DermaDesk {self.label}", page, folder / self.file_name)


def in_temp_folder(build: Build) -> tuple[Build, Path]:
    """``build`` writing into a new temporary folder (removed where the build fails or is cancelled; the caller
    removes it after use), and the PDF's path there."""
    out = Path(tempfile.mkdtemp(prefix="dermadesk-print-")) / "report.pdf"

    def built(o: Path, progress: ProgressFn, cancel: CancelLike) -> Path:
        try:
            return build(o, progress, cancel)
        except BaseException:
            shutil.rmtree(o.parent, ignore_errors=True)
            raise

    return built, out


def saved_message(what: str, path: Path, clinic_cut: str) -> str:
    """The status bar's line once saved, "Report saved: <path>"; where the header left out the clinic line's end (its
    phone number, often), that too and where to shorten it (``services.reports.clinic_cut``)."""
    said = f"{what} saved: {path}"
    return f"{said}. Note: {clinic_cut}; shorten it in Edit > Settings" if clinic_cut else said


def printed_message(printer: QPrinter, pages: int) -> str:
    """The status bar's line once printed: to which file or printer, how many pages."""
    plural = "s" if pages != 1 else ""
    if (where := to_file(printer)) is not None:
        return f"Report printed to {where} ({pages} page{plural})"
    return f"Report sent to {printer.printerName() or 'the printer'} ({pages} page{plural})"


def print_title(lesion_title: str, mrn: str | None) -> str:
    """'Lesion 2, C-1001': what the print dialog and the print queue call the report."""
    return f"{lesion_title}, {mrn}" if mrn else lesion_title


def safe_name(text: str) -> str:
    """``text`` as a file-name part: letters, digits, '-', '_' and '.' kept, anything else '-'."""
    return re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.") or "patient"


def report_file_name(who: str | None, lesion_number: int, deidentified: bool, today: dt.date | None = None) -> str:
    """``C-1001_lesion-2_2026-11-22.pdf`` (``who``: the MRN; the patient's lesion 2); de-identified, ``who`` the
    report's pseudonym: ``Patient-3F2A9C1B_lesion-2_2026_deidentified.pdf`` (no MRN, nor the day: a report made on
    the day of a visit dates it; and not one name for every patient's lesion 2)."""
    day = _day(today, deidentified)
    lead = f"{safe_name(who)}_" if who else ""
    return f"{lead}lesion-{lesion_number}_{day}" + ("_deidentified" if deidentified else "") + ".pdf"


def summary_file_name(who: str, deidentified: bool, today: dt.date | None = None) -> str:
    """``C-1001_summary_2026-11-22.pdf``; de-identified (``who``: the pseudonym):
    ``Patient-3F2A9C1B_summary_2026_deidentified.pdf``."""
    day = _day(today, deidentified)
    return f"{safe_name(who)}_summary_{day}" + ("_deidentified" if deidentified else "") + ".pdf"


def _day(today: dt.date | None, deidentified: bool) -> str:
    """The file name's date: the day, or (de-identified) the year only."""
    day = today or dt.date.today()
    return str(day.year) if deidentified else day.isoformat()


def to_file(printer: QPrinter) -> Path | None:
    """The PDF file the print dialog's "Print to File (PDF)" writes, or None for a real printer."""
    name = printer.outputFileName()
    return Path(name) if name and printer.outputFormat() == QPrinter.OutputFormat.PdfFormat else None


def print_pdf(pdf: Path, printer: QPrinter, dpi: int = PRINT_DPI) -> int:
    """Print the PDF's own pages, so paper and file always match; returns pages printed.

    Printed to a PDF file: the report's own PDF, copied (its text and drawings stay sharp vectors, ~100 KB); to a
    printer: its pages rendered by QtPdf at ``dpi`` (rendered at the printer's 1200 dpi, a one-lesion report
    printed to a file was 12 MB). Raises OSError when the file or printer cannot be written."""
    doc = QPdfDocument()
    doc.load(str(pdf))
    if not previewing(printer) and (target := to_file(printer)) is not None:  # the preview's: pictures on screen
        write_private(target, pdf.read_bytes())  # owner-only, as a saved report: it holds patient data
        return doc.pageCount()
    return paint_pages(doc, printer, dpi)


def paint_pages(doc: QPdfDocument, printer: QPrinter, dpi: int = PRINT_DPI) -> int:
    """Each page as a picture of at most ``dpi``, scaled onto the printer's page (the sheet turned as the page)."""
    if doc.pageCount():
        keep_upright(printer, doc.pagePointSize(0))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"cannot print to {printer.outputFileName() or printer.printerName() or 'the printer'}")
    try:
        for i in range(doc.pageCount()):
            if i:
                printer.newPage()
            rect = painter.viewport()
            size: QSizeF = doc.pagePointSize(i)
            scale = min(rect.width() / size.width(), rect.height() / size.height())  # device pixels a point
            pixels = size * min(scale, min(dpi, printer.resolution()) / 72)
            left = (rect.width() - size.width() * scale) / 2  # an A4 page on Letter paper: in the middle
            target = QRectF(left, 0, size.width() * scale, size.height() * scale)
            painter.drawImage(target, doc.render(i, pixels.toSize()))
    finally:
        painter.end()
    return doc.pageCount()
