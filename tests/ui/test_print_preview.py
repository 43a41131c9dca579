"""File > Print preview of lesion report / patient summary: a clinic user printed a 3-page report to see what it
looked like. The preview shows the report's own pages (built in the background, as Print builds them) and prints
them from its Print button, as Print does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import stat
import threading
from pathlib import Path

from PySide6.QtGui import QAction, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QToolBar
from pypdf import PdfReader

import dermadesk.ui.report_actions as report_actions
from dermadesk.ui.print_preview import PREVIEW_DPI, previewing
from tests.ui.helpers import ThreadRecorder, add_patient
from tests.ui.test_report_usability import one_lesion, print_to, saved_report


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
    file_action(window, "Print previe&w of patient summary...").trigger()
    qtbot.waitUntil(lambda: not dialogs.fillers and not window.session.runner.running, timeout=60000)
    assert built.off_gui_thread and not preview.busy
    assert preview.title == "Print preview of patient summary – PR-1"
    assert preview.pages == len(PdfReader(str(summary)).pages)
    assert shown and not shown[0].parent.exists()  # the built PDF is removed once the preview is closed
    assert not window.statusBar().currentMessage().startswith("Report printed") and not dialogs.errors


def test_without_a_selection_the_previews_say_what_to_select_first(qtbot, window, dialogs) -> None:
    """As their Print entries: a hint, no build, no preview."""
    file_action(window, "Print previe&w of patient summary...").trigger()
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


class Looked:
    """Answers the print preview as a user looks at it at first: its zoom, the buttons in its toolbar, the printer's
    layout and "Print to File" name; then closes it."""

    def __call__(self, dialog: QPrintPreviewDialog) -> bool:
        dialog.show()
        widget = dialog.findChild(QPrintPreviewWidget)
        widget.updatePreview()
        self.zoom, self.pages = widget.zoomMode(), widget.pageCount()
        self.buttons = [a.text() for a in dialog.findChild(QToolBar).actions() if a.isVisible() and a.text()]
        self.checked = [a.text() for a in dialog.findChildren(QAction) if a.isChecked() and a.isVisible()]
        layout = dialog.printer().pageLayout()
        self.paper, self.orientation = layout.pageSize().id(), layout.orientation()
        self.file = dialog.printer().outputFileName()
        dialog.hide()
        return False


def test_the_preview_keeps_the_reports_page_opens_at_its_width_and_offers_the_save_name(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    """At 150 % its "Landscape" showed the portrait page shrunk into half a landscape sheet (and printed it so), it
    opened at "Fit page" (32 %, too small to read), and "Print to File" offered
    "/root/DermaDesk report – Lesion 1, DEMO-0001.pdf"."""
    one_lesion(qtbot, window, dialogs, tmp_path)
    s = window.session
    s.save_settings(dataclasses.replace(s.settings, paper_size="Letter"))  # the report's pages: US Letter
    folder = tmp_path / "reports"
    folder.mkdir()
    s.remember_folder("report", folder)
    looked = Looked()
    dialogs.fillers.append(looked)
    file_action(window, "Print pre&view of lesion report...").trigger()
    qtbot.waitUntil(lambda: not dialogs.fillers and not s.runner.running, timeout=60000)
    assert looked.pages >= 1
    assert not {"Portrait", "Landscape", "Page setup"} & set(looked.buttons)
    assert {"Fit width", "Fit page", "Print"} <= set(looked.buttons)
    assert looked.zoom == QPrintPreviewWidget.ZoomMode.FitToWidth and "Fit width" in looked.checked
    assert (looked.paper, looked.orientation) == (QPageSize.PageSizeId.Letter, QPageLayout.Orientation.Portrait)
    today = dt.date.today().isoformat()
    assert looked.file == str(folder / f"PR-1_lesion-1_{today}.pdf")  # the name Save suggests, in its folder
    assert not list(folder.iterdir())  # nothing written by looking
    assert not dialogs.errors


def test_the_summary_preview_is_a4_portrait_as_its_pdf(qtbot, window, dialogs, tmp_path: Path) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    looked = Looked()
    dialogs.fillers.append(looked)
    file_action(window, "Print previe&w of patient summary...").trigger()
    qtbot.waitUntil(lambda: not dialogs.fillers and not window.session.runner.running, timeout=60000)
    assert (looked.paper, looked.orientation) == (QPageSize.PageSizeId.A4, QPageLayout.Orientation.Portrait)
    start = window.reports.report_folder()
    assert looked.file == str(start / f"PR-1_summary_{dt.date.today().isoformat()}.pdf")
    assert not dialogs.errors


def test_what_the_bar_says_stays_readable_while_a_report_is_prepared_at_150_percent(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch
) -> None:
    """1280x720 at 150 % (853x480): with the build's progress and Cancel in sight, the demo's "Preparing the demo
    register: done" was cut to "Preparing the (". The message is whole, the task's name whole in its bar, the
    operator field narrowed with its whole text in the tooltip."""
    one_lesion(qtbot, window, dialogs, tmp_path)
    window.resize(853, 480)
    qtbot.waitUntil(lambda: window.width() == 853)
    bar, go = window.statusBar(), threading.Event()
    for name in ("write_lesion_report", "write_patient_summary"):
        real = getattr(report_actions, name)
        monkeypatch.setattr(report_actions, name, lambda *a, real=real: (go.wait(60), real(*a))[1])
    dialogs.saves.append(str(tmp_path / "saved.pdf"))
    dialogs.fillers.extend([Preview(window, None), print_to(tmp_path / "printed.pdf")])
    starts = {
        "Preparing print preview": lambda: file_action(window, "Print pre&view of lesion report...").trigger(),
        "Writing report": window.reports.save_lesion_report,
        "Preparing print": window.reports.print_patient_summary,
    }
    message = "Preparing the demo register: done"
    fields = (window.operator_label, window.model_label, window.device_label, window.progress)
    for task, start in starts.items():
        go.clear()
        bar.showMessage(message, 60000)
        start()
        qtbot.waitUntil(lambda: window.progress.isVisible() and window.cancel_btn.isVisible())
        qtbot.waitUntil(lambda: min(w.x() for w in fields) >= bar.fontMetrics().horizontalAdvance(message))
        assert window.progress.format() == task and window.progress.toolTip() == task  # whole, not elided
        assert window.cancel_btn.geometry().right() <= bar.width()
        assert window.operator_label.toolTip().startswith("Operator: not set (")  # the whole text at hand
        go.set()
        qtbot.waitUntil(lambda: not window.session.runner.running and not dialogs.errors, timeout=60000)
    qtbot.waitUntil(lambda: not dialogs.fillers, timeout=60000)
    bar.clearMessage()  # nothing said: the operator field's short form whole again
    qtbot.waitUntil(lambda: window.operator_label.width() >= window.operator_label.sizeHint().width())
    assert not dialogs.errors
