"""Where the Change tab's parts stand, wide or narrow (``ComparisonView._arrange`` and ``_fit_images`` call these).

Wide: the View controls over the images on the left, the verdict (heading and reasons in one label) and the trend
chart on the right. Narrow (a tab less than ``STACKED_BELOW`` wide: 1280x720 at 150 %): one column, the page
scrolling as one: the verdict's heading, the View controls under it (in one row where they fit), the images, the
reasons under them and the chart last. The pair is drawn as wide as the tab (no higher than the tab shows at once,
so that scrolled to it both images are whole in sight), the chart as high as the tab shows at once. With the reasons
beside the images (walkthrough 24) the pair was drawn in the height the heading and controls left, about 90x60 px
with the patient panes shown, and the chart's plot was about 40 px high; before that, with the reasons first, a long
verdict pushed the images below the first screen.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QSizePolicy

from dermadesk.ui.comparison_parts import CAPTION_GAP

STACKED_BELOW = 700  # a narrower tab (1280x720 at 150 %): the heading and the controls above the images
CHART_MIN_HEIGHT = 120  # the trend chart never less high (its labels need it): the page scrolls instead
IMAGES_MIN_HEIGHT = 160  # the pair of images beside the verdict (wide)
NARROW_IMAGES_MIN_HEIGHT = 48  # under the heading (narrow): the least, the difference view's colour scale under it
VIEW_MIN = (220, 120)  # an image view's least size (wide), and under the heading (narrow): the tab's room decides
NARROW_VIEW_MIN = (60, 40)
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"


def arrange(view: Any, stacked: bool) -> None:
    """Place the heading, the controls, the images, the reasons and the chart in ``view.grid`` (see the module)."""
    grid, images = view.grid, view.images_box.layout()
    for w in (view.headline, view.controls, view.images_box, view.verdict, view.chart):
        grid.removeWidget(w)
    images.removeWidget(view.controls)
    top = Qt.AlignmentFlag.AlignTop
    if stacked:  # one column: the heading, the controls, the images, the reasons, the chart
        places = [
            (view.headline, 0, 0, 1, 1, Qt.AlignmentFlag(0)),
            (view.controls, 1, 0, 1, 1, Qt.AlignmentFlag(0)),
            (view.images_box, 2, 0, 1, 1, top | Qt.AlignmentFlag.AlignHCenter),
            (view.verdict, 3, 0, 1, 1, top),
            (view.chart, 4, 0, 1, 1, Qt.AlignmentFlag(0)),
        ]
    else:  # beside the images the verdict is one label, heading and reasons (the heading's own is hidden)
        images.insertWidget(0, view.controls)
        places = [
            (view.images_box, 0, 0, 2, 1, top),  # the images at the page's top when beside the text
            (view.verdict, 0, 1, 1, 1, Qt.AlignmentFlag(0)),
            (view.chart, 1, 1, 1, 1, Qt.AlignmentFlag(0)),
        ]
    for w, row, column, rows, columns, align in places:
        grid.addWidget(w, row, column, rows, columns, align)
    view.headline.setVisible(stacked)
    # wide, each label at least its text's height as it wraps at its hint's width; in one column that height (the
    # text wrapped narrower than the column) made the page taller than its parts, the rest spread between the heading
    # and the controls: there the page is as high as its parts at its width, each label its text's height at it
    grows = QSizePolicy.Policy.Preferred if stacked else QSizePolicy.Policy.Minimum
    for label in (view.headline, view.verdict):
        label.setSizePolicy(QSizePolicy.Policy.Preferred, grows)
    least_w, least_h = NARROW_VIEW_MIN if stacked else VIEW_MIN
    for image in (view.left, view.right, view.single):
        image.setMinimumSize(least_w, least_h)
    view.stack.setMinimumHeight(NARROW_IMAGES_MIN_HEIGHT if stacked else IMAGES_MIN_HEIGHT)
    view.colour_bar.set_compact(stacked)  # under the heading, the difference's scale on one line: little height
    for i in range(5):
        grid.setRowStretch(i, 0)
        grid.setColumnStretch(i, 0)
    if stacked:
        grid.setColumnStretch(0, 1)  # the tab's width
        grid.setRowStretch(4, 1)  # the chart what the images and reasons leave
    else:
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)  # the chart takes what the verdict leaves, at least its minimum


def controls_in_one_row(view: Any, one: bool) -> None:
    """The View box and slider, and the alignment buttons: one row, or the buttons in a row of their own under them
    (a narrow window squeezes the slider, never the buttons)."""
    grid = view.controls.layout()
    if (grid.indexOf(view.buttons_row) >= 0 and grid.getItemPosition(grid.indexOf(view.buttons_row))[0] == 0) == one:
        return
    grid.removeWidget(view.buttons_row)
    grid.addWidget(view.buttons_row, 0 if one else 1, 1 if one else 0)


def fit_images(view: Any) -> None:
    """Wide: the images no higher than the tab (a long verdict made the page, and the images centred in it, taller
    than the tab: only the text was in sight at 1280x720). Narrow: the pair as wide as the page, no higher than the
    page shows at once (the room of the difference view's colour scale under it included, in every view: a change of
    view moves nothing; narrower where that height caps it), and the chart as high as the page shows at once, no
    higher than half its width (its least at least)."""
    box = view.images_box
    if not view.stacked:
        controls_in_one_row(view, False)
        box.setMinimumHeight(box.layout().minimumSize().height())
        box.setMaximumHeight(max(IMAGES_MIN_HEIGHT, view.height()))
        box.setMinimumWidth(0)
        box.setMaximumWidth(QWIDGETSIZE_MAX)
        view.chart.setMinimumHeight(CHART_MIN_HEIGHT)
        view.chart.setMaximumHeight(QWIDGETSIZE_MAX)
        caption_fit(view, None)
        return
    page, grid = view.page.viewport(), view.grid
    margins = grid.contentsMargins()
    width = page.width() - margins.left() - margins.right()
    room = max(view.controls.layout().horizontalSpacing(), 0)
    controls_in_one_row(view, view.tools_row.sizeHint().width() + room + view.buttons_row.sizeHint().width() <= width)
    images = box.layout()
    least = images.minimumSize().height()  # the difference view's scale under the pair included, where shown
    below = view.colour_bar.sizeHint().height() + max(images.spacing(), 0)  # that scale's room, kept in every view
    # each view as wide as half the page and as high as the image drawn at that width under its caption (the single
    # views of the other modes as large: a change of view moves nothing), the whole no higher than the page shows
    pictures = view.pictures
    image = pictures.baseline if pictures is not None else None
    aspect = image.width() / image.height() if image is not None and image.height() else 4 / 3
    frame, handle = 2 * view.left.frameWidth(), view.pair.handleWidth()
    beside = view.captions[0].sizeHint().height() + CAPTION_GAP
    each = max(1.0, (width - handle) / 2 - frame)
    height = round(each / aspect) + frame + beside + below
    if height > page.height():  # higher than the page shows at once: as high as it, as wide as that draws the pair
        height = page.height()
        each = max(1.0, (height - below - beside - frame) * aspect)
    drawn = max(images.minimumSize().width(), min(width, round(2 * (each + frame) + handle)))
    height = max(least, height)
    box.setMinimumSize(drawn, height)
    box.setMaximumSize(drawn, height)
    caption_fit(view, (drawn - handle) / 2)
    chart = max(CHART_MIN_HEIGHT, min(page.height(), width // 2))  # scrolled to, it fills the page: a plot to read
    view.chart.setMinimumHeight(chart)
    view.chart.setMaximumHeight(chart)


def caption_fit(view: Any, room: float | None) -> None:
    """Both images' captions whole ("Baseline · 28 Nov 2025") where both fit the image's ``room`` (None: any), else
    both by their days alone ("28 Nov 2025", the whole in the tooltip; the earlier on the left, as the heading's
    "28 Nov 2025 → 2 Mar 2026" reads them): a caption always says its image's day (cut to "eline · 28 Nov 2" over a
    narrow pair once; then "Baseline · 5 Jan 2026" over "Follow-up" alone). Never narrower than those days: the
    captions' own text set the pair's least width, so a pair widened once (View > Larger images and back) kept
    the width of its whole captions, and the longer of them fell back to its role."""
    font = QFont(view.captions[0].font())
    font.setBold(True)  # as its style sheet draws it
    metrics = QFontMetricsF(font)
    wholes = [caption.toolTip() or caption.text() for caption in view.captions]
    days = [caption.property("day") or whole for caption, whole in zip(view.captions, wholes)]
    fits = room is None or all(metrics.horizontalAdvance(whole) <= room - 4 for whole in wholes)
    least = ceil(max(metrics.horizontalAdvance(day) for day in days)) + 4
    for caption, whole, day in zip(view.captions, wholes, days):
        caption.setMinimumWidth(least)  # the pair's least width follows the days, never the text shown
        caption.setText(whole if fits else day)
