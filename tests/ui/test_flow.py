"""The whole desktop flow under pytest-qt (offscreen), on a real register and a real ONNX model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import lesion_jpeg
from tests.ui.helpers import ThreadRecorder, add_patient, click_body, wait_import


def test_full_flow(qtbot, window, dialogs, installed_model: Path, tmp_path: Path) -> None:
    reg = window.session.register
    pid = add_patient(window, dialogs)
    assert reg.patients.get(pid).name == "Ui Tester"
    assert window.patients.model.rowCount() == 1

    # place a lesion on the back of the body map: site follows from the position
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    lesions = reg.lesions.for_patient(pid)
    assert len(lesions) == 1 and lesions[0].site == "posterior torso" and lesions[0].body_view == "back"
    assert window.selection.lesion_id == lesions[0].id
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
    window.c.import_images()
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
    qtbot.waitUntil(lambda: not view.image.overlay.pixmap().isNull(), timeout=10000)  # decoded off the GUI thread
    assert view.opacity.value() == 40 and view.image.overlay.opacity() == pytest.approx(0.4)  # the lesion shows
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
    assert window.statusBar().currentMessage().startswith("Patient UI-1 added: click the body map")
    window.patient_form.birth.setText("12/03/1999")  # 12 March or 3 December?
    window.patient_form.save.click()
    assert "YYYY-MM-DD" in window.patient_form.error.text()
    assert window.session.register.patients.get(pid).birth_date == "1977-03-04"
    window.patient_form.birth.setText("1999-12-31")
    window.patient_form.save.click()
    assert window.session.register.patients.get(pid).birth_date == "1999-12-31"
    mrn = window.session.register.patients.get(pid).mrn
    assert window.statusBar().currentMessage() == f"Patient {mrn} saved (birth date)"  # a save says it saved
    window.patient_form.save.click()  # nothing changed since: said so, not silence
    assert window.statusBar().currentMessage() == "Nothing to save: no field of the patient was changed"
    window.patient_form.skin.setCurrentText("II")
    window.patient_form.save.click()
    window.patient_form.birth.setText("1955-13-01")  # refused: the earlier "saved" no longer stands beside it
    window.patient_form.save.click()
    said = window.statusBar().currentMessage()
    assert said.startswith("Patient not saved: ") and window.patient_form.error.text() in said
    assert window.session.register.patients.get(pid).birth_date == "1999-12-31"


def test_duplicate_mrn_dialog_then_cancel(qtbot, window, dialogs) -> None:
    add_patient(window, dialogs, "DUP")

    def same(d) -> bool:
        d.mrn.setText("DUP")
        d.name.setText("Other")
        return True

    dialogs.fillers.extend([same, lambda d: False])
    window.new_patient()
    assert dialogs.errors and "DUP already exists" in dialogs.errors[0][1]
    assert window.session.register.patients.count() == 1


def test_worker_error_shows_dialog(qtbot, window, dialogs) -> None:
    def job(progress, cancel):
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(window.session.runner.ended, timeout=5000):
        window.session.runner.submit("Test job", job, on_error=lambda m: dialogs.error("Failed", m))
    assert dialogs.errors == [("Failed", "Test job failed: RuntimeError: disk on fire")]


def test_bad_files_reported_in_one_dialog(qtbot, window, dialogs, tmp_path: Path) -> None:
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    bad = tmp_path / "bad.jpg"
    bad.write_text("nope")
    good = tmp_path / "good.jpg"
    good.write_bytes(lesion_jpeg(1))
    window.c.import_paths(window.selection.lesion_id, [str(bad), str(good)], ask=False)
    result = wait_import(qtbot, window)
    assert len(result.captures) == 1
    assert dialogs.warnings and "bad.jpg: not an image file" in dialogs.warnings[0][1] and not dialogs.errors


@pytest.mark.slow
def test_batch_import_cancel_and_import_runs_off_the_gui_thread(qtbot, window, dialogs, installed_model: Path,
                                                                tmp_path: Path, monkeypatch) -> None:
    import dermadesk.services.captures as captures
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(50):
        (folder / f"b{i:02d}.jpg").write_bytes(lesion_jpeg(seed=100 + i, width=600, height=450))
    decodes = ThreadRecorder(monkeypatch, captures, "decode_image")
    window.c.import_paths(window.selection.lesion_id, [str(folder)], ask=False)
    result = wait_import(qtbot, window, timeout=300000)  # 50 imports, each compared: minutes on a busy machine
    assert len(result.captures) == 50
    assert decodes.off_gui_thread and len(decodes.threads) >= 50, "images were decoded on the GUI thread"
    # now cancel a second batch (other images: the same ones again are refused as duplicates) part-way: only
    # whole captures remain
    second = tmp_path / "batch2"
    second.mkdir()
    for i in range(50):
        (second / f"c{i:02d}.jpg").write_bytes(lesion_jpeg(seed=200 + i, width=600, height=450))
    progress_seen: list[str] = []
    task = window.c.import_paths(window.selection.lesion_id, [str(second)], ask=False)
    task.signals.progress.connect(lambda f, m: (progress_seen.append(m),
                                                task.cancel.cancel() if len(progress_seen) == 5 else None))
    result2 = wait_import(qtbot, window, timeout=300000)
    assert result2.cancelled and 0 < len(result2.captures) < 50
    assert any("cancelled" in t.lower() for t, _ in dialogs.infos)
    from dermadesk.storage.check import check_register

    report = check_register(window.session.register)
    assert report.ok
    caps = window.session.register.captures.for_lesion(window.selection.lesion_id)
    assert len(caps) == 50 + len(result2.captures)
    assert all(window.session.register.assessments.latest(c.id) is not None for c in caps)


def test_status_bar_shows_model_and_device(qtbot, window, installed_model: Path) -> None:
    with qtbot.waitSignal(window.models.ready, timeout=20000):
        window.models.warm_up()
    assert "tiny-test" in window.model_label.text()
    # no GPU here: plain "CPU", or, where onnxruntime's CUDA provider is installed, the failed start said out loud
    assert window.device_label.text() in (  # never a bare "CPU": the reason is said (#16)
        "Device: processor (this version has no graphics card support)",
        "Device: processor (graphics card support not installed)",
        "Device: processor (the graphics card could not be started)",
        "Device: processor (no suitable graphics card found)",
    )
    from dermadesk.inference.session import cuda_provider_library, nvidia_driver_present

    failed = cuda_provider_library() is not None and nvidia_driver_present()  # a driver there, CUDA not starting
    assert ("could not be started" in window.device_label.text()) == failed
    assert window.device_label.toolTip().startswith("running on CPU")
    assert window.device_label.toolTip().splitlines()[-1].startswith("CPU (")  # and the technical words (#16)
    assert str(window.session.register.data_dir) in window.data_label.text()


def test_gpu_requested_warning_in_status_bar(qtbot, window, installed_model: Path) -> None:
    window.session.settings.device = "gpu"
    window.models.reset()
    with qtbot.waitSignal(window.models.ready, timeout=20000):
        window.models.warm_up()
    assert "GPU requested but not in use" in window.gpu_warning.text()


def test_keyboard_shortcuts_exist(window) -> None:
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for m in window.menuBar().actions()
                 for a in m.menu().actions() if a.text()}
    assert shortcuts["New patient..."] == "Ctrl+N"
    assert shortcuts["Find patient"] == "Ctrl+F"
    assert shortcuts["Import images..."] == "Ctrl+I"
    assert shortcuts["Print lesion report..."] == "Ctrl+P"  # the platform's Print key (QKeySequence.Print)
    assert shortcuts["Save lesion report as PDF..."] == "Ctrl+Shift+S"
    assert shortcuts["Next capture"] == "Ctrl+Right" and shortcuts["Previous capture"] == "Ctrl+Left"


def test_body_map_sites() -> None:
    from dermadesk.domain.bodymap import site_at

    assert site_at("front", 0.5, 0.05) == "head/neck"
    assert site_at("front", 0.5, 0.3) == "anterior torso"
    assert site_at("back", 0.5, 0.3) == "posterior torso"
    assert site_at("front", 0.34, 0.3) == "lateral torso"
    # the shoulder's edge, above the armpit, is the upper trunk, not the flank (helper 43 got "lateral torso")
    assert site_at("back", 0.34, 0.17) == "posterior torso" and site_at("front", 0.65, 0.2) == "anterior torso"
    assert site_at("back", 0.65, 0.3) == "lateral torso"
    assert site_at("front", 0.2, 0.35) == "upper extremity"
    assert site_at("front", 0.42, 0.7) == "lower extremity"
    assert site_at("front", 0.4, 0.95) == "lower extremity"  # the top of the foot; the heel and sole from behind
    assert site_at("back", 0.4, 0.95) == "palms/soles"
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


def test_body_map_drawings_match_the_click_regions() -> None:
    """resources/bodymap_*.svg are generated from the same shapes that classify clicks."""
    from dermadesk.config import resource_path
    from dermadesk.domain.bodymap import svg

    for view in ("front", "back"):
        assert resource_path(f"bodymap_{view}.svg").read_text(encoding="utf-8") == svg(view)


def test_large_captures_decode_off_the_gui_thread(qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    """24-megapixel captures: they and their thumbnails are decoded in worker threads, never on the GUI thread."""
    import cv2

    import dermadesk.ui.image_loader as image_loader
    from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
    from dermadesk.services.captures import CaptureMeta, import_files
    from dermadesk.ui.timeline import THUMB_SOURCE_SIDE

    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    lesion_id = window.selection.lesion_id
    paths = []
    for i in range(3):
        big = cv2.resize(synthetic_lesion(LesionSpec(seed=70 + i), 600, 400), (6000, 4000))
        paths.append(tmp_path / f"big{i}.jpg")
        paths[-1].write_bytes(jpeg_bytes(big))
    import_files(window.session.register, "test", lesion_id, paths, CaptureMeta(taken_at="2026-01-01"), compare=False)
    decodes = ThreadRecorder(monkeypatch, image_loader, "image_from_file")
    window.show_lesion(lesion_id)  # three thumbnails + the newest capture at full size
    for _ in range(2):
        window.timeline.step(-1)
        qtbot.wait(50)
    qtbot.waitUntil(lambda: not window.images.busy(), timeout=30000)
    qtbot.wait(50)
    assert decodes.off_gui_thread, "a capture image was decoded on the GUI thread"
    view = window.assessment.image
    assert view.base.pixmap().width() == 6000  # the full image arrived for the capture now selected
    assert window.assessment.capture.id == window.timeline.current_capture_id()
    assert all(not window.timeline.item(i).icon().isNull() for i in range(3))
    sha = window.session.register.captures.get(window.timeline.current_capture_id()).image_sha256
    thumb = window.images.cached(sha, THUMB_SOURCE_SIDE)
    assert thumb is not None and max(thumb.width(), thumb.height()) == THUMB_SOURCE_SIDE
