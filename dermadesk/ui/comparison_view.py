"""Change since the baseline: side by side (linked zoom/pan), blend, swipe and difference map, and the trend.

The pictures are computed once per pair in a worker (``comparison_pictures``); changing the mode or moving the
slider only picks and clips them.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dermadesk.analysis.change import ChangeResult
from dermadesk.ui.colour_bar import ColourBar
from dermadesk.ui.comparison_layout import (  # noqa: F401 - CHART_MIN_HEIGHT, IMAGES_MIN_HEIGHT: here too
    CHART_MIN_HEIGHT,
    IMAGES_MIN_HEIGHT,
    STACKED_BELOW,
    arrange,
    fit_images,
)
from dermadesk.ui.comparison_parts import (  # noqa: F401 - ComparisonPictures, comparison_pictures: here too
    ComparisonPictures,
    area_html,
    area_line,
    captioned,
    colour_tooltip,
    comparison_pictures,
)
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.images import ImageView
from dermadesk.ui.manual_align import ManualAlignDialog
from dermadesk.domain.dates import human_date
from dermadesk.services.risk_record import said_once
from dermadesk.ui.trend_chart import TrendChart
from dermadesk.ui.verdict_colour import verdict_style

MODES = ("Side by side", "Blend", "Swipe", "Difference")
# what the slider does in each mode: (its label, its tooltip); it does nothing in the other modes
SLIDER_ROLES = {
    "Blend": ("Follow-up opacity", "Blend: left shows the baseline only, right the follow-up only"),
    "Swipe": ("Swipe line", "Swipe: the baseline left of the line, the follow-up right of it; drag to move the line"),
}
SLIDER_IDLE = ("Blend / swipe", "Choose Blend or Swipe under View to compare the images with this slider")


class ComparisonView(QWidget):
    """Verdict, images and trend of one baseline/follow-up pair; the user can align the pair by hand."""

    align_requested = Signal(list)  # [((x, y) baseline, (x, y) follow-up)] in the captures' original pixels
    reset_requested = Signal()

    def __init__(self, dialogs: DialogService | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs or DialogService(self)
        self.result: ChangeResult | None = None
        self.pictures: ComparisonPictures | None = None
        # the last pairs sent for a result: shown again if the alignment from them is refused
        self._refused_points: tuple[ChangeResult, list] | None = None
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.slider_label = QLabel()  # says what the slider does in the chosen mode
        self.slider_label.setBuddy(self.slider)
        metrics = self.slider_label.fontMetrics()  # as wide as its longest text: changing mode moves nothing
        texts = [label for label, _ in (*SLIDER_ROLES.values(), SLIDER_IDLE)]
        self.slider_label.setMinimumWidth(max(metrics.horizontalAdvance(t) for t in texts) + 4)
        self._slider_role(None)
        self.left, self.right, self.single = ImageView(), ImageView(), ImageView()
        self.left.transform_changed.connect(self.right.follow)
        self.right.transform_changed.connect(self.left.follow)
        self.captions = (QLabel(), QLabel())  # "Baseline · 25 Aug 2026", "Follow-up · 23 Nov 2026"
        self.pair = QSplitter()
        self.pair.addWidget(captioned(self.left, self.captions[0]))
        self.pair.addWidget(captioned(self.right, self.captions[1]))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pair)
        self.stack.addWidget(self.single)
        # the verdict's heading ("SIGNIFICANT (date → date)") and its reasons: one label beside the images; where
        # the tab is narrow the heading stands above the images and the reasons under them (``_show_verdict``)
        self.headline, self.verdict = QLabel(), QLabel()
        for label in (self.headline, self.verdict):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
        self._verdict_parts = ("Select a lesion with two or more captures.", "")
        self.chart = TrendChart()
        self.chart.setMinimumHeight(CHART_MIN_HEIGHT)
        self.align_button = QPushButton("Align by hand…")
        self.align_button.setToolTip(
            "Mark two or three matching spots on both images when the automatic alignment was refused or looks wrong"
        )
        self.reset_button = QPushButton("Automatic alignment")
        self.reset_button.setToolTip("Drop the manual alignment and compare with the automatic one again")
        self.align_button.clicked.connect(self.open_manual_alignment)
        self.reset_button.clicked.connect(self.reset_requested.emit)
        self.colour_bar = ColourBar()  # the difference map's scale, shown with it (its room kept: ``render``)
        self.colour_bar.hide()
        tools = QHBoxLayout()
        self.view_label = QLabel("View")
        self.view_label.setBuddy(self.mode)
        tools.addWidget(self.view_label)
        tools.addWidget(self.mode)
        tools.addSpacing(12)
        tools.addWidget(self.slider_label)
        tools.addWidget(self.slider, 1)
        buttons = QHBoxLayout()  # a row of their own where narrow: it squeezes the slider, never the buttons
        buttons.addWidget(self.align_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        self.tools_row, self.buttons_row = QWidget(), QWidget()
        for row, layout in ((self.tools_row, tools), (self.buttons_row, buttons)):
            layout.setContentsMargins(0, 0, 0, 0)
            row.setLayout(layout)
        self.controls = QWidget()  # over the images (wide), or the tab's width under the heading (narrow)
        controls = QGridLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.tools_row, 0, 0)
        controls.addWidget(self.buttons_row, 1, 0)  # the alignment buttons near the top: in sight without scrolling
        controls.setColumnStretch(0, 1)
        for label in (self.headline, self.verdict):
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)  # its whole text
        images = QVBoxLayout()
        images.setContentsMargins(0, 0, 0, 0)
        images.addWidget(self.controls)
        images.addWidget(self.stack, 1)
        images.addWidget(self.colour_bar)
        self.images_box = QWidget()
        self.images_box.setLayout(images)
        self.chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        page = QWidget()
        self.grid = QGridLayout(page)  # placed by ``_arrange``: beside each other, or one above the other
        self.grid.setContentsMargins(0, 0, 4, 0)
        self.stacked: bool | None = None
        self._arrange(False)
        # one scroll area for the whole tab (no box that scrolls inside another): the verdict shows its whole
        # text and the chart keeps its minimum height, and a short tab scrolls as one page
        self.page = QScrollArea()
        self.page.setWidget(page)
        self.page.setWidgetResizable(True)
        self.page.setFrameShape(QFrame.Shape.NoFrame)
        self.page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page)
        self.mode.currentIndexChanged.connect(self.render)
        self.slider.valueChanged.connect(self.slider_moved)
        self._view_controls(False)  # nothing compared yet

    def _view_controls(self, aligned: bool) -> None:
        """The View box (and its label) usable only with an aligned pair shown: greyed with no comparison (after
        a restore or a lesion's deletion it stayed enabled over empty images) and before the pair is aligned."""
        self.mode.setEnabled(aligned)  # nothing to blend or subtract before the pair is aligned
        self.view_label.setEnabled(aligned)
        if not aligned:  # the slider too (with an aligned pair ``render`` enables it for Blend and Swipe)
            self.slider.setEnabled(False)
            self.slider_label.setEnabled(False)

    def _arrange(self, stacked: bool) -> None:
        """Wide: the controls and the images left, the verdict and the chart right. Narrow (``stacked``): the
        verdict's heading, then the controls, then the images as wide as the tab, then the reasons, then the chart,
        the page scrolling as one (``comparison_layout``)."""
        if stacked == self.stacked:
            return
        self.stacked = stacked
        arrange(self, stacked)
        self._show_verdict()
        self._fit_images()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._arrange(self.width() < STACKED_BELOW)  # beside the images the verdict and chart were a thin strip
        self._fit_images()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """The images and the chart fitted again when the page's viewport is resized (its scroll bar comes or goes,
        the tab is made higher): they are fitted to its width and height."""
        if watched is self.page.viewport() and event.type() == QEvent.Type.Resize and self.stacked:
            self._fit_images()
        return super().eventFilter(watched, event)

    def _fit_images(self) -> None:
        """The images' height and width for the arrangement and the tab's size (``comparison_layout.fit_images``)."""
        fit_images(self)

    def set_verdict(self, heading: str, reasons: str = "") -> None:
        """The verdict's ``heading`` (a message alone where nothing was compared) and its ``reasons``."""
        self._verdict_parts = (heading, reasons)
        self._show_verdict()
        self._fit_images()

    def verdict_text(self) -> str:
        """The whole verdict as shown, heading and reasons, in whichever arrangement."""
        return "".join(self._verdict_parts)

    def _show_verdict(self) -> None:
        heading, reasons = self._verdict_parts
        self.headline.setText(heading if self.stacked else "")
        self.headline.setVisible(bool(self.stacked))
        self.verdict.setText(reasons if self.stacked else heading + reasons)
        self.verdict.setVisible(bool(self.verdict.text()))

    def _slider_role(self, mode: str | None) -> None:
        label, tip = SLIDER_ROLES.get(mode or "", SLIDER_IDLE)
        self.slider_label.setText(label)
        for widget in (self.slider_label, self.slider):
            widget.setToolTip(tip)
        self.slider.setAccessibleName(label)

    def set_busy(self, busy: bool) -> None:
        """While a comparison runs, the shown pair is about to change: no alignment actions on it."""
        manual = bool(self.result and self.result.alignment and self.result.alignment.method == "manual")
        self.align_button.setEnabled(not busy and bool(self.result and self.result.followup_image is not None))
        self.reset_button.setEnabled(not busy and manual)

    def manual_dialog(self) -> ManualAlignDialog | None:
        """The point-marking dialog for the shown pair (pre-filled with its manual points, if any)."""
        r = self.result
        if r is None or r.baseline_image is None or r.followup_image is None:
            return None
        sb, sf = r.work_scales
        sizes = (
            (round(r.baseline_image.shape[1] / sb), round(r.baseline_image.shape[0] / sb)),
            (round(r.followup_image.shape[1] / sf), round(r.followup_image.shape[0] / sf)),
        )
        points = r.manual_points
        if self._refused_points is not None and self._refused_points[0] is r:  # refused: the marks come back
            points = [[list(b), list(f)] for b, f in self._refused_points[1]]  # original pixels, as stored
        marked = [((xb * sb, yb * sb), (xf * sf, yf * sf)) for (xb, yb), (xf, yf) in points]
        return ManualAlignDialog(r.baseline_image, r.followup_image, self, (sb, sf), sizes, marked)

    def apply_manual(self, dialog: ManualAlignDialog) -> None:
        """Emit the dialog's pairs in the captures' original pixels (the dialog shows working copies)."""
        pairs = dialog.original_pairs()
        if len(pairs) >= 2 and not dialog.problem():
            self._refused_points = (self.result, pairs)  # kept until a result for them arrives
            self.set_busy(True)
            self.align_requested.emit(pairs)

    def open_manual_alignment(self, refusal: str = "") -> None:
        """The point-marking window; ``refusal``: why the last points were refused, shown in it with them."""
        dialog = self.manual_dialog()
        if dialog is not None and refusal:
            dialog.refused(refusal)
        if dialog is not None and self.dialogs.run_dialog(dialog):
            self.apply_manual(dialog)

    def alignment_refused(self, reason: str) -> None:
        """The hand alignment was refused once the outlines were compared: the window again, the points kept
        and the reason in it (it said "overlap 6 %" after the window had closed, the points gone)."""
        self.set_busy(False)
        if self._refused_points is not None and self._refused_points[0] is self.result:
            QTimer.singleShot(0, lambda: self.open_manual_alignment(reason))  # once the task has ended

    def show_result(
        self, pictures: ComparisonPictures | None, result: ChangeResult | None, dates: tuple[str, str]
    ) -> None:
        self.pictures, self.result = pictures, result
        self._refused_points = None
        manual = bool(result and result.alignment and result.alignment.method == "manual")
        self.set_busy(False)
        self.align_button.setText("Adjust alignment by hand…" if manual else "Align by hand…")
        for label in (self.headline, self.verdict):
            label.setToolTip(colour_tooltip(result) if result is not None else "")
        self.images_box.setHidden(result is None or pictures is None)  # no empty frames: the words say why
        self.controls.setHidden(result is None or pictures is None)  # nothing to view or align (narrow: its own row)
        self.page.verticalScrollBar().setValue(0)  # a new result from its heading (it kept the old scroll)
        for caption, role, name in zip(self.captions, ("Baseline", "Follow-up"), dates):
            caption.setText(f"{role} · {human_date(name)}" if name else role)  # the day alone where too narrow
            caption.setProperty("day", human_date(name) if name else role)
            caption.setToolTip(caption.text())
        if result is None or pictures is None:
            self.set_verdict("Select a lesion with two or more captures.")
            self.left.set_image(None)
            self.right.set_image(None)
            self.single.set_image(None)
            self.colour_bar.hide()
            self._slider_role(None)
            self._view_controls(False)
            return
        style = verdict_style(result.verdict)  # NOT SIGNIFICANT in the text's colour, never green
        # "score 0.04 < 0.35" is text; neither capture assessable for the same reasons: said once
        items = "".join(f"<li>{escape(r)}</li>" for r in said_once(result.reasons))
        self.set_verdict(
            f"<b style='font-size:13pt; {style}'>{result.verdict.upper()}</b> "
            f"({human_date(dates[0])} → {human_date(dates[1])})",
            f"<ul style='margin-top:2px; margin-bottom:0px; -qt-list-indent:1'>{items}</ul>"
            + (f"<p style='margin-top:2px'>{area_html(area)}</p>" if (area := area_line(result)) else ""),
        )
        self.render()

    def show_nothing(self, words: str) -> None:
        """Nothing to compare for the lesion shown, and why ("No captures yet", "Only one capture: ...")."""
        self.show_result(None, None, ("", ""))
        self.set_verdict(words)

    def show_cancelled(self) -> None:
        """The comparison was cancelled before it finished: say so, show nothing half-made."""
        self.show_result(None, None, ("", ""))
        self.set_verdict("Comparison cancelled: nothing was compared. Select the capture again to compare.")

    def render(self) -> None:
        """Show the pictures of the chosen mode (no pixel work: the worker made them)."""
        p = self.pictures
        if p is None:
            return
        mode = MODES[self.mode.currentIndex()]
        self.slider.setEnabled(p.aligned and mode in SLIDER_ROLES)
        self.slider_label.setEnabled(self.slider.isEnabled())
        self._slider_role(mode if p.aligned else None)
        self._view_controls(p.aligned)
        self.colour_bar.hide()
        policy = self.colour_bar.sizePolicy()  # its room kept in the single view: switching there never jumps;
        policy.setRetainSizeWhenHidden(p.aligned and mode != "Side by side")  # no gap under the pair
        self.colour_bar.setSizePolicy(policy)
        self._fit_images()  # (narrow: the images' room is fitted with the scale's room in it)
        if not p.aligned or mode == "Side by side":  # not aligned: both as they are, to align them by hand
            self.stack.setCurrentIndex(0)
            self.left.set_image(p.baseline)
            self.right.set_image(p.followup)
            return
        self.stack.setCurrentIndex(1)
        self.colour_bar.setVisible(mode == "Difference")
        if mode == "Difference":
            self.single.set_image(p.difference)
            return
        self.single.set_image(p.baseline, p.followup)
        self.slider_moved()

    def slider_moved(self) -> None:
        """Blend: the follow-up's opacity; swipe: where the follow-up starts. Only the display changes."""
        if self.pictures is None or self.stack.currentIndex() != 1:
            return
        mode, value = MODES[self.mode.currentIndex()], self.slider.value() / 100
        if mode == "Blend":
            self.single.set_split(None)
            self.single.set_overlay_opacity(value)
        elif mode == "Swipe":
            self.single.set_overlay_opacity(1.0)
            self.single.set_split(value)
