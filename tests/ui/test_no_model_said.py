"""A damaged model (the user's installed default, its .onnx no longer matching its manifest): the app said only
"Loading model: failed" and "Model: NOT AVAILABLE", the reason and what to do in a tooltip; a capture imported
meanwhile read "Not assessed yet." beside a heat-map checkbox and colour key. Now the app says once, in a notice that
waits for no answer, that assessments are off and why; the assessment panel says why for such a capture, in the
tooltip's words, with no heat-map tools, key or probability bars; and once the model is reinstalled, Patient >
Assess unassessed captures assesses every capture of the patient that has none, on a worker thread, without a
restart. Real window, real register, the tiny ONNX model."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

import dermadesk.services.assessment as assessment
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.assess_all import MENU_TEXT, OFF_TITLE
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.not_assessed import ASSESS_ALL, NO_MODEL, sentence
from dermadesk.ui.status_fields import NOT_AVAILABLE
from tests.conftest import lesion_jpeg
from tests.ui.helpers import ThreadRecorder, settled


def damage(manifest: Path) -> tuple[Path, bytes]:
    """The installed model's .onnx with its last byte changed; (its path, its good bytes)."""
    onnx = manifest.parent / json.loads(manifest.read_text())["onnx_file"]
    good = onnx.read_bytes()
    onnx.write_bytes(good[:-1] + bytes([good[-1] ^ 0xFF]))
    return onnx, good


def patient_with_unassessed(window, tmp_path: Path) -> tuple[int, list[int]]:
    """A patient with two lesions and three captures imported with no model (as the app does when none can be
    used); the first lesion's latest capture shown. Returns (patient id, capture ids)."""
    reg = window.session.register
    pid = reg.patients.add("t", "NOMODEL-1", "Nomo Del", "1960-01-01", "female", "II").id
    ids = []
    for n, (site, days) in enumerate((("anterior torso", ("2026-01-10", "2026-03-10")), ("back", ("2026-02-01",)))):
        lesion = reg.lesions.add("t", pid, "posterior torso" if site == "back" else site, f"spot {n}")
        for k, day in enumerate(days):
            image = tmp_path / f"l{n}-{k}.jpg"
            image.write_bytes(lesion_jpeg(seed=3 + n, scale=1.0 + 0.1 * k))
            done = import_files(reg, "t", lesion.id, [image], CaptureMeta(taken_at=day), compare=False)
            ids.append(done.captures[0].id)
    window.refresh(pid)
    return pid, ids


def failed_to_load(qtbot, window) -> str:
    """The model loaded as the app does at start, and refused: the status bar field's reason."""
    window.models.reset()
    window.models.warm_up()
    qtbot.waitUntil(lambda: window.model_label.text().startswith(f"{NOT_AVAILABLE} ("), timeout=30000)
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=30000)
    return window.model_label.text()[len(NOT_AVAILABLE) + 2 : -1]


def patient_action(window) -> QAction:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Patient")
    return next(a for a in menu.actions() if a.text() == MENU_TEXT)


