"""File > Print preview of lesion report / patient summary: a clinic user printed a 3-page report to see what it
looked like. The preview shows the report's own pages (built in the background, as Print builds them) and prints
them from its Print button, as Print does."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from pypdf import PdfReader

import dermadesk.ui.report_actions as report_actions
from dermadesk.ui.print_preview import PREVIEW_DPI, previewing
from tests.ui.helpers import ThreadRecorder, add_patient
from tests.ui.test_report_usability import one_lesion, saved_report


def file_action(window, text: str):
    [action] = [a for a in window.menuBar().actions()[0].menu().actions() if a.text() == text]
    return action


class Preview:
    """Answers the print preview: notes what it showed, then prints to ``target`` (a PDF file, as the print
    dialog's "Print to File (PDF)" sets the printer) or, without one, closes it."""

    def __init__(self, window, target: Path | None) -> None:
        self.window, self.target = window, target
        self.title, self.pages, self.busy, self.fits = "", -1, ["not opened"], False
        self.thread: threading.Thread | None = None

    def __call__(self, dialog: QPrintPreviewDialog) -> bool:
        assert isinstance(dialog, QPrintPreviewDialog)
        self.title, self.thread = dialog.windowTitle(), threading.current_thread()
        self.busy = [t.name for t in self.window.session.runner.running]  # the build's progress and Cancel in sight
        free = dialog.screen().availableGeometry()
        self.fits = dialog.width() <= free.width() and dialog.height() <= free.height()
        widget = dialog.findChild(QPrintPreviewWidget)
        widget.updatePreview()  # what showing it does: the pages painted into the preview
        self.pages = widget.pageCount()
        if self.target is None:
            return False  # closed without printing
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(self.target))
        widget.print()  # what its Print button does once the print dialog is accepted
        return True


def test_the_preview_shows_the_built_report_and_prints_it(qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)  # patient PR-1 "Print Usability", lesion 1 with a capture
    report = saved_report(qtbot, window, dialogs, tmp_path)
    built = ThreadRecorder(monkeypatch, report_actions, "write_lesion_report")
    painted_at: list[int] = []
    paint_pages = report_actions.paint_pages
    monkeypatch.setattr(
        report_actions, "paint_pages", lambda d, p, dpi: (painted_at.append(dpi), paint_pages(d, p, dpi))[1]
    )
    printed = tmp_path / "printed.pdf"
    preview = Preview(window, printed)
    dialogs.fillers.append(preview)
    file_action(window, "Print pre&view of lesion report...").trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report printed"), timeout=60000)
    pages = len(PdfReader(str(report)).pages)
    assert built.off_gui_thread and preview.thread is threading.main_thread()  # built in the background first
    assert not preview.busy and preview.fits
    assert preview.title == "Print preview of report – Lesion 1, PR-1"
    assert preview.pages == pages == len(PdfReader(str(printed)).pages)  # the preview shows the report's pages
    assert painted_at == [PREVIEW_DPI]  # on screen 150 dpi pictures (35 MB a page at 300); the file is the PDF
    assert not previewing(QPrinter())  # paper gets the pages at Print's 300 dpi
    assert window.statusBar().currentMessage() == f"Report printed to {printed} ({pages} page{'s' * (pages > 1)})"
    assert "Print Usability" in PdfReader(str(printed)).pages[0].extract_text()  # the report's own PDF, as Print
    assert stat.S_IMODE(printed.stat().st_mode) == 0o600  # patient data: owner-only, as Print writes it
    assert not dialogs.errors


def test_the_patient_summary_has_a_preview_too_and_closing_it_prints_nothing(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch
) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    summary = tmp_path / "summary.pdf"
    dialogs.saves.append(str(summary))
    window.reports.save_patient_summary()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Summary saved"), timeout=60000)
    built = ThreadRecorder(monkeypatch, report_actions, "write_patient_summary")
    shown: list[Path] = []
    original = report_actions.print_pdf
    monkeypatch.setattr(report_actions, "print_pdf", lambda pdf, *a: (shown.append(pdf), original(pdf, *a))[1])
    preview = Preview(window, None)
    dialogs.fillers.append(preview)
    file_action(window, "Print preview of patient su&mmary...").trigger()
    qtbot.waitUntil(lambda: not dialogs.fillers and not window.session.runner.running, timeout=60000)
    assert built.off_gui_thread and not preview.busy
    assert preview.title == "Print preview of patient summary – PR-1"
    assert preview.pages == len(PdfReader(str(summary)).pages)
    assert shown and not shown[0].parent.exists()  # the built PDF is removed once the preview is closed
    assert not window.statusBar().currentMessage().startswith("Report printed") and not dialogs.errors


def test_without_a_selection_the_previews_say_what_to_select_first(qtbot, window, dialogs) -> None:
    """As their Print entries: a hint, no build, no preview."""
    file_action(window, "Print preview of patient su&mmary...").trigger()
    file_action(window, "Print pre&view of lesion report...").trigger()
    add_patient(window, dialogs, mrn="PV-1")  # a patient, no lesion yet
    file_action(window, "Print pre&view of lesion report...").trigger()
    assert [t for t, _ in dialogs.infos] == ["No patient selected", "No lesion selected", "No lesion selected"]
    assert not window.session.runner.running and not dialogs.errors


def test_a_print_from_the_preview_that_fails_is_a_dialog(qtbot, window, dialogs, tmp_path: Path) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    dialogs.fillers.append(Preview(window, tmp_path / "no such folder" / "printed.pdf"))
    file_action(window, "Print pre&view of lesion report...").trigger()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=60000)
    title, message = dialogs.errors[-1]
    assert title == "Printing failed" and "no such folder" in message
    assert not window.statusBar().currentMessage().startswith("Report printed")
