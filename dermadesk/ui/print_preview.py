"""File > Print preview: the report's own PDF pages in Qt's print preview, printed from its Print button; and the
printer both Print and the preview start from (the report's page size, upright; "Print to File" in the report
folder, under the name Save suggests)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QSizeF
from PySide6.QtGui import QAction, QPageLayout, QPageSize, QPaintEngine
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter
from PySide6.QtWidgets import QToolBar

from dermadesk.ui.dialogs import DialogService

PREVIEW_DPI = 150  # pages on screen: sharp at 100 % zoom, 9 MB a page kept in memory (at 300 dpi: 35 MB)
PREVIEW_SHARE = 0.9  # of the screen: a page read on screen wants room (Qt opened it at two thirds)
# the preview's buttons that lay the page out anew: the report's pages have their own size and orientation (its
# "Landscape" showed the portrait page shrunk into the left half of a landscape sheet, and printed it so)
LAYOUT_ACTIONS = ("Portrait", "Landscape", "Page setup")


def open_preview(dialogs: DialogService, printer: QPrinter, title: str, paint: Callable[[QPrinter], int]) -> int | None:
    """Qt's print preview titled ``title``, its pages painted by ``paint`` (which returns the pages it painted and
    raises OSError where the printer or file cannot be written), at the page's width (at 150 % "Fit page" showed
    it at 32 %, too small to read), without the buttons that lay the page out anew. Returns the pages printed when
    the user printed from it (its Print button, then the print dialog), None when it was closed without printing
    or the print failed (an error dialog says so)."""
    dialog = QPrintPreviewDialog(printer, dialogs.parent)
    dialog.setWindowTitle(title)
    screen = dialog.screen().availableGeometry()
    dialog.resize(int(screen.width() * PREVIEW_SHARE), int(screen.height() * PREVIEW_SHARE))
    keep_layout(dialog)
    if (fit_width := dialog.findChild(QAction, "fitWidthAction")) is not None:
        fit_width.trigger()  # the preview's own "Fit width" button: checked, and the zoom follows the window's width
    painted: list[int | None] = []  # per paint: the preview's, then the print's (None: it failed)

    def on_paint(target: QPrinter) -> None:
        try:
            painted.append(paint(target))
        except OSError as exc:
            painted.append(None)
            dialogs.error("Printing failed", f"The report was not printed: {exc}")

    dialog.paintRequested.connect(on_paint)
    try:
        printed = dialogs.run_dialog(dialog)  # Print accepts it once the pages went to the printer
    finally:
        dialog.deleteLater()
    return painted[-1] if printed and painted else None


def keep_layout(dialog: QPrintPreviewDialog) -> None:
    """Hide the preview's Portrait, Landscape and Page setup buttons, and a separator they leave doubled."""
    names = {QCoreApplication.translate("QPrintPreviewDialog", name) for name in LAYOUT_ACTIONS}
    for action in dialog.findChildren(QAction):
        if action.text() in names:
            action.setVisible(False)
    for bar in dialog.findChildren(QToolBar):
        shown = [a for a in bar.actions() if a.isVisible()]
        for before, action in zip(shown, shown[1:]):
            if before.isSeparator() and action.isSeparator():
                action.setVisible(False)


def previewing(printer: QPrinter) -> bool:
    """True while the preview paints its pages (they are recorded as pictures), False when they go to paper or a
    file."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def report_printer(doc_name: str, page: QSizeF, file: Path) -> QPrinter:
    """A printer for a report named ``doc_name`` in the print queue, laid out as its pages (``page``: points), whose
    "Print to File (PDF)" offers ``file`` (was "/root/DermaDesk report – Lesion 1, DEMO-0001.pdf"); where there is a
    printer, it stays the print dialog's choice."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc_name)
    native = printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    printer.setOutputFileName(str(file))  # a ".pdf" name makes it the PDF printer, the dialog's choice ...
    if native:  # ... so the printer back, the name kept (Qt carries it over) for the dialog's file field
        printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
    lay_out_as(printer, page)
    return printer


def lay_out_as(printer: QPrinter, page: QSizeF) -> None:
    """The printer's paper and orientation as the report's page (A4 or Letter within 3 points, portrait)."""
    upright = page if page.height() >= page.width() else page.transposed()
    printer.setPageSize(QPageSize(upright, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch))
    keep_upright(printer, page)


def keep_upright(printer: QPrinter, page: QSizeF) -> None:
    """The sheet turned as the report's page is, its paper as chosen: a landscape sheet picked in the print dialog
    prints the portrait page whole on the sheet, as portrait does (it printed it shrunk into the sheet's left
    half)."""
    portrait = page.height() >= page.width()
    turned = QPageLayout.Orientation.Portrait if portrait else QPageLayout.Orientation.Landscape
    if printer.pageLayout().orientation() != turned:
        printer.setPageOrientation(turned)


def first_page(pdf: Path) -> QSizeF:
    """The size in points of the PDF's first page (its pages are one size)."""
    doc = QPdfDocument()
    doc.load(str(pdf))
    return doc.pagePointSize(0)
