"""Where the assessment panel's parts stand (``AssessmentView`` calls these).

Three columns: the image, the details (scrolling), the clinician review; the risk tier above the details and the
review. A NOT ASSESSABLE capture on a narrow tab (the patient panes shown at 150 % on 1280x720) where its reasons
would get fewer than ``READ_BESIDE`` characters a line beside the image and the review ("retake it with / a /
dermatoscope", three words a line): the reasons stand below the image, the heading and the review, across the
panel's width (two lines each), and what NOT ASSESSABLE means goes under the heading, in the room the review's
height leaves there. The heat map's tools, disabled for it, make way for the reasons' width; the image takes the
width the heading and the review leave, and the height the reasons leave (whole, unscrolled; what follows them
scrolls), no less than the review's: at 150 % on 1280x720 it was a thumbnail of about 70x50 px beside a three-line
caption, at the review's height, with room to spare under the reasons (View > Larger images shows it large, the
reasons beside it).
"""

from __future__ import annotations

from math import floor
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QLabel

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
        grid.addWidget(view.tier, 0, 1, Qt.AlignmentFlag.AlignTop)  # at the top of a row the image may make taller
        grid.addLayout(view.review_column, 0, 2)
        grid.addLayout(view.details, 1, 0, 1, 3)
    else:
        grid.addWidget(view.image_box, 0, 0, 2, 1)
        grid.addWidget(view.tier, 0, 1, 1, 2)
        grid.addLayout(view.details, 1, 1)
        grid.addLayout(view.review_column, 1, 2)
    grid.setRowStretch(1, 1)  # the details take the height the tier (and with them below, the review) leave
    # disabled for a NOT ASSESSABLE capture: their room to the text; Fit too (the image a thumbnail there)
    view.image_box.show_tools(room=not below)
    view.fit_btn.setVisible(not below)
    # the review at its least height (the notes scroll): the reasons below get the rest
    view.review.setMaximumHeight(view.review.minimumSizeHint().height() if below else QWIDGETSIZE_MAX)
    # below, the image (its caption under it included) no taller than the reasons leave it, at least the review's
    # height: drawn as tall as its width allowed, it made their row taller, the reasons under it getting two lines
    # of the room; no taller than drawn at its width, and the details no taller than the rest (``top_row``)
    view.image_box.setMaximumHeight(view.review.maximumHeight() if below else QWIDGETSIZE_MAX)
    view.image.setMaximumHeight(QWIDGETSIZE_MAX)
    view.scroll.setMaximumHeight(QWIDGETSIZE_MAX)
    lines = DETAILS_LINES[below] * view.tier_detail.fontMetrics().lineSpacing()
    view.scroll.setMinimumHeight(lines + (2 * view.scroll.frameWidth() if below else 0))
    width, height = BELOW_IMAGE_MIN if below else (IMAGE_MIN_WIDTH, view.image_min_height)
    view.image.setMinimumSize(width, height)


def reasons_height(label: QLabel, width: int) -> int:
    """``label``'s height at ``width`` down to its last reason (a paragraph starting "•"), all of it where none:
    what follows the reasons (why no probabilities are shown) may scroll."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)  # as a label lays out its text
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    doc.setTextWidth(width)
    block, end = doc.begin(), None
    while block.isValid():
        if block.text().startswith("•"):
            end = doc.documentLayout().blockBoundingRect(block).bottom()
        block = block.next()
    whole = label.heightForWidth(width)
    return whole if end is None else whole - floor(doc.size().height() - end)


def reasons_leave(view: Any) -> int:
    """The height the panel leaves its top row (the image, the heading and the review) with a NOT ASSESSABLE
    capture's reasons whole below them, across the panel (the scroll bar beside them: what follows scrolls)."""
    grid, scroll = view.layout(), view.scroll
    margins, frame = grid.contentsMargins(), 2 * scroll.frameWidth()
    panel = scroll.widget().layout().contentsMargins()
    across = view.width() - margins.left() - margins.right() - frame - scroll.verticalScrollBar().sizeHint().width()
    reasons = reasons_height(view.tier_detail, across - panel.left() - panel.right()) + panel.top() + frame
    return view.height() - margins.top() - margins.bottom() - max(grid.verticalSpacing(), 0) - reasons


def top_row(view: Any, wanted: int) -> None:
    """With the reasons below: the top row (the image, the heading and the review) the review's height, or up to
    ``wanted`` (the image column with the image drawn its width) where the reasons below, whole, leave it that; the
    details below take the rest (their own scroll bar for what follows the reasons)."""
    grid, margins = view.layout(), view.layout().contentsMargins()
    row = max(view.review.maximumHeight(), min(wanted, reasons_leave(view)))
    view.image_box.setMaximumHeight(row)
    rest = view.height() - margins.top() - margins.bottom() - max(grid.verticalSpacing(), 0) - row
    view.scroll.setMaximumHeight(max(view.scroll.minimumHeight(), rest))


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
        drawn = max(left.minimumSize().width(), view.width() - gaps - view.review.minimumSizeHint().width()
                    - view.tier.minimumWidth())  # fmt: skip
        view.opacity_label.setVisible(False)
        view.image_box.setMaximumWidth(drawn)
        frame = 2 * view.image.frameWidth()
        tall = round((drawn - frame) / aspect) + frame  # the image drawn its column's width
        view.image.setMaximumHeight(tall)
        top_row(view, view.image_box.height_for(drawn, tall))
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
