"""The re-check box's "Other…": a small box taking any whole number of months the command line takes (1 to 60).

Typing "61" became "6" unsaid (a spin box drops the key that takes it past its maximum): the range stands beside the
field, a number past it stays as typed, the range then said in red and OK off until it is one of them; Enter does not
take the number before it either."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QKeyEvent, QShowEvent, QValidator
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QStyle, QWidget

from dermadesk.domain.follow_up import months_words
from dermadesk.domain.records import RECHECK_MONTHS

LEAST, MOST = RECHECK_MONTHS[0], RECHECK_MONTHS[-1]
RANGE = f"({LEAST} to {MOST})"  # beside the field
PAST_RANGE = f"({LEAST} to {MOST} only)"  # beside a number typed past it, in red
PAST_RANGE_STYLE = "color: #b00020; font-weight: bold;"


class MonthsField(QSpinBox):
    """Whole months from 1 to 60, "9 months"; a whole number past them kept as typed (not dropped), not acceptable."""

    def __init__(self, months: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, minimum=LEAST, maximum=MOST)
        self.setAccessibleName("Re-check in (months)")
        self.setToolTip(f"A whole number of months from {LEAST} to {MOST}")
        self.valueChanged.connect(self._suffix)
        self.setValue(months)
        self._suffix(months)

    def _suffix(self, months: int) -> None:
        """ "1 month", "9 months"."""
        self.setSuffix(months_words(months).removeprefix(str(months)))

    def number(self) -> str:
        """The number as typed ("61"), without "months"."""
        return self.text().removeprefix(self.prefix()).removesuffix(self.suffix()).strip()

    def past_range(self) -> bool:
        """A whole number typed that is not one of the months taken ("61", "0")."""
        return self.number().isdigit() and int(self.number()) not in RECHECK_MONTHS

    def validate(self, text: str, pos: int) -> object:
        """As a spin box's, but a whole number past the range stays typed (Intermediate), not dropped as Invalid."""
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        number = text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()
        if state == QValidator.State.Invalid and number.isdigit():
            return QValidator.State.Intermediate, text, pos
        return result

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Enter with a number past the range takes nothing: a spin box put its last number back ("6" for "61") and
        the dialog took that."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.hasAcceptableInput():
            event.accept()
            return
        super().keyPressEvent(event)


def place_by(dialog: QWidget, anchor: QWidget) -> None:
    """``dialog`` (its frame) just under ``anchor``, their left edges lined up; over it where the screen has no room
    under it; wholly on the screen either way. Qt opened the months box in the middle of the window, away from the
    re-check box it sets."""
    screen = (anchor.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    frame = dialog.frameGeometry().size() - dialog.geometry().size()  # borders and title bar, once shown
    if frame.height() <= 0:  # not shown yet: a title bar's height (none offscreen)
        offscreen = QGuiApplication.platformName() == "offscreen"
        frame = QSize(0, 0 if offscreen else dialog.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight))
    whole = dialog.size() + frame
    under = anchor.mapToGlobal(QPoint(0, anchor.height()))
    over = anchor.mapToGlobal(QPoint(0, 0)).y() - whole.height()
    y = under.y() if under.y() + whole.height() <= screen.bottom() + 1 else over
    x = min(max(under.x(), screen.left()), screen.right() + 1 - whole.width())
    dialog.move(x, min(max(y, screen.top()), screen.bottom() + 1 - whole.height()))


class MonthsDialog(QDialog):
    """ "Re-check in: [ 9 months ] (1 to 60)": any whole number of months the command line takes, the one offered
    selected (typed over at once: "9", Enter); it opens under its parent, the re-check box (``place_by``)."""

    def __init__(self, months: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-check interval")
        self.months = MonthsField(months)
        self.months.selectAll()
        self.range = QLabel(RANGE)
        self.range.setAccessibleName("Months taken")
        bold = QFont(self.range.font())
        bold.setBold(True)  # room for the red words from the start: nothing moves, nothing is cut
        self.range.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(PAST_RANGE) + 2)
        label = QLabel("&Re-check in")
        label.setBuddy(self.months)
        field = QHBoxLayout()
        field.addWidget(self.months, 1)
        field.addWidget(self.range)
        form = QFormLayout(self)
        form.addRow(label, field)
        form.addRow(QLabel("Counted from the day the review is saved."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.months.lineEdit().textChanged.connect(self._typed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        """Under the re-check box (its parent), at the size it opens with."""
        if self.parentWidget() is not None:
            place_by(self, self.parentWidget())
        super().showEvent(event)

    def _typed(self) -> None:
        """The range in red beside a number past it, and OK off until the number is one taken."""
        past = self.months.past_range()
        self.range.setText(PAST_RANGE if past else RANGE)
        self.range.setStyleSheet(PAST_RANGE_STYLE if past else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.months.hasAcceptableInput())

    def accept(self) -> None:
        if self.months.hasAcceptableInput():
            super().accept()
