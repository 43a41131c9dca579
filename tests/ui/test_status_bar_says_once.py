"""The status bar at 150 % on 1280x720 (853x480): an import's words stood twice, cut both times ("importing
real_gray.jpg (2 of 8" in the status line, "…orting real_gray.jpg (2 of 8)" in the progress bar); they stand once,
whole, in the progress bar. A damaged default model filled the bar with its reason ("Data: /t…", "Operator: IT
Pe…") and told a GUI user about --model: the field says "Model: NOT AVAILABLE", its tooltip why and which menu
chooses another model; the command line's words only for reinstalling, which no menu does (real window)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from PySide6.QtWidgets import QLabel

from tests.ui.helpers import settled
from tests.ui.test_layout import lesion_with

STEP = "importing real_gray.jpg (2 of 8)"


def test_a_tasks_words_stand_once_and_whole(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    lesion_with(window, tmp_path, ["2026-01-01"])
    settled(qtbot, window)
    window.model_label.setText("Model: dermadesk-effnetlite2x3-ms 3.0.0")  # what a loaded model says
    window.device_label.setText("Device: processor")
    window.status.fit()
    gate = threading.Event()

    def job(progress, cancel) -> None:
        progress(0.25, STEP)
        gate.wait(30)

    window.session.runner.submit("Importing 8 images", job)
    try:
        qtbot.waitUntil(lambda: window.progress.message == STEP)
        bar = window.progress
        qtbot.waitUntil(lambda: bar.format() == STEP)  # whole in the progress bar, not "…orting real_gray.jpg"
        assert bar.width() >= bar.fontMetrics().horizontalAdvance(STEP) + 12
        assert STEP not in window.statusBar().currentMessage()  # not said a second time in the status line
        assert window.cancel_btn.isVisible() and window.cancel_btn.geometry().right() <= window.statusBar().width()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not window.session.runner.running)
    assert window.statusBar().currentMessage() == "Importing 8 images: done"  # its end said, as before


def test_a_damaged_default_model_is_said_in_the_apps_words(qtbot, window, installed_model: Path) -> None:
    onnx = installed_model.parent / json.loads(installed_model.read_text())["onnx_file"]
    damaged = bytearray(onnx.read_bytes())
    damaged[-1] ^= 0xFF
    onnx.write_bytes(bytes(damaged))  # the installed (default) model no longer matches its manifest's sha256
    window.resize(853, 480)
    window.session.settings.operator = "IT Person Ada"
    window.operator_label.setText("Operator: IT Person Ada")
    window.models.reset()
    window.models.warm_up()
    label = window.model_label
    qtbot.waitUntil(lambda: label.text().startswith("Model: NOT AVAILABLE ("), timeout=30000)
    tip = label.toolTip()
    assert "the default model tiny-test" in tip and "does not match the sha256" in tip  # which, and why
    assert "choose another model in Edit > Settings..." in tip  # the bundled model can be chosen there
    assert "--model" not in tip and "name another model" not in tip  # no command-line option for choosing
    # reinstalling has no menu: the command line's words stay, with the argument it takes (as the command line says it)
    assert "(on the command line: dermadesk models --install PATH/TO/MANIFEST.json)" in tip
    window.statusBar().clearMessage()  # "Loading model: failed" said, gone after a while
    window.status.fit()
    qtbot.waitUntil(lambda: QLabel.text(label) == "Model: NOT AVAILABLE")  # the field's words: why in its tooltip
    qtbot.waitUntil(lambda: "…" not in QLabel.text(window.operator_label))  # whole
    folder = window.session.data_dir  # the data folder's start and its last two folders, at least ("Data: /tmp/…")
    tail = f"{os.sep}{folder.parent.name}{os.sep}{folder.name}"
    qtbot.waitUntil(lambda: QLabel.text(window.data_label).endswith(tail))
    assert QLabel.text(window.data_label).startswith(f"Data: {folder.anchor}")
    assert QLabel.text(window.operator_label) == "Operator: IT Person Ada"
