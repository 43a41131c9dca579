"""With the patient panes shown at 150 % on 1280x720 (853x480), the reasons a capture is NOT ASSESSABLE stood in a
column about 90 px wide once the list's 40 px indent was taken: one to three words a line ("retake it with / a /
dermatoscope"). The image beside the details narrows to its tools' width to give them room, and the reasons' bullets
hang flush left: three words a line or more (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument

from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.assessment_view import DETAILS_CHARS
from tests.conftest import lesion_jpeg
from tests.ui.helpers import settled

REASON = (
    "the image is unlike the dermoscopic images the model was validated on: retake it with a dermatoscope; "
    "an image that is not a skin lesion cannot be assessed"
)


def not_assessable_capture(window, tmp_path: Path) -> None:
    reg = window.session.register
    pid = reg.patients.add("t", mrn="R-1", name="Reason Ing").id
    lid = reg.lesions.add("t", pid, "posterior torso", "left scapula").id
    f = tmp_path / "r.jpg"
    f.write_bytes(lesion_jpeg(seed=5, width=640, height=480))
    cid = import_files(reg, "t", lid, [f], CaptureMeta(taken_at="2026-08-25"), compare=False).captures[0].id
    reg.assessments.add(
        "t", cid, model_name="m", model_version="1", provider="CPU", probabilities={"mel": 0.1}, top_class="nv",
        malignant_probability=0.1, melanoma_probability=0.05, risk_tier=None, recommendation=None, ood_score=9.0,
        ood_flag=True, status="not assessable", status_reasons=[REASON],
    )  # fmt: skip
    window.refresh(pid)
    window.show_lesion(lid, cid)


def lines_of(label, text: str) -> int:
    """How many lines the paragraph holding ``text`` takes in ``label`` at its width."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.size()  # laid out
    block = doc.begin()
    while block.isValid() and text[:30] not in block.text():
        block = block.next()
    assert block.isValid(), text
    return block.layout().lineCount()


def test_the_reasons_read_several_words_a_line_beside_the_image(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    not_assessable_capture(window, tmp_path)
    view = window.assessment
    qtbot.waitUntil(lambda: view._image is not None, timeout=10000)  # the image drawn: its column fitted
    settled(qtbot, window)
    detail = view.tier_detail
    assert "<ul>" not in detail.text() and "•" in detail.text()  # no list indent: the bullet flush left
    average = detail.fontMetrics().averageCharWidth()
    least = view.left.minimumSize().width()  # the image's tools' width
    qtbot.waitUntil(lambda: view.image_box.width() == least)  # the image gave the details its room
    assert view.scroll.viewport().width() >= min(DETAILS_CHARS, 21) * average
    words = len(REASON.split())
    assert lines_of(detail, REASON) <= words / 3  # three words a line or more, not one to three (the list: 17 lines)
    assert view.review.width() >= view.review.minimumSizeHint().width()


def test_a_wide_window_leaves_the_image_its_drawn_width(qtbot, window, tmp_path: Path) -> None:
    window.resize(1280, 720)
    not_assessable_capture(window, tmp_path)
    view = window.assessment
    qtbot.waitUntil(lambda: view._image is not None, timeout=10000)
    settled(qtbot, window)
    qtbot.waitUntil(lambda: view.image_box.width() > 1.5 * view.left.minimumSize().width())  # drawn at its height
    assert lines_of(view.tier_detail, REASON) <= 4
