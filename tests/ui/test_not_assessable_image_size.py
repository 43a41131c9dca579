"""At 150 % on 1280x720 (853x480) a NOT ASSESSABLE capture's image stood beside its heading and the clinician review
as a thumbnail of about 70x50 px: its column held no more than the review's height, a three-line caption and an
empty row of (hidden) heat-map tools under it, while the reasons below it left room. The image now takes the width
the heading and the review leave it and the height its reasons leave, the reasons still whole without scrolling and
some 70 characters a line; with reasons that leave no room it keeps the review's height (real window, real
register)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect

from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out
from tests.ui.test_reasons_column_width import REASON, lines_of

OTHER = "the image is too dark to see the lesion's pattern: retake it with more light on the skin and the lens clean"


def urgent_then_not_assessable(window, tmp_path: Path, reasons: list[str]) -> None:
    """An URGENT capture nobody acted on (the referral prompt above the tabs), then one NOT ASSESSABLE, shown."""
    reg = window.session.register
    pid = reg.patients.add("t", mrn="I-1", name="Image Size").id
    lid = reg.lesions.add("t", pid, "posterior torso", "left scapula").id
    ids = []
    for i, day in enumerate(("2026-03-10", "2026-08-25")):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=5 + i, width=640, height=480))
        ids.append(import_files(reg, "t", lid, [f], CaptureMeta(taken_at=day), compare=False).captures[0].id)
    assess(reg, ids[0], "urgent")
    reg.assessments.add(
        "t", ids[1], model_name="m", model_version="1", provider="CPU", probabilities={"mel": 0.1}, top_class="nv",
        malignant_probability=0.1, melanoma_probability=0.05, risk_tier=None, recommendation=None, ood_score=9.0,
        ood_flag=True, status="not assessable", status_reasons=reasons,
    )  # fmt: skip
    window.refresh(pid)
    window.show_lesion(lid, ids[1])


def drawn(view) -> QRect:
    """Where the image is drawn in its view."""
    return view.image.mapFromScene(view.image.base.sceneBoundingRect()).boundingRect()


def shown(qtbot, window, tmp_path: Path, reasons: list[str]):
    window.resize(853, 480)
    urgent_then_not_assessable(window, tmp_path, reasons)
    view = window.assessment
    qtbot.waitUntil(lambda: view._image is not None and view.below)  # the image drawn: its column fitted
    laid_out(qtbot, window)
    assert window.referral_prompt.isVisible()  # the demo's case: the prompt above the tabs takes height
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # the panel asked no more height: no scrolling
    return view


def test_the_image_takes_the_room_its_reasons_leave(qtbot, window, tmp_path: Path) -> None:
    view = shown(qtbot, window, tmp_path, [REASON])
    image = drawn(view)
    assert image.height() >= 60 and image.width() >= 80  # was 52x69 (the review's height less a caption)
    assert view.image_box.height() >= view.review.height()  # at least the review's height, more where reasons leave it
    corner = view.image.mapTo(view, QPoint(0, image.bottom()))
    assert corner.y() < view.no_cam.mapTo(view, QPoint(0, 0)).y()  # the caption under the image, clear of it
    detail, scroll = view.tier_detail, view.scroll
    for widget in (view.image_box, view.tier, view.review):  # beside each other, above the reasons
        assert widget.geometry().bottom() < scroll.geometry().top()
    assert scroll.viewport().width() >= 60 * detail.fontMetrics().averageCharWidth()  # some 70 characters a line
    reason = lines_of(detail, REASON) * detail.fontMetrics().lineSpacing()
    assert scroll.verticalScrollBar().value() == 0 and reason <= scroll.viewport().height()  # whole, unscrolled
    assert view.tier.geometry().top() <= view.review.geometry().top()  # the heading at the top of its taller row


def test_reasons_that_need_the_room_keep_it(qtbot, window, tmp_path: Path) -> None:
    view = shown(qtbot, window, tmp_path, [REASON, OTHER])
    assert view.image_box.height() <= view.review.height()  # no taller than the review: the reasons' room kept
    assert view.scroll.viewport().height() >= 2 * view.tier_detail.fontMetrics().lineSpacing()
