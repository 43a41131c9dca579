"""The body map as a new user found it: legible FRONT/BACK captions clear of the figure (on screen and in the
PDF), and "Add a lesion here?" answered Yes by Enter (the click asked for it), No by Escape."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from reportlab.graphics.shapes import String
from reportlab.lib.units import mm

from dermadesk.reports.common import register_fonts
from dermadesk.reports.lesion_report import body_map_drawing
from dermadesk.ui.body_map import BodyMapWidget
from dermadesk.ui.dialogs import DialogService
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, click_body, wait_import


def ink(image: QImage, left: int, top: int, width: int, height: int) -> int:
    """Dark (text) pixels in a part of a grabbed widget."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return int((pixels[top : top + height, left : left + width] < 100).sum())


@pytest.mark.parametrize("size", [(200, 170), (620, 250)])
def test_captions_are_legible_and_under_the_feet(qtbot, size: tuple[int, int]) -> None:
    widget = BodyMapWidget()
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    assert widget.caption_font().pointSizeF() >= QApplication.font().pointSizeF()  # not scaled with the figure
    shot = widget.grab().toImage()
    ratio = shot.devicePixelRatio()
    for view in ("front", "back"):
        figure, caption = widget.view_rect(view), widget.caption_rect(view)
        assert caption.top() >= figure.bottom() and caption.bottom() <= widget.height()  # below the feet, in sight
        assert widget.caption(view).startswith(view.upper())
        r = caption.toRect()
        assert ink(shot, *(round(v * ratio) for v in (r.left(), r.top(), r.width(), r.height()))) > 20  # drawn
    wide = widget.width() > 500
    assert (widget.caption("front") == "FRONT (patient facing you)") == wide  # the long form only where it fits


@pytest.mark.parametrize("width", [200, 260, 340, 620])
def test_the_front_caption_says_facing_you_on_a_second_line_where_one_is_too_narrow(qtbot, width: int) -> None:
    widget = BodyMapWidget()  # 150 % on 1280x720: "FRONT" alone lost what the view means
    qtbot.addWidget(widget)
    widget.resize(width, 220)
    widget.show()
    metrics, room = QFontMetricsF(widget.caption_font()), width / 2 - 4
    caption = widget.caption("front")
    assert all(metrics.horizontalAdvance(line) <= room for line in caption.split("\n"))  # no line cut off
    assert ("facing you)" in caption) == (metrics.horizontalAdvance("(facing you)") <= room)
    box = widget.caption_rect("front")
    assert box.height() >= (caption.count("\n") + 1) * metrics.height() and box.bottom() <= widget.height()
    assert box.top() >= widget.view_rect("front").bottom() and widget.caption_rect("back").top() == box.top()


def test_a_click_still_lands_where_the_marker_is_drawn(qtbot, window, dialogs) -> None:
    add_patient(window, dialogs, "BM-1", "Body Map")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.42, 0.9)  # a leg, near the caption
    lesion = window.session.register.lesions.get(window.selection.lesion_id)
    assert lesion.site == "lower extremity" and lesion.body_view == "front"
    assert (lesion.body_x, lesion.body_y) == pytest.approx((0.42, 0.9), abs=0.02)
    assert window.lesions.body_map.lesion_at(window.lesions.body_map.to_widget("front", 0.42, 0.9)) is not None


def test_add_lesion_here_defaults_to_yes_and_escape_cancels(qtbot, window, dialogs) -> None:
    add_patient(window, dialogs, "BM-2", "Default Yes")
    dialogs.confirms.append(False)
    click_body(qtbot, window, "back", 0.5, 0.3)
    assert dialogs.confirm_defaults == [True]  # the question after a click on the body map
    service, seen = DialogService(window), []

    def answer(key: Qt.Key) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not shown yet
            QTimer.singleShot(20, lambda: answer(key))
            return
        seen.append(box.defaultButton() is box.button(QMessageBox.StandardButton.Yes))
        qtbot.keyClick(box, key)

    for key, default_yes, expected in [
        (Qt.Key.Key_Return, True, True),  # Enter: Yes, add it
        (Qt.Key.Key_Escape, True, False),  # Escape still cancels
        (Qt.Key.Key_Return, False, False),  # other questions (delete...) keep No as the default
    ]:
        QTimer.singleShot(0, lambda k=key: answer(k))
        assert service.confirm("New lesion", "Add a lesion here?", default_yes=default_yes) is expected
    assert seen == [True, True, False]


def test_pdf_body_map_caption_clear_of_the_feet(qtbot, window, dialogs, tmp_path: Path) -> None:
    register_fonts()
    for view in ("front", "back", None):
        drawing = body_map_drawing(view, 0.42, 0.95)
        words = {"FRONT", "(patient facing you)", "BACK", "position not recorded"}  # the view named, as the app does
        captions = [s for s in drawing.contents if isinstance(s, String) and s.text in words]
        figure = [s for s in drawing.contents if not isinstance(s, String)]
        lowest = min(s.getBounds()[1] for s in figure)  # the feet (and the marker on them)
        assert captions and len(captions) == (2 if view == "front" else 1)
        for caption in captions:
            assert caption.y + caption.fontSize * 0.8 < lowest - 0.5 * mm  # the caption's cap height ends below them
            assert caption.fontSize >= 7 and caption.getBounds()[2] - caption.getBounds()[0] <= drawing.width
    add_patient(window, dialogs, "BM-3", "Pdf Body Map")
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.42, 0.95)  # on a foot
    good = tmp_path / "good.jpg"
    good.write_bytes(lesion_jpeg(3))
    window.c.import_paths(window.selection.lesion_id, [str(good)], ask=False)
    wait_import(qtbot, window)
    target = tmp_path / "report.pdf"
    dialogs.saves.append(str(target))
    window.reports.save_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report saved"), timeout=60000)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True)
    assert "FRONT" in text.stdout  # the caption is real text in the PDF
