"""At 150 % on a 1280x720 screen (853x480 in the window's own pixels) the assessment's details were a pane about
100 px high with the Clinician review below them: a clinician scrolled to reach the decision (and did at 1280x720
too). The review now stands beside the details, under the risk tier, in no scroll area; the image's column is no
wider than the image drawn at its height, so the text gets the width a short, wide frame left empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from dermadesk.domain.records import Assessment
from tests.ui.helpers import settled
from tests.ui.test_layout_panes import wholly_shown
from tests.ui.test_short_screen_panes import shown_at
from tests.ui.test_small_screen import scroll_areas

URGENT = Assessment(
    model_name="m",
    model_version="1",
    provider="cpu",
    probabilities={"mel": 0.52, "nv": 0.40, "bkl": 0.08},
    top_class="mel",
    malignant_probability=0.71,
    melanoma_probability=0.52,
    risk_tier="urgent",
    recommendation="Refer urgently: a dermatologist should see the patient within two weeks.",
    status="assessed",
)


def urgent_shown(qtbot, window, tmp_path: Path, width: int, height: int):
    """The window at ``width`` x ``height`` with an URGENT assessment (two lines of tier) and its image shown."""
    shown_at(qtbot, window, tmp_path, width, height)
    view = window.assessment
    capture = view.capture
    view.show_capture(capture, URGENT)
    view.set_capture_image(capture.id, QImage.fromData(window.session.register.images.read(capture.image_sha256)))
    settled(qtbot, window)
    return view


@pytest.mark.parametrize("size", [(853, 480), (1280, 720), (1920, 1080)])
def test_the_clinician_review_is_in_sight_without_scrolling(qtbot, window, tmp_path: Path, size) -> None:
    view = urgent_shown(qtbot, window, tmp_path, *size)
    box = view.save.parentWidget()  # the "Clinician review" box
    assert box.title() == "Clinician review"
    assert scroll_areas(box) == [window.centralWidget()]  # in no pane that scrolls...
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # ...and the window's content does not
    in_sight = (box, view.decision, view.notes, view.save, view.tier)
    qtbot.waitUntil(lambda: all(wholly_shown(w) for w in in_sight))  # once laid out (a condition, no delay)
    line = view.notes.fontMetrics().lineSpacing()
    assert view.notes.height() >= 2 * line  # room to read and type two lines of notes at least
    viewport = view.scroll.viewport()  # the details beside it keep a readable pane
    assert viewport.height() >= 6 * line and viewport.width() >= 100
    assert view.scroll.horizontalScrollBar().maximum() == 0
    image = view.image  # and the image stays in sight, no smaller than its least size
    assert wholly_shown(image) and image.width() >= image.minimumWidth() and image.height() >= 96


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_image_column_narrows_first(qtbot, window, tmp_path: Path, size) -> None:
    """A short tab drew the image in the middle of a wide empty frame while the class names wrapped onto lines of
    their own beside it: the column is now no wider than the image drawn at its height, the names beside their bars."""
    view = urgent_shown(qtbot, window, tmp_path, *size)
    image = view.image
    qtbot.waitUntil(lambda: image.width() > 0 and view.bars.width() > 0)
    drawn = image.mapFromScene(image.sceneRect()).boundingRect()  # the image as drawn, fitted to the view
    assert image.width() - drawn.width() <= 8  # no empty sides beside it: the frame's and the fit's pixels only
    assert not view.bars._stacked(view.bars.width())  # wide enough for each class name beside its bar
