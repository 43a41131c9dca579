"""Align by hand at 150 % on 1280x720 (853x480): the images jumped 10-21 px between clicks, as the instructions above
them took two, three or four lines ("(0 so far)", "(1 so far)", a hint, the red refusal), so that a user clicking the
matching spot from memory marked a shifted pair. The instructions now keep the height of the most they can say at
their width: the images stay where they are through every click, a hint and a refusal, and the text is whole (real
dialog, real clicks)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from dermadesk.analysis.hand_alignment import UNCONFIRMED
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.ui.manual_align import ManualAlignDialog
from dermadesk.ui.widgets import fit_dialog
from tests.ui.test_manual_alignment import click_image

SMALL = QRect(0, 0, 853, 480)  # a 1280x720 screen at 150 %, in Qt's pixels
BASE = synthetic_lesion(LesionSpec(seed=13))
FOLLOW = synthetic_lesion(LesionSpec(seed=13, scale=1.2))
PAIRS = [((500.0, 60.0), (505.0, 62.0)), ((60.0, 400.0), (58.0, 396.0))]


def opened(qtbot, marked=None, refusal: str = "") -> ManualAlignDialog:
    dialog = ManualAlignDialog(BASE, FOLLOW, marked=marked)
    qtbot.addWidget(dialog)
    if refusal:
        dialog.refused(refusal)
    fit_dialog(dialog, SMALL)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def images(dialog: ManualAlignDialog) -> list[tuple[int, ...]]:
    """Where each image is drawn in the dialog (its view's place, and the image in the view), once laid out; the
    instructions whole (no line cut off above the images)."""
    QApplication.sendPostedEvents()  # the layout the new text asked for, done
    dialog.layout().activate()
    text = dialog.instructions
    assert text.height() >= text.heightForWidth(text.width()), text.text()
    places = []
    for view in (dialog.left, dialog.right):
        corner = view.mapTo(dialog, QPoint(0, 0))
        drawn = view.mapFromScene(view.sceneRect()).boundingRect()
        places.append((corner.x(), corner.y(), view.width(), view.height(), *drawn.getRect()))
    return places


def test_the_images_stay_still_through_the_clicks_a_hint_and_a_refusal(qtbot) -> None:
    dialog = opened(qtbot)
    assert dialog.width() <= SMALL.width() and dialog.height() <= SMALL.height()
    start = images(dialog)
    assert "(0 so far)" in dialog.instructions.text()
    (b1, f1), (b2, f2) = PAIRS
    click_image(qtbot, dialog.left, *b1)  # the first click: the step's words change
    assert len(dialog.base_points) == 1 and "same spot" in dialog.instructions.text()
    assert images(dialog) == start
    click_image(qtbot, dialog.left, *b2)  # the baseline again: a red hint, a line more
    assert dialog.hint and len(dialog.base_points) == 1
    assert images(dialog) == start
    click_image(qtbot, dialog.right, *f1)
    assert "(1 so far)" in dialog.instructions.text() and not dialog.hint
    assert images(dialog) == start
    click_image(qtbot, dialog.left, *b2)
    click_image(qtbot, dialog.right, *f2)
    assert len(dialog.pairs()) == 2 and "so far" not in dialog.instructions.text()
    assert images(dialog) == start

    # Apply; the comparison refuses the points: the window again, the points and the reason (two lines) in it
    again = opened(qtbot, marked=dialog.pairs(), refusal=UNCONFIRMED)
    assert "Not applied" in again.instructions.text() and len(again.pairs()) == 2
    assert images(again) == start  # where they were when the user clicked
    click_image(qtbot, again.right, 300, 300)  # the follow-up first: a hint under the refusal
    assert again.hint and again.refusal
    assert images(again) == start
    again.undo()  # the refusal goes with the point
    assert not again.refusal and len(again.pairs()) == 1
    assert images(again) == start


def test_a_wider_window_keeps_less_room_for_the_words(qtbot) -> None:
    """The room kept is the most the words take at the window's width: wider, fewer lines, more for the images."""
    dialog = opened(qtbot)
    narrow = dialog.instructions.height()
    dialog.resize(2000, 620)
    QApplication.sendPostedEvents()
    dialog.layout().activate()
    assert dialog.instructions.height() < narrow
    line = dialog.instructions.fontMetrics().lineSpacing()
    assert dialog.instructions.height() <= 5 * line  # the step (two lines), a refusal and a hint at most
    assert dialog.instructions.width() > 1.9 * dialog.left.width()  # across the window, above both images
