"""The whole desktop flow under pytest-qt (offscreen), on a real register and a real ONNX model."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from dermadesk.services.captures import ImportResult
from tests.conftest import lesion_jpeg


def add_patient(window, dialogs, mrn: str = "UI-1", name: str = "Ui Tester") -> int:
    def fill(d) -> bool:
        d.mrn.setText(mrn)
        d.name.setText(name)
        d.birth.setText("1977-03-04")
        d.sex.setCurrentText("male")
        return True

    dialogs.fillers.append(fill)
    window.new_patient()
    return window.c.patient_id


def click_body(qtbot, window, view: str, x: float, y: float) -> None:
    bm = window.lesions.body_map
    pos = bm.to_widget(view, x, y)
    qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=pos.toPoint())


def wait_import(qtbot, window, timeout: int = 30000) -> ImportResult:
    with qtbot.waitSignal(window.c.imported, timeout=timeout) as blocker:
        pass
    return blocker.args[0]


def test_full_flow(qtbot, window, dialogs, installed_model: Path, tmp_path: Path) -> None:
    reg = window.c.register
    pid = add_patient(window, dialogs)
    assert reg.patients.get(pid).name == "Ui Tester"
    assert window.patients.model.rowCount() == 1

    # place a lesion on the back of the body map: site follows from the position
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    lesions = reg.lesions.for_patient(pid)
    assert len(lesions) == 1 and lesions[0].site == "posterior torso" and lesions[0].body_view == "back"
    assert window.c.lesion_id == lesions[0].id
    # the site can be corrected
    window.lesions.site.setCurrentText("lateral torso")
    window.lesions.apply.click()
    assert reg.lesions.get(lesions[0].id).site == "lateral torso"

    # import two captures through the capture dialog (date, modality, scale)
    files = []
    for i in range(2):
        p = tmp_path / f"cap{i}.jpg"
        p.write_bytes(lesion_jpeg(seed=40 + i, scale=1.0 + 0.2 * i))
        files.append(str(p))

    def capture_form(d) -> bool:
        d.use_exif.setChecked(False)
        d.mm_per_px.setValue(0.02)
        return True

    dialogs.files.append(files)
    dialogs.fillers.append(capture_form)
    window.import_images()
    result = wait_import(qtbot, window)
    assert len(result.captures) == 2 and len(result.assessments) == 2 and not dialogs.errors
    assert window.timeline.count() == 2
    assert all(c.mm_per_px == 0.02 for c in result.captures)

    # the assessment view shows probabilities, tier, model and device, and the CAM can be toggled
    view = window.assessment
    a = reg.assessments.latest(window.timeline.current_capture_id())
    assert view.bars.probabilities == a.probabilities and abs(sum(a.probabilities.values()) - 1) < 1e-9
    assert a.risk_tier.upper() in view.tier.text()
    assert "tiny-test 0.0.1" in view.model_label.text() and "CPU" in view.model_label.text()
    assert not view.image.overlay.pixmap().isNull()
    view.cam_toggle.setChecked(False)
    assert not view.image.overlay.isVisible()
    view.cam_toggle.setChecked(True)
    view.opacity.setValue(25)
    assert view.image.overlay.opacity() == pytest.approx(0.25)
    window.timeline.step(-1)
    assert window.timeline.currentRow() == 0

    # notes and decision are saved and audited
    cid = window.timeline.current_capture_id()
    view.decision.setCurrentText("excise")
    view.notes.setPlainText("irregular pigment network")
    view.save.click()
    assert reg.captures.get(cid).decision == "excise"
    audit = reg.audit.entries("capture", cid)[0]
    assert audit.after == {"decision": "excise", "clinician_notes": "irregular pigment network"}

    # delete and restore the patient
    dialogs.confirms.append(True)
    window.delete_patient()
    assert reg.patients.get(pid).deleted_at is not None and window.patients.model.rowCount() == 0
    window.show_deleted.trigger()
    assert window.patients.model.rowCount() == 1
    window.patients.select_patient(pid)
    window.restore_patient()
    assert reg.patients.get(pid).deleted_at is None
    assert [e.action for e in reg.audit.entries("patient", pid)][:2] == ["restore", "delete"]


def test_patient_form_validation_shows_error_and_keeps_data(qtbot, window, dialogs) -> None:
    pid = add_patient(window, dialogs)
    window.patient_form.birth.setText("31/12/1999")
    window.patient_form.save.click()
    assert "YYYY-MM-DD" in window.patient_form.error.text()
    assert window.c.register.patients.get(pid).birth_date == "1977-03-04"
    window.patient_form.birth.setText("1999-12-31")
    window.patient_form.save.click()
    assert window.c.register.patients.get(pid).birth_date == "1999-12-31"


def test_duplicate_mrn_dialog_then_cancel(qtbot, window, dialogs) -> None:
    add_patient(window, dialogs, "DUP")

    def same(d) -> bool:
        d.mrn.setText("DUP")
        d.name.setText("Other")
        return True

    dialogs.fillers.extend([same, lambda d: False])
    window.new_patient()
    assert dialogs.errors and "DUP already exists" in dialogs.errors[0][1]
    assert window.c.register.patients.count() == 1


def test_worker_error_shows_dialog(qtbot, window, dialogs) -> None:
    def job(progress, cancel):
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(window.c.runner.ended, timeout=5000):
        window.c.runner.submit("Test job", job, on_error=lambda m: dialogs.error("Failed", m))
    assert dialogs.errors == [("Failed", "Test job failed: RuntimeError: disk on fire")]


def test_bad_files_reported_in_one_dialog(qtbot, window, dialogs, tmp_path: Path) -> None:
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    bad = tmp_path / "bad.jpg"
    bad.write_text("nope")
    good = tmp_path / "good.jpg"
    good.write_bytes(lesion_jpeg(1))
    window.c.import_paths(window.c.lesion_id, [str(bad), str(good)], ask=False)
    result = wait_import(qtbot, window)
    assert len(result.captures) == 1
    assert dialogs.errors and "bad.jpg: not an image file" in dialogs.errors[0][1]


@pytest.mark.slow
def test_batch_import_cancel_and_event_loop_stays_responsive(qtbot, window, dialogs, installed_model: Path,
                                                              tmp_path: Path) -> None:
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(50):
        (folder / f"b{i:02d}.jpg").write_bytes(lesion_jpeg(seed=100 + i, width=600, height=450))
    window.c.assessor()  # load the model first: measure the import, not the model load
    latencies: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        latencies.append((now - last[0]) * 1000 - 10)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    window.c.import_paths(window.c.lesion_id, [str(folder)], ask=False)
    result = wait_import(qtbot, window, timeout=120000)
    timer.stop()
    assert len(result.captures) == 50
    assert max(latencies) < 100, f"event loop stalled {max(latencies):.0f} ms"
    # now cancel a second batch part-way: only whole captures remain
    progress_seen: list[str] = []
    task = window.c.import_paths(window.c.lesion_id, [str(folder)], ask=False)
    task.signals.progress.connect(lambda f, m: (progress_seen.append(m), task.cancel.cancel() if len(progress_seen) == 5 else None))
    result2 = wait_import(qtbot, window, timeout=120000)
    assert result2.cancelled and 0 < len(result2.captures) < 50
    assert any("cancelled" in t.lower() for t, _ in dialogs.infos)
    from dermadesk.storage.check import check_register

    report = check_register(window.c.register)
    assert report.ok
    caps = window.c.register.captures.for_lesion(window.c.lesion_id)
    assert len(caps) == 50 + len(result2.captures)
    assert all(window.c.register.assessments.latest(c.id) is not None for c in caps)


def test_status_bar_shows_model_and_device(qtbot, window, installed_model: Path) -> None:
    with qtbot.waitSignal(window.c.model_ready, timeout=20000):
        window.c.warm_up_model()
    assert "tiny-test" in window.model_label.text()
    assert window.device_label.text() == "Device: CPU"
    assert str(window.c.register.data_dir) in window.data_label.text()


def test_gpu_requested_warning_in_status_bar(qtbot, window, installed_model: Path) -> None:
    window.c.settings.device = "gpu"
    window.c.reset_model()
    with qtbot.waitSignal(window.c.model_ready, timeout=20000):
        window.c.warm_up_model()
    assert "GPU requested but not in use" in window.gpu_warning.text()


def test_keyboard_shortcuts_exist(window) -> None:
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for m in window.menuBar().actions()
                 for a in m.menu().actions() if a.text()}
    assert shortcuts["New patient..."] == "Ctrl+N"
    assert shortcuts["Find patient"] == "Ctrl+F"
    assert shortcuts["Import images..."] == "Ctrl+I"
    assert shortcuts["Save lesion report (PDF)..."] == "Ctrl+P"
    assert shortcuts["Next capture"] == "Ctrl+Right" and shortcuts["Previous capture"] == "Ctrl+Left"


def test_body_map_sites() -> None:
    from dermadesk.domain.bodymap import site_at

    assert site_at("front", 0.5, 0.05) == "head/neck"
    assert site_at("front", 0.5, 0.3) == "anterior torso"
    assert site_at("back", 0.5, 0.3) == "posterior torso"
    assert site_at("front", 0.34, 0.3) == "lateral torso"
    assert site_at("front", 0.2, 0.35) == "upper extremity"
    assert site_at("front", 0.42, 0.7) == "lower extremity"
    assert site_at("front", 0.4, 0.95) == "palms/soles"
    assert site_at("front", 0.5, 0.5) == "oral/genital"
    assert site_at("front", 0.02, 0.02) is None


def test_patient_list_lazy_with_many_patients(qtbot, data_dir: Path) -> None:
    from dermadesk.bench.register import fill
    from dermadesk.storage.register import Register
    from dermadesk.ui.patient_list import PAGE, PatientListModel

    reg = Register(data_dir)
    fill(reg, 5000, lesions_per=0)
    model = PatientListModel(reg)
    model.set_query("")
    assert model.rowCount() == 5000 and model.cache == {}
    model.data(model.index(2500))
    assert len(model.cache) == PAGE  # only the visible page was fetched
    model.set_query("MRN0004321")
    assert model.rowCount() == 1
    reg.close()


def test_save_pdf_and_print_same_pages(qtbot, window, dialogs, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from pypdf import PdfReader

    from dermadesk.ui.report_actions import print_pdf

    add_patient(window, dialogs, "PDF-1", "Пётр Report")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    good = tmp_path / "good.jpg"
    good.write_bytes(lesion_jpeg(3))
    window.c.import_paths(window.c.lesion_id, [str(good)], ask=False)
    wait_import(qtbot, window)
    target = tmp_path / "saved.pdf"
    dialogs.saves.append(str(target))
    with qtbot.waitSignal(window.c.runner.ended, timeout=30000):
        window.save_report()
    assert target.is_file() and "Пётр Report" in PdfReader(str(target)).pages[0].extract_text()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    pages = print_pdf(target, printer)
    assert pages == len(PdfReader(str(target)).pages) == len(PdfReader(str(printed)).pages)
    summary = tmp_path / "summary.pdf"
    dialogs.saves.append(str(summary))
    with qtbot.waitSignal(window.c.runner.ended, timeout=30000):
        window.save_summary()
    assert summary.is_file()


def test_comparison_tab_shows_verdict_modes_and_chart(qtbot, window, dialogs, tmp_path: Path) -> None:
    from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
    from dermadesk.services.captures import CaptureMeta, import_files

    add_patient(window, dialogs, "CMP-1", "Compare View")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    lid = window.c.lesion_id
    for i, (scale, date) in enumerate([(1.0, "2026-01-01"), (1.3, "2026-03-01")]):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=21, scale=scale))))
        import_files(window.c.register, "u", lid, [f], CaptureMeta(taken_at=date, mm_per_px=0.02))
    window.show_lesion(lid)
    with qtbot.waitSignal(window.c.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    view = window.comparison
    assert "SIGNIFICANT" in view.verdict.text() and "area grew" in view.verdict.text()
    assert not view.left.base.pixmap().isNull() and not view.right.base.pixmap().isNull()
    view.left.zoom(2.0)
    assert view.right.transform().m11() == pytest.approx(view.left.transform().m11())  # linked zoom
    for mode in ("Blend", "Swipe", "Difference"):
        view.mode.setCurrentText(mode)
        assert not view.single.base.pixmap().isNull()
    view.mode.setCurrentText("Blend")
    view.slider.setValue(30)
    assert view.single.overlay.opacity() == pytest.approx(0.3)
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
    lesions = window.c.register.lesions.for_patient(window.c.patient_id)
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
    dialog = CaptureDialog([str(f)], read_taken_at(f))
    assert dialog.taken.date().toString("yyyy-MM-dd") == "2024-06-30"
    dialog.use_exif.setChecked(False)
    assert dialog.meta().taken_at == "2024-06-30"


def test_instant_search_runs_off_the_gui_thread(qtbot, data_dir: Path, dialogs) -> None:
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
    latencies: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        latencies.append((now - last[0]) * 1000 - 5)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.keyClicks(win.patients.search, "m")  # matches every MRN: the broadest search there is
    qtbot.waitUntil(lambda: win.patients.model.query == "m", timeout=20000)
    win.patients.search.clear()
    qtbot.keyClicks(win.patients.search, "MRN0012345")
    qtbot.waitUntil(lambda: win.patients.model.rowCount() == 1, timeout=20000)
    timer.stop()
    assert max(latencies) < 100, f"GUI stalled {max(latencies):.0f} ms"
    assert win.patients.model.patient(0).mrn == "MRN0012345"
    win.c.register.close()
