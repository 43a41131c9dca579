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


def test_every_line_of_the_model_card_after_its_plots_is_laid_out_and_shown(qtbot, tmp_path: Path) -> None:
    """Scaling the plots down left every block after them 0 px high: the card's Reproduce section, the OOD refit
    and the version history were in the document but never drawn (seen scrolling the About window to its end)."""
    about = AboutDialog(*about_model(ModelRegistry(tmp_path), None))
    qtbot.addWidget(about)
    about.show()
    for width in (720, 560):
        about.resize(width, 480)
        for _ in range(3):
            QApplication.processEvents()
        doc = about.findChild(QTextBrowser).document()
        layout, block, unseen, tops = doc.documentLayout(), doc.begin(), [], {}
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            if block.text().strip() and rect.height() <= 0:
                unseen.append(block.text()[:40])
            tops[block.text()] = rect.top()
            block = block.next()
        assert unseen == [], width
        plots = next(top for text, top in tops.items() if "\ufffc" in text)  # the images' paragraph
        assert tops["Reproduce"] > plots, width
