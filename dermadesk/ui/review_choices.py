"""The review box's decision and, beside it, the re-check interval: the clinician's own for a 'monitor' decision
(1, 3, 6, 12 or 24 months; one stored from the command line, e.g. 18, is added to the list to be shown), or the first
choice, "As the tier suggests (3 months)": the follow-up interval the risk tier gives. Only a 'monitor' decision
takes one: the box is off (and blank) for any other, and its value then counts for nothing.

At 150 % on a 1280x720 screen the review has neither a row more nor a column wider to spare (the window scrolled,
the details narrowed to 89 px): the two share the decision's row, the decision saying its name itself where none is
chosen (greyed "Decision", as a placeholder), and the closed re-check box few words ("12 mo", "tier"); its list
says them whole ("12 months", "As the tier suggests (3 months)"), its tooltip what it is."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

from dermadesk.domain.follow_up import months_words
from dermadesk.services.follow_up import FOLLOW_UP
from dermadesk.ui.widgets import StillComboBox

OFFERED = (1, 3, 6, 12, 24)  # months
TIER_WORDS = "As the tier suggests"
TIP = "Re-check in: when to see the lesion again, counted from the day the 'monitor' decision is saved"
ONLY_MONITOR = "A re-check interval goes with the decision 'monitor' only: choose 'monitor' to set one"


def tier_interval(tier: str | None) -> str:
    """The interval a 'monitor' decision leaves to the tier ("3 months"; an URGENT or REFER result the clinician
    answered 'monitor' is monitored as a MONITOR one), '' where the tier gives none (not assessed or assessable)."""
    tier = "monitor" if tier in ("refer", "urgent") else tier
    return FOLLOW_UP[tier][0] if tier in FOLLOW_UP else ""


class RecheckBox(StillComboBox):
    """The first choice (None: the tier's interval) or a number of months (``months``, ``set_months``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Re-check in")
        self.addItem(TIER_WORDS, None)
        for months in OFFERED:
            self.addItem(months_words(months), months)
        self.tier_words = "tier"  # shown closed for the first choice; "12 mo" for 12 months (``shown``)
        self.follow("")

    def set_tier(self, tier: str | None) -> None:
        """The first choice names the tier's interval: "As the tier suggests (3 months)"."""
        interval = tier_interval(tier)
        self.setItemText(0, f"{TIER_WORDS} ({interval})" if interval else TIER_WORDS)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for the longest of the closed box's words, not for the popup's "As the tier suggests (3 months)"."""
        hint, metrics = super().sizeHint(), self.fontMetrics()
        words = [self.tier_words, *(f"{self.itemData(i)} mo" for i in range(1, self.count()))]
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = QSize(max(map(metrics.horizontalAdvance, words)), metrics.height())
        return QSize(
            self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, self).width(), hint.height()
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.sizeHint()

    def shown(self) -> str:
        """What the closed box says: "12 mo", "tier"; nothing where the decision is not 'monitor'."""
        if not self.isEnabled():
            return ""
        return f"{self.months()} mo" if self.currentIndex() > 0 else self.tier_words

    def months(self) -> int | None:
        return self.currentData()

    def set_months(self, months: int | None) -> None:
        """Shows ``months`` (added to the list where it is not offered: one saved by a command), or the tier's."""
        index = self.findData(months) if months else 0
        if index < 0:
            after = [i for i in range(1, self.count()) if self.itemData(i) < months]
            index = (after[-1] + 1) if after else 1
            self.insertItem(index, months_words(months), months)
        self.setCurrentIndex(index)

    def follow(self, decision: str) -> None:
        """On for a 'monitor' decision only; its tooltip says why where it is off."""
        self.setEnabled(decision == "monitor")
        self.setToolTip(TIP if decision == "monitor" else ONLY_MONITOR)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """The closed box with its few words (``shown``), the popup with the whole ones."""
        paint_saying(self, self.shown())


class DecisionBox(StillComboBox):
    """The decision ("" none, then ``DECISIONS``), saying "Decision" greyed where none is chosen."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItems(["", *choices])
        self.setAccessibleName("Decision")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        paint_saying(self, self.currentText(), "Decision")


def paint_saying(box: QComboBox, text: str, placeholder: str = "") -> None:
    """``box`` closed, saying ``text``, or where that is empty ``placeholder`` in the placeholder's grey."""
    painter = QStylePainter(box)
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    option.currentText = text or placeholder
    if not text:
        option.palette.setColor(QPalette.ColorRole.ButtonText, box.palette().color(QPalette.ColorRole.PlaceholderText))
    painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
    painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
