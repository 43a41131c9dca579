"""The assessment of one capture: image + Grad-CAM, probabilities, tier, warnings, notes and decision; for a NOT
ASSESSABLE one the reasons, and no heat map and no probabilities (as the printed report)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from math import ceil

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dermadesk.contract import CLASSES, DISCLAIMER, NOT_ASSESSABLE, TIER_ACTIONS
from dermadesk.contract.manifest import RiskThresholds
from dermadesk.domain.records import DECISIONS, Assessment, Capture
from dermadesk.domain.text import as_stored
from dermadesk.services.advice import Advice
from dermadesk.services.explain import tier_chances, tier_reason
from dermadesk.services.shown_follow_up import ShownFollowUp
from dermadesk.ui.assessment_layout import (  # noqa: F401 - DETAILS_CHARS: here too
    COLUMN_STRETCH,
    DETAILS_CHARS,
    fit_image_column,
    place,
    reasons_below,
)
from dermadesk.ui.assessment_text import not_assessable_detail, not_assessable_intro, warnings_text
from dermadesk.ui.bars_first import BarsFirst
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.image_column import SHORT_DISCLAIMER, ImageColumn  # noqa: F401 - SHORT_DISCLAIMER: here too
from dermadesk.ui.not_assessed import show_heat_map_parts, show_not_assessed
from dermadesk.ui.probability_bars import ProbabilityBars
from dermadesk.ui.quality_words import quality_sentences, quality_warning
from dermadesk.ui.recheck_caption import RecheckCaption
from dermadesk.ui.review_choices import TIP, DecisionBox, DecisionRow, RecheckBox
from dermadesk.ui.tier_line import advice_in_full, advice_line, follow_up_alone
from dermadesk.ui.verdict_colour import verdict_style
from dermadesk.ui.whole_lines import WholeLines
from dermadesk.domain.dates import human_datetime
from dermadesk.ui.widgets import notes_keys

TIER_COLOURS = {"low": "#2e7d32", "monitor": "#f9a825", "refer": "#ef6c00", "urgent": "#c62828"}
HEADING_PT = 14.0  # the risk tier's heading, in points
WARNING_STYLE = "background: #fff3cd; color: #5d4200; border: 1px solid #e0b000;"


class AssessmentView(QWidget):
    """Shows a capture and its latest assessment; ``review_saved(capture_id, decision, notes)``."""

    review_saved = Signal(int, object, str)

    def __init__(self, parent: QWidget | None = None, dialogs: DialogService | None = None) -> None:
        super().__init__(parent)
        self.capture: Capture | None = None
        self.image_box = box = ImageColumn()  # the image, its heat map's key and tools, the short disclaimer
        # its parts by their names here too (``assessment_layout`` and ``not_assessed`` place and show them)
        self.image, self.cam_toggle, self.opacity = box.image, box.cam_toggle, box.opacity
        self.opacity_label, self.heat_key, self.no_cam = box.opacity_label, box.heat_key, box.no_cam
        self.fit_btn, self.heat_tools, self.disclaimer = box.fit_btn, box.heat_tools, box.disclaimer
        self.left, self.image_min_height = box.column, box.image_min_height
        self.bars = ProbabilityBars()
        self.tier = QLabel()
        self.tier.setWordWrap(True)
        self.tier.setAccessibleName("Risk tier")
        heading = QFont(self.tier.font())
        heading.setPointSizeF(HEADING_PT)
        # its two lines kept for "Not assessed yet." too: the panes' heights do not follow the capture shown
        self.tier.setMinimumHeight(ceil(QFontMetricsF(heading).height()) + self.tier.fontMetrics().height() + 2)
        self.quality_line = QLabel()  # a quality warning in a few words, in sight under the tier (details below)
        self.quality_line.setWordWrap(True)
        self.quality_line.setAccessibleName("Image quality warning")
        self.quality_line.setStyleSheet(f"{WARNING_STYLE} padding: 1px 4px;")
        self.quality_line.hide()
        self.tier_detail = QLabel()  # the recommendation or the reasons, in the scrolling part below the tier
        self.tier_detail.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"{WARNING_STYLE} padding: 6px;")
        self.change = QLabel()  # the change since the baseline, so a significant one is not on another tab only
        self.change.setWordWrap(True)
        self.change.setAccessibleName("Change since baseline")
        self.change.hide()
        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        self.decision = DecisionBox(DECISIONS)
        self.recheck = RecheckBox(dialogs=dialogs)  # a 'monitor' decision's own re-check interval; blank: the tier's
        self.decision.currentTextChanged.connect(self.recheck.follow)
        self.recheck.follow("")
        self.notes = QPlainTextEdit(placeholderText="Clinician notes")
        self.notes.setAccessibleName("Clinician notes")
        self.save = QPushButton("Save review")
        self.save.setToolTip("Save the decision, its re-check interval and the notes for this capture")
        notes_keys(self.notes, self.save)
        self.review = self._review_box()
        disclaimer = QLabel(DISCLAIMER)
        disclaimer.setWordWrap(True)
        disclaimer.setStyleSheet("color: #666; font-size: 9pt;")

        panel = QWidget()
        right = QVBoxLayout(panel)
        right.setContentsMargins(0, 0, 4, 0)
        for widget in (self.tier_detail, self.change, self.warnings, self.bars, self.model_label, disclaimer):
            right.addWidget(widget)
        right.addStretch(1)
        self.scroll = scroll = QScrollArea()  # on small screens the details scroll instead of squeezing widgets
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.whole_lines = WholeLines(scroll)  # its end between two lines, never across one (half a line in sight)
        # where the pane is narrow or short, the probabilities one line a class, highest first, before the explanation
        # (after the change and the warnings where those fit with them)
        said = (self.change, self.warnings)
        self.bars_first = BarsFirst(scroll, self.bars, (self.tier_detail, *said), keep=said)
        # never narrower than its content (text cut at the right edge): the image beside it narrows instead
        scroll.setMinimumWidth(panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        # three lines at least (not Qt's 68 px): with a quality warning above them the review keeps its height
        scroll.setMinimumHeight(3 * self.tier_detail.fontMetrics().lineSpacing())
        self.review_column = review_column = QVBoxLayout()
        review_column.addWidget(self.review)
        review_column.addStretch(1)
        # three columns: image, details, review. The risk tier above the details and the review, and the review
        # beside the details, not below them: both in sight without scrolling, however short the tab (at 150 % on
        # a 1280x720 screen the review was below the fold). The image column, drawn no wider than its height
        # allows, narrows first. An image quality warning in a few words right under the tier, above the details
        # only: the review keeps its height (at 150 % it had none to spare).
        # A NOT ASSESSABLE capture's reasons below all three where beside they were three words a line
        # (``assessment_layout``).
        self.details = details = QVBoxLayout()
        details.setSpacing(4)
        details.addWidget(self.quality_line)
        details.addWidget(scroll, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)  # little height spent on gaps: a referral prompt above the tabs takes some
        grid.setVerticalSpacing(2)
        self.below = False  # a NOT ASSESSABLE capture's reasons below the image, the tier and the review
        self.tools_least = self.left.minimumSize().width()  # the image's tools' width (beside the details)
        place(self, False)
        for column, stretch in enumerate(COLUMN_STRETCH):
            grid.setColumnStretch(column, stretch)

        self.cam_toggle.toggled.connect(lambda _: self._fit_image_column())  # the key's line given to the image
        self.save.clicked.connect(self._save)
        self._image: QImage | None = None
        self._assessment: Assessment | None = None  # the capture's shown, and its model's thresholds
        self._thresholds: RiskThresholds | None = None
        self._overlay: QImage | None = None
        self.model_problem = ""  # why no model can be used ('' where one can): said for a capture not assessed
        # a capture's assessment out of date in words (its modality corrected since: ``services.modality``), '' none
        self.outdated_of: Callable[[int], str] | None = None
        # the decision and notes the review box was filled with: a save compares the stored ones with them
        self.loaded: tuple[str | None, str] = (None, "")
        self.loaded_recheck: int | None = None  # and the re-check interval (months) it was filled with
        self.keep_review = False  # while the register is read again (``register_watch``): typing for it stays
        self.show_capture(None, None)

    def _review_box(self) -> QGroupBox:
        """Decision, notes and Save, compact: in sight beside the details at 150 % on a 1280x720 screen."""
        line = self.notes.fontMetrics().lineSpacing()
        self.notes.setMinimumHeight(2 * line + 2 * self.notes.frameWidth() + 6)  # two lines; it scrolls itself
        self.notes.setMaximumHeight(8 * line)
        review = QGroupBox("Clinician review")
        form = QFormLayout(review)
        form.setContentsMargins(4, 2, 4, 2)
        form.setHorizontalSpacing(4)
        form.setVerticalSpacing(2)
        # the re-check interval beside the decision it goes with ("monitor", "12 months"), the review's whole width:
        # the decision says its name itself (``DecisionBox``)
        form.addRow(DecisionRow(self.decision, self.recheck))
        self.recheck_label = RecheckCaption(self.recheck, review, TIP)  # over the box, in the title's line
        form.addRow(self.notes)  # the review's whole width; its placeholder names it
        form.addRow(self.save)
        return review

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_image_column()

    def _fit_image_column(self) -> None:
        """The reasons of a NOT ASSESSABLE capture below the rest or beside the image (``reasons_below``), and the
        image's width (``assessment_layout.fit_image_column``)."""
        a = self._assessment  # a NOT ASSESSABLE capture's reasons, or why no model can be used: to be read
        declined = not a.assessable if a is not None else self.capture is not None and bool(self.model_problem)
        if (below := reasons_below(self, declined)) != self.below:
            self.below = below
            place(self, below)
            self._not_assessable_texts()
        fit_image_column(self, self._image, declined)

    def _heading(self, text: str) -> str:
        """The tier's heading, never broken (at 150 % "Risk tier: URGENT" broke after "tier:"): the label at least
        as wide as it, beside its 8 px colour bar and 8 px padding; the image beside it narrows instead."""
        font = QFont(self.tier.font())
        font.setPointSizeF(HEADING_PT)
        font.setBold(True)
        self.tier.setMinimumWidth(ceil(QFontMetricsF(font).horizontalAdvance(text)) + 16 + 2 * self.tier.margin() + 8)
        return f"<b style='font-size:{HEADING_PT:g}pt; white-space:nowrap'>{escape(text)}</b>"

    def show_change(self, verdict: str | None, first_reason: str = "", since: str = "", answered: str = "") -> None:
        """One line on the change since the baseline (from the stored comparison); hidden without one. ``since``: the
        baseline as ``ChangeLine.baseline`` names it ("5 Jan 2026", its time where that day has another); ``answered``:
        why a SIGNIFICANT one raises no ⚠ flag (``standing.change_answered``: "reviewed on 30 Mar 2026 (decision
        monitor), since then: NOT SIGNIFICANT")."""
        if not verdict:
            self.change.hide()
            return
        style = verdict_style(verdict)  # NOT SIGNIFICANT not green: it says nothing about malignancy
        see = " See the Change since baseline tab." if verdict != "not significant" else ""
        why = escape(answered).replace("NOT SIGNIFICANT", "<b>NOT SIGNIFICANT</b>")
        self.change.setText(
            f"<b style='{style}'>Change since {escape(since)}: {verdict.upper()}</b>"
            f" ({escape(first_reason)}){'; ' + why if why else ''}.{see}"
        )
        self.change.show()

    def show_capture(
        self, capture: Capture | None, assessment: Assessment | None, thresholds: RiskThresholds | None = None
    ) -> None:
        """Text, bars and review for ``capture``; its image and heat map follow via ``set_capture_image``.
        ``thresholds``: those of the model that assessed it, to say why the tier is what it is."""
        typed = self.keep_review and capture is not None and self.capture is not None and capture.id == self.capture.id
        typed = typed and self.unsaved_review() is not None  # the same capture read again: its typing stays
        self.capture = capture
        self._assessment, self._thresholds = assessment, thresholds  # the tier's advice, again with the change's
        self.follow_up: ShownFollowUp | None = None  # the lesion's next follow-up, under the tier (``show_advice``)
        self._image = self._overlay = None
        self.scroll.verticalScrollBar().setValue(0)  # each capture opens at the top of its panel
        self.show_change(None)
        self.setEnabled(capture is not None)
        self.image.set_image(None)
        self.recheck.set_tier(
            None if assessment is None else assessment.risk_tier if assessment.assessable else NOT_ASSESSABLE
        )
        if not typed:
            self.reset_review()
        self._withhold_heat_map(assessment is not None and not assessment.assessable)
        self.disclaimer.setVisible(assessment is not None and assessment.assessable)  # beside a tier
        show_heat_map_parts(self, assessment is not None)
        if assessment is None:
            show_not_assessed(self, capture)  # why not, or how to assess it
            self._fit_image_column()  # why no model can be used: read as a NOT ASSESSABLE capture's reasons
            return
        a = assessment
        if a.assessable:
            colour = TIER_COLOURS.get(a.risk_tier or "", "#444")
            self._show_tier(a, None)
        else:
            colour = "#b00020"
            self._not_assessable_texts()  # before the fit: the image takes the height its reasons leave
            self._fit_image_column()  # its reasons below the rest, or beside the image (said again where they move)
        self.tier.setStyleSheet(f"border-left: 8px solid {colour}; padding-left: 8px;")
        self.bars.set_probabilities(a.probabilities, withheld=not a.assessable)
        self.warnings.setText(warnings_text(a))
        self.warnings.setVisible(bool(self.warnings.text()))
        short = quality_warning(a)  # an assessed capture's only: a NOT ASSESSABLE one has no tier to qualify
        self.quality_line.setText(f"<b>⚠ Image quality:</b> {escape(short)}" if short else "")
        self.quality_line.setToolTip(f"{quality_sentences(a)}\n(in the details below)" if short else "")
        self.quality_line.setVisible(bool(short))
        device = "GPU (CUDA)" if a.provider.startswith("CUDA") else "CPU"
        self.model_label.setText(
            f"Model {a.model_name} {a.model_version}, run on {device}, {human_datetime(a.created_at)}"
        )

    def _not_assessable_texts(self) -> None:
        """A NOT ASSESSABLE capture's heading, what that means and its reasons: the meaning under the heading where
        the reasons stand below (in the room the review's height leaves there), else all in the details."""
        a = self._assessment
        if a is None or a.assessable:
            return
        said = escape(not_assessable_intro()) if self.below else "No risk tier: why, below."
        self.tier.setText(self._heading("NOT ASSESSABLE") + "<br>" + said + follow_up_alone(self.follow_up))
        indent = self.tier_detail.fontMetrics().horizontalAdvance("• ")
        self.tier_detail.setText(not_assessable_detail(a, indent, intro=not self.below))

    def set_model_problem(self, why: str) -> None:
        """Why no model can be used ('' once one can), as the status bar's model field says it: the panel says it
        for a capture not assessed."""
        self.model_problem = why
        if self._assessment is None:
            show_not_assessed(self, self.capture)
            self._fit_image_column()

    def show_advice(self, advice: Advice | None, follow_up: ShownFollowUp | None = None) -> None:
        """The advice under the tier as the lesion's change since the baseline shapes it (``services.advice``: a
        SIGNIFICANT change nobody answered is named there, never "re-check in about 12 months" above it); the model's
        own with None. Beside it the lesion's next follow-up (``tier_line``: first, in bold, where the clinician's
        interval sets it). A NOT ASSESSABLE capture has no tier to advise on: the follow-up alone, under what that
        means, and its re-check box names the tier the follow-up counts from (an earlier result's, where one stands)."""
        self.follow_up = follow_up
        a = self._assessment
        if a is not None and a.assessable:
            self._show_tier(a, advice)
        elif a is not None:
            self.recheck.set_tier(follow_up.tier if follow_up is not None else NOT_ASSESSABLE)
            self._not_assessable_texts()

    def _show_tier(self, a: Assessment, advice: Advice | None) -> None:
        """The tier's heading and its advice, in sight however small the text pane below (in red where the lesion's
        change nobody answered shaped it); the reason, the most likely class and the advice in full below."""
        action = advice.line if advice is not None else TIER_ACTIONS.get(a.risk_tier or "", "")
        unanswered, changed = (advice.unanswered, advice.change) if advice is not None else (False, False)
        mal, mel = tier_chances(a, self._thresholds)  # as the reason below says them ("19.6%" beside 20 %)
        self.tier.setText(
            self._heading(f"Risk tier: {(a.risk_tier or '').upper()}")
            + "<br>"
            + advice_line(action, unanswered, changed, self.follow_up)  # "; " after each: no "·" alone at a line end
            + f"malignant {mal} (melanoma {mel})"
        )
        why = tier_reason(a, self._thresholds)  # the tier comes from the probabilities, not the most likely class
        full = advice_in_full(advice.text if advice is not None else a.recommendation or "", changed, self.follow_up)
        self.tier_detail.setText(
            f"{escape(why)}<br>" * bool(why)
            + f"Most likely class: {escape(next(c.name for c in CLASSES if c.code == a.top_class))}"
            + f"<br>{escape(full)}"
        )

    def _withhold_heat_map(self, withheld: bool) -> None:
        """For a NOT ASSESSABLE capture the image alone (``ImageColumn.withhold_heat_map``), the column fitted again."""
        if self.image_box.withhold_heat_map(withheld):
            self._fit_image_column()

    def set_capture_image(self, capture_id: int, image: QImage | None) -> None:
        """The capture's image (or a thumbnail standing in while it loads); ignored if the user moved on."""
        if self.capture is None or self.capture.id != capture_id or image is None:
            return
        self._image = image
        self.image.set_image(image, self._overlay)
        self._fit_image_column()

    def set_capture_overlay(self, capture_id: int, overlay: QImage | None) -> None:
        if self.capture is None or self.capture.id != capture_id or overlay is None or self.image_box.withheld:
            return
        self._overlay = overlay
        if self._image is not None:
            self.image.set_overlay(overlay)

    def unsaved_review(self) -> tuple[int, str | None, str] | None:
        """(capture id, decision, notes) when the review box differs from what it was filled with (``loaded``, and
        ``loaded_recheck``: a re-check interval chosen is typing too)."""
        c = self.capture
        if c is None:
            return None
        decision, notes = self.decision.currentText() or None, self.notes.toPlainText()
        typed = (decision, as_stored(notes, multiline=True), self.recheck_months())  # as stored: a trailing space or
        same = typed == (self.loaded[0], as_stored(self.loaded[1], True), self.loaded_recheck)  # line end: no change
        return None if same else (c.id, decision, notes)

    def recheck_months(self) -> int | None:
        """The re-check interval chosen, where the decision is 'monitor' (it counts for nothing with another)."""
        return self.recheck.months() if self.decision.currentText() == "monitor" else None

    def review_stored(self, capture: Capture) -> None:
        """``capture``'s review as now stored: the box no longer counts as unsaved (it is not refilled)."""
        if self.capture is not None and self.capture.id == capture.id:
            self.capture = capture
            self.loaded = (capture.decision or None, capture.clinician_notes)
            self.loaded_recheck = capture.recheck_months if capture.decision == "monitor" else None

    def reset_review(self) -> None:
        """The review box as stored for the capture shown (unsaved typing let go)."""
        self.loaded = (self.capture.decision or None, self.capture.clinician_notes) if self.capture else (None, "")
        c = self.capture  # an interval counts with 'monitor' only (one beside another decision: not typing here)
        self.loaded_recheck = c.recheck_months if c is not None and c.decision == "monitor" else None
        self.decision.setCurrentText(self.loaded[0] or "")
        self.recheck.set_months(self.loaded_recheck)
        self.notes.setPlainText(self.loaded[1])

    def _save(self) -> None:
        if self.capture is not None:
            self.review_saved.emit(self.capture.id, self.decision.currentText() or None, self.notes.toPlainText())
