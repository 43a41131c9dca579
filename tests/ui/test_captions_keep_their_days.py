"""Walkthrough 23 at 150 % on 1280x720 (853x480): after View > Larger images (F11) and back, the Change tab's images
were captioned "Baseline · 5 Jan 2026" and "Follow-up", no date. The captions' own text set the pair's least width:
widened with the panes put aside, the pair kept the whole captions' width, and the longer one fell back to its role.
Now both captions are decided together from the room alone, each always with its image's day, and the pair is as wide
after the round trip as before it (real window, real register, a real comparison)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.ui.test_change_tab_sight import compared
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out

DAYS = ("25 Aug 2026", "23 Nov 2026")


def fitted(qtbot, window) -> None:
    """The layout requests done and the pair fitted to the tab's room (no delay: conditions)."""
    for _ in range(5):
        QApplication.processEvents()
        QApplication.sendPostedEvents()
    box = window.comparison.images_box
    qtbot.waitUntil(lambda: box.size() == box.minimumSize() == box.maximumSize())


def shown(window) -> list[str]:
    return [caption.text() for caption in window.comparison.captions]


def test_after_larger_images_and_back_each_caption_keeps_its_day(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path, larger=False)
    view = window.comparison
    laid_out(qtbot, window)
    fitted(qtbot, window)
    before, size = shown(window), view.images_box.size()
    window.larger_images.set_on(True)  # F11: the pair gets the window's height, and the width that draws it
    fitted(qtbot, window)
    assert shown(window) == [f"Baseline · {DAYS[0]}", f"Follow-up · {DAYS[1]}"]
    window.larger_images.set_on(False)  # and back
    laid_out(qtbot, window)
    fitted(qtbot, window)
    assert shown(window) == before and view.images_box.size() == size  # as before the round trip
    assert all(day in text for day, text in zip(DAYS, before))  # a day over each image, never a role alone
    assert before in ([f"Baseline · {DAYS[0]}", f"Follow-up · {DAYS[1]}"], list(DAYS))  # one form for both
    for caption in view.captions:  # each whole over its image
        assert caption.fontMetrics().horizontalAdvance(caption.text()) <= caption.width()
