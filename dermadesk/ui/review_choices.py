"""The review box's decision and, beside it for a 'monitor' decision, the re-check interval: the clinician's own
(1, 3, 6, 12 or 24 months, or with the last choice, "Other…", any whole number of months from 1 to 60 as the command
line takes, typed in a small box; one stored elsewhere, e.g. 18, is added to the list and shown as it is), or the first
choice, "As the tier suggests (3 months)": the follow-up interval the risk tier gives. Only a 'monitor' decision
takes one: the box is hidden (and off) for any other, the decision then having the row, and its value counts for
nothing.

At 150 % on a 1280x720 screen the review has neither a row more nor a column wider to spare: it stands at its least
width, and each pixel it takes is one the probability bars beside it lose (beside the decision at its own width the
interval took 16, and the bars read 'bkl', 'df', 'mel' for 'benign ker.', 'dermatofib.', 'melanoma'). So the two
share the decision's row (``DecisionRow``), no wider than "discharge" alone or "monitor" beside "by tier", the
decision saying what it asks for where none is chosen ("Choose decision…", in the box's own text colour: a greyed
"Decision" read as a box switched off). The closed re-check box says its choice whole where it has the room ("12
months", "As the tier suggests (3 months)") and fewer words only where it is narrow ("by tier (3 mo)", "12 mo"; never a
bare "tier"); its list says them whole, its label over it ("Re-check", ``recheck_caption``) and its tooltip what it
is."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionMenuItem,
    QStyleOptionViewItem,
    QStylePainter,
    QWidget,
)

from dermadesk.contract import NOT_ASSESSABLE
from dermadesk.domain.follow_up import months_words
from dermadesk.domain.records import RECHECK_MONTHS
from dermadesk.services.follow_up import FOLLOW_UP
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.months_dialog import MonthsDialog
from dermadesk.ui.widgets import StillComboBox

OFFERED = (1, 3, 6, 12, 24)  # months
OTHER = "Other…"  # the last choice: any number of months the command line takes, typed in ``MonthsDialog``
TIER_WORDS = "As the tier suggests"
BY_TIER = "by tier"  # the first choice in the fewest words: "tier" alone told a nurse nothing
# the first choice for a capture not assessed yet: no tier, so "by tier" said what was not (its interval comes once
# it is assessed); fewer words where narrow, "no tier" at the least width (that of "by tier")
NOT_YET = ("no tier yet", "no tier")
# the first choice where the capture is NOT ASSESSABLE: no tier, so no tier's interval (the follow-up says retake);
# closed, the list's words, fewer where narrow: "retake" at the least width (that of "by tier"), where "Not set" is
# wider (its "unset" read as another choice than the list's "Not set (retake first)"; "none" as no re-check)
NOT_SET = ("Retake first (not set)", "Retake first", "retake")
TIP = (
    "Re-check in: when to see the lesion again, counted from the day this review (decision or interval) is saved."
    f"\n{OTHER} for any number of months from {RECHECK_MONTHS[0]} to {RECHECK_MONTHS[-1]}"
)
PLACEHOLDER = "Decision"  # the decision box's name
PROMPT = "Choose decision…"  # what it says where none is chosen ("" stored)
NO_DECISION = "No decision"  # the list's first row, "" (choosing it clears the decision): blank, it said nothing


def tier_interval(tier: str | None) -> str:
    """The interval a 'monitor' decision leaves to the tier ("3 months"; an URGENT or REFER result the clinician
    answered 'monitor' is monitored as a MONITOR one), '' where the tier gives none (not assessed or assessable)."""
    tier = "monitor" if tier in ("refer", "urgent") else tier
    return FOLLOW_UP[tier][0] if tier in FOLLOW_UP else ""


def short_months(words: str) -> str:
    """ "12 months" as "12 mo"."""
    return f"{words.split()[0]} mo"


def beside_text(box: QComboBox) -> int:
    """The width ``box`` spends beside its text: its frame and arrow (its width less its text field's) and the pixel
    the style leaves each side of the text in the field (text as wide as the field lost its last letter)."""
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    option.rect = QRect(0, 0, 400, QComboBox.sizeHint(box).height())
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    return option.rect.width() - field.width() + 2


def text_room(box: QComboBox) -> int:
    """The width ``box``'s text has as it stands."""
    return box.width() - beside_text(box)


class RecheckBox(StillComboBox):
    """The first choice (None: the tier's interval) or a number of months (``months``, ``set_months``); the last,
    "Other…", asks for any other number (``MonthsDialog``, through ``dialogs``) and shows it as a choice of its own."""

    def __init__(self, parent: QWidget | None = None, dialogs: DialogService | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs or DialogService(self)
        self.setAccessibleName("Re-check in")
        self.setToolTip(TIP)
        self.addItem(TIER_WORDS, None)
        for months in OFFERED:
            self.addItem(months_words(months), months)
        self.addItem(OTHER, OTHER)
        self._other_choosable(False)  # from the open list only (``showPopup``)
        self.kept: int | None = None  # the choice before "Other…" was picked: back to it where no number is given
        self.currentIndexChanged.connect(self._keep)
        self.activated.connect(self._chosen)
        self.interval = ""  # the tier's ("3 months"; ``set_tier``)
        self.not_set = False  # no tier to give one: the capture is not assessable (``set_tier``)
        self.not_yet = True  # no tier yet: the capture is not assessed (``set_tier``)
        self.follow("")

    def _keep(self, index: int) -> None:
        if self.itemData(index) != OTHER:
            self.kept = self.itemData(index)

    def _other_choosable(self, choosable: bool) -> None:
        """ "Other…" on or off: off while the box is closed, so that stepping through it (arrow keys, Home/End, Page
        keys, a typed letter, the wheel) passes it by; arrow keys stepping onto it opened its box unasked."""
        self.model().item(self.count() - 1).setEnabled(choosable)

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        """The list, "Other…" in it to be chosen (a click, or Alt+Down then Enter)."""
        self._other_choosable(True)
        super().showPopup()

    def hidePopup(self) -> None:  # noqa: N802 - Qt API
        super().hidePopup()
        self._other_choosable(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """A key on the closed box: "Other…" off first (the list closed by Escape left it on: Down opened its box)."""
        if not self.view().isVisible():
            self._other_choosable(False)
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        """The wheel over the closed box: "Other…" off first, as for a key."""
        if not self.view().isVisible():
            self._other_choosable(False)
        super().wheelEvent(event)

    def _chosen(self, index: int) -> None:
        """ "Other…" chosen from the list: the months asked for, the box saying the choice before it meanwhile (not
        "Oth…") and keeping it where none is given (Cancel)."""
        if self.itemData(index) != OTHER:
            return
        self.set_months(self.kept)
        dialog = MonthsDialog(self.kept or (int(self.interval.split()[0]) if self.interval else 6), self)
        if self.dialogs.run_dialog(dialog):
            self.set_months(dialog.months.value())
        self.setFocus()

    def numbers(self) -> range:
        """The indexes of the choices in months (none the first's, the tier's, nor the last's, "Other…")."""
        return range(1, self.count() - 1)

    def set_tier(self, tier: str | None) -> None:
        """The first choice names the tier's interval: "As the tier suggests (3 months)"; for a capture not assessed
        yet (``tier`` None) that it has no tier yet: "As the tier suggests (no tier yet)"; for a NOT ASSESSABLE
        capture (``tier`` "not assessable") that there is none: "Retake first (not set)"."""
        self.interval, self.not_set, self.not_yet = tier_interval(tier), tier == NOT_ASSESSABLE, tier is None
        said = self.interval or (NOT_YET[0] if self.not_yet else "")
        self.setItemText(0, f"{TIER_WORDS} ({said})" if said else TIER_WORDS)
        if self.not_set:
            self.setItemText(0, NOT_SET[0])
        self.update()

    def wordings(self) -> list[str]:
        """What the closed box may say for the choice, fewer words each: "12 months", "12 mo"; "As the tier suggests
        (3 months)", "by tier (3 months)", "by tier (3 mo)", "by tier"; "As the tier suggests (no tier yet)", "no tier
        yet", "no tier"; "Retake first (not set)", "Retake first", "retake"."""
        if self.currentData() == OTHER:
            return [OTHER]
        if self.currentIndex() > 0:
            return [self.currentText(), short_months(self.currentText())]
        if self.not_set:
            return list(NOT_SET)
        if self.not_yet:
            return [f"{TIER_WORDS} ({NOT_YET[0]})", *NOT_YET]
        if not self.interval:
            return [TIER_WORDS, BY_TIER]
        shorter = [f"{BY_TIER} ({self.interval})", f"{BY_TIER} ({short_months(self.interval)})", BY_TIER]
        return [f"{TIER_WORDS} ({self.interval})", *shorter]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for the fewest words of any choice ("by tier", "12 mo"), not for the list's "As the tier suggests
        (3 months)": at 150 % on 1280x720 the review stands at its least width (``DecisionRow``)."""
        metrics = self.fontMetrics()
        words = [BY_TIER, NOT_YET[-1], NOT_SET[-1], *(f"{self.itemData(i)} mo" for i in self.numbers())]
        width = max(map(metrics.horizontalAdvance, words)) + beside_text(self)
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.sizeHint()

    def shown(self, room: int | None = None) -> str:
        """What the closed box says in ``room`` px (its text field's width as it stands): its choice in as many words
        as fit, "by tier" or "12 mo" at the least (cut with "…" only in a box narrower than its least width); nothing
        where the decision is not 'monitor'."""
        if not self.isEnabled():
            return ""
        room = text_room(self) if room is None else room
        metrics, wordings = self.fontMetrics(), self.wordings()
        fits = [w for w in wordings if metrics.horizontalAdvance(w) <= room]
        return fits[0] if fits else metrics.elidedText(wordings[-1], Qt.TextElideMode.ElideRight, room)

    def months(self) -> int | None:
        """The months chosen (None: the tier's); while "Other…" asks, the choice before it."""
        return self.kept if self.currentData() == OTHER else self.currentData()

    def set_months(self, months: int | None) -> None:
        """Shows ``months`` (added to the list where it is not offered: one saved by a command or typed after
        "Other…"; one added before for another capture leaves it), or the tier's."""
        count = self.count()
        for i in reversed(self.numbers()):
            if self.itemData(i) not in (*OFFERED, months):
                self.removeItem(i)
        index = self.findData(months) if months else 0
        if index < 0:
            after = [i for i in self.numbers() if self.itemData(i) < months]
            index = (after[-1] + 1) if after else 1
            self.insertItem(index, months_words(months), months)
        if self.count() != count:
            self.updateGeometry()  # its width follows its choices (``sizeHint``)
        self.setCurrentIndex(index)

    def follow(self, decision: str) -> None:
        """Shown, and on, for a 'monitor' decision only."""
        self.setEnabled(decision == "monitor")
        self.setVisible(decision == "monitor")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """The closed box with as many words as fit (``shown``), the popup with the whole ones."""
        paint_saying(self, self.shown())


class DecisionBox(StillComboBox):
    """The decision ("" none, then ``DECISIONS``), saying "Choose decision…" where none is chosen."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItems(["", *choices])
        self.model().item(0).setData(NO_DECISION, Qt.ItemDataRole.AccessibleTextRole)
        self.view().setItemDelegate(NamedBlank(self))
        self.setAccessibleName(PLACEHOLDER)
        self.currentTextChanged.connect(lambda _: self.updateGeometry())

    def least(self, text: str) -> int:
        """The width that shows ``text`` (the prompt for none) whole."""
        return self.fontMetrics().horizontalAdvance(text or PROMPT) + beside_text(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for the decision chosen ("monitor", the re-check interval beside it), not for the longest."""
        return QSize(self.least(self.currentText()), super().minimumSizeHint().height())

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        """The open list as wide as its widest row as drawn: Qt sizes it by the items' texts, the first's "", so
        beside the re-check box (the closed box as narrow as "monitor") the first row read "No d…sion"."""
        delegate = self.view().itemDelegate()
        if isinstance(delegate, NamedBlank):
            self.view().setMinimumWidth(delegate.widest(self.view()))
        super().showPopup()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        paint_saying(self, self.currentText() or PROMPT)


class NamedBlank(QAbstractItemDelegate):
    """The decision list's rows drawn as the style draws a combo box's (menu items, as Qt's own delegate does), the
    first ("": no decision) saying "No decision"; its text stays "" (``currentText``, what is stored), the closed box
    saying "Choose decision…" for it."""

    def __init__(self, box: QComboBox) -> None:
        super().__init__(box)
        self.box = box

    def item_option(self, option: QStyleOptionViewItem, index: QModelIndex) -> QStyleOptionMenuItem:
        item = QStyleOptionMenuItem()
        item.palette = option.palette.resolve(QApplication.palette("QMenu"))
        item.state = (
            QStyle.StateFlag.State_Active if self.box.window().isActiveWindow() else QStyle.StateFlag.State_None
        )
        if option.state & QStyle.StateFlag.State_Enabled and index.flags() & Qt.ItemFlag.ItemIsEnabled:
            item.state |= QStyle.StateFlag.State_Enabled
        else:
            item.palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
        if option.state & QStyle.StateFlag.State_Selected:
            item.state |= QStyle.StateFlag.State_Selected
        item.checkType = QStyleOptionMenuItem.CheckType.NonExclusive
        item.checked = self.box.currentIndex() == index.row()
        item.menuItemType = QStyleOptionMenuItem.MenuItemType.Normal
        item.text = (index.data() or NO_DECISION).replace("&", "&&")
        item.maxIconWidth = option.decorationSize.width() + 4
        item.menuRect = item.rect = option.rect
        item.font = self.box.font()
        item.fontMetrics = QFontMetrics(item.font)
        return item

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        self.box.style().drawControl(
            QStyle.ControlElement.CE_MenuItem, self.item_option(option, index), painter, self.box
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 - Qt API
        item = self.item_option(option, index)
        return self.box.style().sizeFromContents(QStyle.ContentsType.CT_MenuItem, item, option.rect.size(), self.box)

    def widest(self, view: QAbstractItemView) -> int:
        """The width the list needs to draw every row whole ("No decision" the widest), its frame included."""
        option = QStyleOptionViewItem()
        option.initFrom(view)
        widths = [0]
        for row in range(self.box.count()):
            item = self.item_option(option, self.box.model().index(row, 0))
            text = QSize(item.fontMetrics.horizontalAdvance(item.text), item.fontMetrics.height())
            widths.append(
                self.box.style().sizeFromContents(QStyle.ContentsType.CT_MenuItem, item, text, self.box).width()
            )
        return max(widths) + 2 * view.frameWidth()


class DecisionRow(QWidget):
    """The decision, and beside it the re-check interval where the decision is 'monitor': one least width whatever is
    chosen (the review's width, and so the bars', does not change with the decision), that of "discharge" alone or of
    "monitor" beside "by tier", whichever is wider."""

    def __init__(self, decision: DecisionBox, recheck: RecheckBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision, self.recheck = decision, recheck
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(decision, 1)
        row.addWidget(recheck, 2)  # its words the more whole: "monitor" needs few

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        d = self.decision
        alone = max(d.least(d.itemText(i)) for i in range(d.count()))
        beside = d.least("monitor") + self.layout().spacing() + self.recheck.minimumSizeHint().width()
        return QSize(max(alone, beside), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As wide with the re-check interval hidden as shown: the review keeps its width at 100 % too."""
        hint = self.decision.sizeHint().width() + self.layout().spacing() + self.recheck.sizeHint().width()
        return QSize(max(hint, self.minimumSizeHint().width()), super().sizeHint().height())


def paint_saying(box: QComboBox, text: str) -> None:
    """``box`` closed, saying ``text``."""
    painter = QStylePainter(box)
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    option.currentText = text
    painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
    painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
