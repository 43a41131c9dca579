"""Where the assessment panel's parts stand (``AssessmentView`` calls these).

Three columns: the image, the details (scrolling), the clinician review; the risk tier above the details and the
review. A NOT ASSESSABLE capture on a narrow tab (the patient panes shown at 150 % on 1280x720) where its reasons
would get fewer than ``READ_BESIDE`` characters a line beside the image and the review ("retake it with / a /
dermatoscope", three words a line): the reasons stand below the image, the heading and the review, across the
panel's width (two lines each), and what NOT ASSESSABLE means goes under the heading, in the room the review's
height leaves there. The heat map's tools, disabled for it, make way for the reasons' width; the image is a
thumbnail there (View > Larger images shows it large, the reasons beside it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage

DETAILS_CHARS = 26  # the details' width where the image can give it, in average characters (the image at its least)
COLUMN_STRETCH = (5, 4, 2)  # image, details, clinician review: their shares of the width beyond their minimum
OPACITY_LABEL_FROM = 320  # an image drawn narrower hides the word "Opacity" (in the slider's tooltip): room for it
IMAGE_MIN_WIDTH = 160  # the text beside it keeps its width at 150 % on a 1280x720 screen
READ_BESIDE = 45  # a NOT ASSESSABLE capture's reasons beside the image only where they get this many characters
BELOW_IMAGE_MIN = (60, 40)  # the image's least size with the reasons below it (its height: the review's)
# the details' least height in lines: beside the image three (a quality warning above them leaves the review its
# height); below, two and their frame, so that the panel needs no more height than beside (the review's row, then
# the reasons, in place of the heading's two lines, then the review): three made it 3 px taller at 150 %, and a
# three-line referral prompt above the tabs then made the window scroll, squeezing the tabs as it did
DETAILS_LINES = (3, 2)  # beside, below
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"


def reasons_below(view: Any, declined: bool) -> bool:
    """Whether a NOT ASSESSABLE (``declined``) capture's reasons would get fewer than ``READ_BESIDE`` characters a
    line beside the image (at its least: its tools' width) and the review: then they stand below, across the panel."""
    if not declined:
        return False
    grid = view.layout()
    margins = grid.contentsMargins()
    gaps = margins.left() + margins.right() + 2 * max(grid.horizontalSpacing(), 0)
    bar = view.scroll.verticalScrollBar().sizeHint().width()
    room = view.width() - gaps - view.review.minimumSizeHint().width() - view.tools_least - bar
    return room < READ_BESIDE * view.tier_detail.fontMetrics().averageCharWidth()


def place(view: Any, below: bool) -> None:
    """The image, the tier, the details and the review in the panel's grid: the details beside the image under the
    tier (``below`` False), or the details under all three, the panel's width (see the module)."""
    grid = view.layout()
    grid.removeWidget(view.image_box)
    grid.removeWidget(view.tier)
    grid.removeItem(view.details)
    grid.removeItem(view.review_column)
    if below:
        grid.addWidget(view.image_box, 0, 0)
        grid.addWidget(view.tier, 0, 1)
        grid.addLayout(view.review_column, 0, 2)
        grid.addLayout(view.details, 1, 0, 1, 3)
    else:
        grid.addWidget(view.image_box, 0, 0, 2, 1)
        grid.addWidget(view.tier, 0, 1, 1, 2)
        grid.addLayout(view.details, 1, 1)
        grid.addLayout(view.review_column, 1, 2)
    grid.setRowStretch(1, 1)  # the details take the height the tier (and with them below, the review) leave
    # disabled for a NOT ASSESSABLE capture: their room to the text; Fit too (the image a thumbnail there)
    for widget in (view.cam_toggle, view.opacity, view.fit_btn):
        widget.setVisible(not below)
    # the review at its least height (the notes scroll): the reasons below get the rest
    view.review.setMaximumHeight(view.review.minimumSizeHint().height() if below else QWIDGETSIZE_MAX)
    # the thumbnail no taller than the review (its caption under it included): drawn as tall as its width allowed,
    # it made their row taller, the reasons under it getting two lines of the room
    view.image_box.setMaximumHeight(view.review.maximumHeight() if below else QWIDGETSIZE_MAX)
    lines = DETAILS_LINES[below] * view.tier_detail.fontMetrics().lineSpacing()
    view.scroll.setMinimumHeight(lines + (2 * view.scroll.frameWidth() if below else 0))
    width, height = BELOW_IMAGE_MIN if below else (IMAGE_MIN_WIDTH, view.image_min_height)
    view.image.setMinimumSize(width, height)


def fit_image_column(view: Any, image: QImage | None, declined: bool) -> None:
    """``image`` no wider than it is drawn at the height it has (its tools' width at least): the details and the
    review get the width, not the empty sides of a short, wide frame. With the reasons below, the image gets the
    width the tier's heading and the review leave beside it; beside them, a NOT ASSESSABLE (``declined``) capture's
    reasons get ``READ_BESIDE`` characters a line (its image less)."""
    aspect = image.width() / image.height() if image is not None and image.height() else 4 / 3
    grid, left = view.layout(), view.left
    margins = grid.contentsMargins()
    gaps = margins.left() + margins.right() + 2 * max(grid.horizontalSpacing(), 0)
    if view.below:
        drawn = view.width() - gaps - view.review.minimumSizeHint().width() - view.tier.minimumWidth()
        view.opacity_label.setVisible(False)
        view.image_box.setMaximumWidth(max(left.minimumSize().width(), drawn))
        return
    below = left.minimumSize().height() - view.image.minimumHeight()  # the heat map's key and tools
    tall = view.height() - margins.top() - margins.bottom() - below - 2 * view.image.frameWidth()
    drawn = round(tall * aspect) + 2 * view.image.frameWidth()
    # the details keep about DETAILS_CHARS a line where the image can narrow (its tools' width at least): at
    # 150 % the reasons beside a wide image read one to three words a line
    bar = view.scroll.verticalScrollBar().sizeHint().width()
    details = (READ_BESIDE if declined else DETAILS_CHARS) * view.tier_detail.fontMetrics().averageCharWidth() + bar
    drawn = min(drawn, view.width() - gaps - view.review.minimumSizeHint().width() - details)
    view.opacity_label.setVisible(drawn >= OPACITY_LABEL_FROM)  # not from the column's width: no feedback
    view.image_box.setMaximumWidth(max(left.minimumSize().width(), drawn))
