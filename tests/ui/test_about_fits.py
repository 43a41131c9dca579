"""Issue #16: the About window has no horizontal scroll bar: the model card's plots (the confusion matrix is 720 px
wide) are scaled down to the width the window gives them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QTextBrowser

from dermadesk.inference.registry import ModelRegistry
from dermadesk.services.models import about_model
from dermadesk.ui.forms import AboutDialog


def test_the_about_window_needs_no_horizontal_scroll_bar(qtbot, tmp_path: Path) -> None:
    about = AboutDialog(*about_model(ModelRegistry(tmp_path), None))
    qtbot.addWidget(about)
    about.show()
    for width in (720, 560):  # its own size at 100 %, and narrower
        about.resize(width, 480)
        for _ in range(3):  # the resize and the document's layout (events, no delay)
            QApplication.processEvents()
        browser = about.findChild(QTextBrowser)
        assert browser.horizontalScrollBar().maximum() == 0, width
        assert browser.document().idealWidth() <= browser.viewport().width()
