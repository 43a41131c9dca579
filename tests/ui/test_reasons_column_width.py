"""With the patient panes shown at 150 % on 1280x720 (853x480), the reasons a capture is NOT ASSESSABLE stood in a
column about 90 px wide once the list's 40 px indent was taken: one to three words a line ("retake it with / a /
dermatoscope"); with the bullets hung flush left and the image at its tools' width, still about three. Now they
stand below the image, the heading and the review, across the panel; on a wider tab beside the image, at least
``READ_BESIDE`` characters a line (real window, real register)."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtGui import QTextDocument

from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.assessment_layout import BELOW_IMAGE_MIN, READ_BESIDE
from tests.conftest import lesion_jpeg
from tests.services.test_standing import lesion_with_results
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


def test_with_the_panes_shown_the_reasons_stand_below_across_the_panel(qtbot, window, tmp_path: Path) -> None:
    """Beside the image and the review they read about three words a line (the column was some 20 characters):
    now across the panel, some 70 characters a line, the first reason whole in sight; what NOT ASSESSABLE means
    under the heading, the review and a thumbnail of the image beside it."""
    window.resize(853, 480)
    not_assessable_capture(window, tmp_path)
    view = window.assessment
    qtbot.waitUntil(lambda: view._image is not None, timeout=10000)  # the image drawn: its column fitted
    settled(qtbot, window)
    detail = view.tier_detail
    assert view.below and "<ul>" not in detail.text() and "•" in detail.text()  # no list indent: flush left
    qtbot.waitUntil(lambda: view.scroll.width() >= view.width() - 16)  # the panel's width, not a column of it
    average = detail.fontMetrics().averageCharWidth()
    assert view.scroll.viewport().width() >= 60 * average
    lines = lines_of(detail, REASON)
    assert lines <= math.ceil(len(REASON) / 60) == 3  # 150 characters: was 8 lines and more
    assert lines * detail.fontMetrics().lineSpacing() <= view.scroll.viewport().height()  # whole, unscrolled
    said = "the lesion has not been assessed"  # what NOT ASSESSABLE means: once, under the heading
    assert said in view.tier.text() and said not in detail.text()
    for widget in (view.review, view.image_box, view.tier):  # beside each other, above the reasons
        assert widget.geometry().bottom() < view.scroll.geometry().top()
    assert view.review.width() >= view.review.minimumSizeHint().width() and view.save.isVisible()
    assert view.image_box.width() >= BELOW_IMAGE_MIN[0] and view.no_cam.isVisible()  # the image, why no heat map
    assert not view.cam_toggle.isVisible() and not view.opacity.isVisible()  # disabled for it: their room given


def test_an_assessed_capture_keeps_its_details_beside_the_image(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["urgent", None])
    urgent, grey = (c.id for c in reg.captures.for_lesion(lid))
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, grey)
    view = window.assessment
    settled(qtbot, window)
    qtbot.waitUntil(lambda: view.below)
    window.timeline.step(-1)  # the assessed one: tier, details beside the image, the heat map's tools
    assert view.capture.id == urgent and not view.below and "Risk tier: URGENT" in view.tier.text()
    qtbot.waitUntil(lambda: view.cam_toggle.isVisible() and view.fit_btn.isVisible())
    assert view.scroll.geometry().left() > view.image_box.geometry().right()
    assert view.review.geometry().top() > view.tier.geometry().top()  # under the tier, beside the details
    window.timeline.step(1)
    qtbot.waitUntil(lambda: view.below and not view.cam_toggle.isVisible())
    assert "No risk tier and no recommendation" in view.tier.text()


def test_a_wide_window_leaves_the_image_its_drawn_width(qtbot, window, tmp_path: Path) -> None:
    window.resize(1280, 720)
    not_assessable_capture(window, tmp_path)
    view = window.assessment
    qtbot.waitUntil(lambda: view._image is not None, timeout=10000)
    settled(qtbot, window)
    qtbot.waitUntil(lambda: view.image_box.width() > 1.5 * view.left.minimumSize().width())  # drawn at its height
    assert not view.below and lines_of(view.tier_detail, REASON) <= 4  # beside it, READ_BESIDE characters a line
    assert view.scroll.viewport().width() >= READ_BESIDE * view.tier_detail.fontMetrics().averageCharWidth()
