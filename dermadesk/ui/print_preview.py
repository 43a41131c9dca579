"""File > Print preview: the report's own PDF pages in Qt's print preview, printed from its Print button."""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QPaintEngine
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter

from dermadesk.ui.dialogs import DialogService

PREVIEW_DPI = 150  # pages on screen: sharp at 100 % zoom, 9 MB a page kept in memory (at 300 dpi: 35 MB)
PREVIEW_SHARE = 0.9  # of the screen: a page read on screen wants room (Qt opened it at two thirds)


def open_preview(dialogs: DialogService, printer: QPrinter, title: str, paint: Callable[[QPrinter], int]) -> int | None:
    """Qt's print preview titled ``title``, its pages painted by ``paint`` (which returns the pages it painted and
    raises OSError where the printer or file cannot be written). Returns the pages printed when the user printed
    from it (its Print button, then the print dialog), None when it was closed without printing or the print
    failed (an error dialog says so)."""
    dialog = QPrintPreviewDialog(printer, dialogs.parent)
    dialog.setWindowTitle(title)
    screen = dialog.screen().availableGeometry()
    dialog.resize(int(screen.width() * PREVIEW_SHARE), int(screen.height() * PREVIEW_SHARE))
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


def previewing(printer: QPrinter) -> bool:
    """True while the preview paints its pages (they are recorded as pictures), False when they go to paper or a
    file."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture
