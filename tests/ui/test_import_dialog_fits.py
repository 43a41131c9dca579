"""The import dialog on a short screen (1280x720 at 150 %: 853x480): the form scrolls, the same-day warning is
never squeezed to a few clipped lines, and Import and Cancel stay in sight (helper 43 saw the warning cut)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QScrollArea

from dermadesk.ui.forms import CaptureDialog
from dermadesk.ui.widgets import fit_dialog


def test_short_screen_scrolls_the_form_and_keeps_the_warning_whole(qtbot) -> None:
    today = dt.date.today().isoformat()
    dialog = CaptureDialog(["/tmp/baseline.jpg"], {"/tmp/baseline.jpg": None}, None,
                           "Lesion 1 (left lateral torso) of MRN-2041 Maria Schmidt", ("Lesion 1", [today]),
                           (0.05, "2025-11-10"), {})  # fmt: skip
    qtbot.addWidget(dialog)
    fit_dialog(dialog, QRect(0, 0, 853, 400))  # shorter than the form, whatever the fonts
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= 400 and dialog.same_day.isVisible()
    warning = dialog.same_day
    assert warning.height() >= warning.heightForWidth(warning.width())  # every line of it
    button = dialog.import_button
    bottom = button.mapTo(dialog, button.rect().bottomLeft()).y()
    assert button.isVisible() and bottom <= dialog.height()
    area = dialog.findChild(QScrollArea)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)  # the rest of the form is a scroll away
    dialog.resize(900, 900)  # a tall screen: the whole form, nothing to scroll
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() == 0)


def test_a_long_skip_reason_wraps_in_the_list_instead_of_being_cut(qtbot) -> None:
    """A skip reason ran past the list's edge, cut, its end in the tooltip only (helper 48)."""
    reason = "bad.jpg: image file is truncated or damaged; copy it again from the camera or its card (cut short)"
    files, existing = ["/tmp/bad.jpg", "/tmp/good.jpg"], ("Lesion 1", [])
    dialog = CaptureDialog(files, {"/tmp/good.jpg": None}, None, "Lesion 1", existing, None, {"/tmp/bad.jpg": reason})
    qtbot.addWidget(dialog)
    fit_dialog(dialog, QRect(0, 0, 853, 480))
    dialog.show()
    qtbot.waitExposed(dialog)
    listing = dialog.dates
    assert listing.horizontalScrollBar().maximum() == 0 and listing.wordWrap()
    bad, good = (listing.visualItemRect(listing.item(i)) for i in range(2))
    assert bad.height() >= 2 * good.height() - 2 and bad.right() <= listing.viewport().width()  # wrapped, whole