def test_a_damaged_model_is_said_once_and_in_the_panel_of_a_capture_not_assessed(
    qtbot, window, dialogs, installed_model: Path, tmp_path: Path
) -> None:
    damage(installed_model)
    patient_with_unassessed(window, tmp_path)
    view = window.assessment
    assert view.capture is not None and view._assessment is None
    assert view.tier.text() == "Not assessed yet."  # no model tried yet: how to assess it
    assert ASSESS_ALL in view.tier_detail.text()
    why = failed_to_load(qtbot, window)
    assert "does not match the sha256" in why and "dermadesk models --install" in why
    [(title, message)] = dialogs.notices  # non-modal: the window stays in use
    assert title == OFF_TITLE and sentence(why) in message and "Patient > Assess unassessed captures" in message
    assert NO_MODEL in view.tier.text()
    detail = unescape(view.tier_detail.text())
    assert sentence(why) in detail  # the status bar tooltip's words: why, and what to do
    assert f"{ASSESS_ALL} assesses this patient's captures" in detail
    # nothing of a heat map or probabilities where there is none; the image stays (and Fit, with the words beside it)
    assert not view.heat_tools.isVisible() and not view.heat_key.isVisible() and not view.bars.isVisible()
    assert not view.cam_toggle.isVisible() and view.image.isVisible() and view.fit_btn.isVisible() != view.below
    window.resize(853, 480)  # 1280x720 at 150 %: the words below the image and the review, across the panel
    settled(qtbot, window)
    qtbot.waitUntil(lambda: view.below)
    assert view.tier_detail.width() >= 45 * view.tier_detail.fontMetrics().averageCharWidth()
    window.timeline.step(-1)  # another capture not assessed: said there too
    assert NO_MODEL in view.tier.text() and sentence(why) in unescape(view.tier_detail.text())
    failed_to_load(qtbot, window)  # the same refusal again (Settings saved): not a second notice
    assert len(dialogs.notices) == 1 and not dialogs.errors


def test_with_the_model_still_damaged_assessing_says_why_and_stores_nothing(
    qtbot, window, dialogs, installed_model: Path, tmp_path: Path
) -> None:
    damage(installed_model)
    _, ids = patient_with_unassessed(window, tmp_path)
    why = failed_to_load(qtbot, window)
    patient_action(window).trigger()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=30000)
    [(title, message)] = dialogs.errors
    assert title == OFF_TITLE and message == sentence(why)
    assert all(window.session.register.assessments.latest(i) is None for i in ids)


def test_once_reinstalled_the_patients_unassessed_captures_are_assessed_on_a_worker(
    qtbot, window, dialogs, installed_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    onnx, good = damage(installed_model)
    pid, ids = patient_with_unassessed(window, tmp_path)
    failed_to_load(qtbot, window)
    onnx.write_bytes(good)  # reinstalled by whoever looks after the computer; the app keeps running
    threads = ThreadRecorder(monkeypatch, assessment, "assess_capture")
    started: list = []
    window.session.runner.started.connect(started.append)
    patient_action(window).trigger()
    qtbot.waitUntil(lambda: bool(started) and not window.session.runner.running, timeout=120000)
    [task] = started
    assert task.outcome == "done" and task.title == "Assessing 3 captures of NOMODEL-1"
    assert any(m.startswith("capture 3 of 3 (Lesion 2, 1 Feb 2026)") for m in task.messages)
    assert threads.off_gui_thread and len(threads.threads) == 3  # each assessed on the worker, never the GUI thread
    reg = window.session.register
    assert all(reg.assessments.latest(i) is not None for i in ids)
    assert window.model_label.text() == "Model: tiny-test 0.0.1"  # the status bar names the model again
    view = window.assessment
    assert view.model_problem == "" and view._assessment is not None and "Not assessed" not in view.tier.text()
    assert view.heat_tools.isVisible() and view.bars.isVisible()
    assert not any("not assessed" in window.timeline.item(i).text() for i in range(window.timeline.count()))
    assert window.selection.patient_id == pid and not dialogs.errors and not dialogs.warnings
    patient_action(window).trigger()  # nothing left: said, nothing started
    assert dialogs.infos[-1] == ("Nothing to assess", "Every capture of Nomo Del (NOMODEL-1) has an assessment.")
    assert len(started) == 1


def test_the_notice_waits_for_no_answer_and_says_its_title(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    DialogService(parent).notice(OFF_TITLE, "Why, and what to do.")
    [box] = parent.findChildren(QMessageBox)
    assert box.isVisible() and box.windowModality() == Qt.WindowModality.NonModal  # the window stays in use
    assert box.windowTitle() == OFF_TITLE and box.text() == f"<b>{OFF_TITLE}</b>"  # no title bar on some desktops
    assert box.informativeText() == "Why, and what to do."
    box.close()
