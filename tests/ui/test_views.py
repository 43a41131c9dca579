"""Views beyond the main flow: reports, comparison, drops, EXIF dates, instant search."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import lesion_jpeg
from tests.ui.helpers import ThreadRecorder, add_patient, click_body, wait_import


def test_save_pdf_and_print_same_pages(qtbot, window, dialogs, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from pypdf import PdfReader

    from dermadesk.ui.report_actions import print_pdf

    add_patient(window, dialogs, "PDF-1", "Пётр Report")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    good = tmp_path / "good.jpg"
    good.write_bytes(lesion_jpeg(3))
    window.c.import_paths(window.selection.lesion_id, [str(good)], ask=False)
    wait_import(qtbot, window)
    target = tmp_path / "saved.pdf"
    dialogs.saves.append(str(target))
    window.reports.save_lesion_report()  # other background jobs may end meanwhile: wait for this one's own message
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report saved"), timeout=60000)
    assert target.is_file() and "Пётр Report" in PdfReader(str(target)).pages[0].extract_text()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    pages = print_pdf(target, printer)
    assert pages == len(PdfReader(str(target)).pages) == len(PdfReader(str(printed)).pages)
    summary = tmp_path / "summary.pdf"
    dialogs.saves.append(str(summary))
    window.reports.save_patient_summary()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Summary saved"), timeout=60000)
    assert summary.is_file()


def test_comparison_tab_shows_verdict_modes_and_chart(qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    import dermadesk.analysis.overlays as overlays
    import dermadesk.ui.comparison_parts as comparison_parts
    from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
    from dermadesk.services.captures import CaptureMeta, import_files

    add_patient(window, dialogs, "CMP-1", "Compare View")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    lid = window.selection.lesion_id
    for i, (scale, date) in enumerate([(1.0, "2026-01-01"), (1.3, "2026-03-01")]):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=21, scale=scale))))
        import_files(window.session.register, "u", lid, [f], CaptureMeta(taken_at=date, mm_per_px=0.02))
    window.show_lesion(lid)
    drawn = ThreadRecorder(monkeypatch, comparison_parts, "comparison_layers")  # the pair's pictures
    differences = ThreadRecorder(monkeypatch, overlays, "difference_map")
    stored = len(window.session.register.comparisons.for_lesion(lid))  # the import's comparison of record
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    assert len(window.session.register.comparisons.for_lesion(lid)) == stored == 1  # looking stores nothing
    view = window.comparison
    assert "SIGNIFICANT" in view.verdict_text() and "area grew" in view.verdict_text()
    assert not view.left.base.pixmap().isNull() and not view.right.base.pixmap().isNull()
    view.left.zoom(2.0)
    assert view.right.transform().m11() == pytest.approx(view.left.transform().m11())  # linked zoom
    for mode in ("Blend", "Swipe", "Difference"):
        view.mode.setCurrentText(mode)
        assert not view.single.base.pixmap().isNull()
    view.mode.setCurrentText("Blend")
    view.slider.setValue(30)
    assert view.single.overlay.opacity() == pytest.approx(0.3)
    view.mode.setCurrentText("Swipe")
    for value in (10, 60, 90):
        view.slider.setValue(value)
    assert view.single.split_line.isVisible() and view.single.overlay.offset().x() > 0
    # drawn once for the pair, in the worker: changing the mode or moving the slider draws nothing again
    assert len(drawn.threads) == 1 and drawn.off_gui_thread and differences.off_gui_thread
    series = view.chart.chart().series()
    assert [s.name() for s in series] == ["area (mm²)", "malignant probability (%)"]
    assert series[0].count() == 2


def test_drop_files_onto_a_lesion_imports_there(qtbot, window, dialogs, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    add_patient(window, dialogs, "DROP-1", "Drop Target")
    for y in (0.3, 0.7):
        dialogs.confirms.append(True)
        click_body(qtbot, window, "front", 0.5 if y < 0.5 else 0.42, y)
    lesions = window.session.register.lesions.for_patient(window.selection.patient_id)
    assert len(lesions) == 2
    f = tmp_path / "dropped.jpg"
    f.write_bytes(lesion_jpeg(8))
    lst = window.lesions.list
    target = lst.visualItemRect(lst.item(0)).center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    dialogs.fillers.append(lambda d: True)
    event = QDropEvent(QPointF(target), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    lst.dropEvent(event)
    result = wait_import(qtbot, window)
    assert [c.lesion_id for c in result.captures] == [lesions[0].id]


def test_capture_dialog_takes_the_exif_date(tmp_path: Path) -> None:
    import io

    from PIL import Image

    from dermadesk.analysis.decode import read_taken_at
    from dermadesk.ui.forms import CaptureDialog

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2024:06:30 09:00:00"
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 150, 120)).save(buf, "JPEG", exif=exif)
    f = tmp_path / "exif.jpg"
    f.write_bytes(buf.getvalue())
    assert read_taken_at(f) == "2024-06-30T09:00:00"
    dialog = CaptureDialog([str(f)], {str(f): read_taken_at(f)})
    assert dialog.taken.date().toString("yyyy-MM-dd") == "2024-06-30"
    assert dialog.meta().taken_at == "2024-06-30" and not dialog.meta().exif_first


def test_instant_search_runs_off_the_gui_thread(qtbot, data_dir: Path, dialogs, monkeypatch) -> None:
    import dermadesk.ui.patient_list as patient_list
    from dermadesk.bench.register import fill
    from dermadesk.storage.register import Register
    from dermadesk.ui.app import build_window

    reg = Register(data_dir)
    fill(reg, 30000, lesions_per=0)
    reg.close()
    win = build_window(data_dir, dialogs)
    qtbot.addWidget(win)
    win.show()
    assert win.patients.model.rowCount() == 30000
    searches = ThreadRecorder(monkeypatch, patient_list, "search_read_only")
    qtbot.keyClicks(win.patients.search, "m")  # matches every MRN: the broadest search there is
    qtbot.waitUntil(lambda: win.patients.model.query == "m", timeout=20000)
    win.patients.search.clear()
    qtbot.keyClicks(win.patients.search, "MRN0012345")
    qtbot.waitUntil(lambda: win.patients.model.rowCount() == 1, timeout=20000)
    assert searches.off_gui_thread, "a typed search ran on the GUI thread"
    assert win.patients.model.patient(0).mrn == "MRN0012345"
    win.session.register.close()


def test_selected_thumbnail_keeps_its_colours(qtbot, window, tmp_path: Path) -> None:
    """Qt tints a selected item's icon by default; a capture's colours must not change when it is selected."""
    import numpy as np
    from PySide6.QtGui import QIcon

    from dermadesk.services.captures import CaptureMeta, import_files

    reg = window.session.register
    lesion = reg.lesions.add("t", reg.patients.add("t", "TH-1", "Thumb Colour").id, "head/neck")
    path = tmp_path / "tan.png"
    import cv2

    path.write_bytes(cv2.imencode(".png", np.full((120, 160, 3), (110, 130, 185), np.uint8))[1].tobytes())
    import_files(reg, "t", lesion.id, [path], CaptureMeta(taken_at="2026-01-01"), compare=False)
    window.show_lesion(lesion.id)
    item = window.timeline.item(0)
    qtbot.waitUntil(lambda: not window.images.busy(), timeout=20000)
    qtbot.wait(50)
    assert window.timeline.currentItem() is item
    normal = item.icon().pixmap(48, QIcon.Mode.Normal).toImage()
    selected = item.icon().pixmap(48, QIcon.Mode.Selected).toImage()
    point = (normal.width() // 2, normal.height() // 2)
    assert selected.pixelColor(*point) == normal.pixelColor(*point)
    assert normal.pixelColor(*point).red() == 185


def test_settings_are_saved_and_a_new_device_reloads_the_model(qtbot, window, dialogs, installed_model: Path) -> None:
    from dermadesk.config import Settings

    def choose(dialog) -> bool:
        dialog.clinic.setText("Clinic Nord")
        dialog.device.setCurrentText("cpu")
        return True

    dialogs.fillers.append(choose)
    with qtbot.waitSignal(window.models.ready, timeout=20000):  # another device: the model is loaded again
        window.open_settings()
    assert window.session.settings.clinic_name == "Clinic Nord" and window.session.settings.device == "cpu"
    assert Settings.load(window.session.data_dir).clinic_name == "Clinic Nord"
    started: list[object] = []
    window.session.runner.started.connect(started.append)
    dialogs.fillers.append(lambda dialog: (dialog.clinic.setText("Clinic Süd"), True)[1])
    window.open_settings()  # same model and device: nothing to reload
    assert window.session.settings.clinic_name == "Clinic Süd" and started == []
