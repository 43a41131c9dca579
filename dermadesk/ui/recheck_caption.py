"""The re-check box's label, "Re-check", over the box in the review's title line ("Clinician review  Re-check").

Closed, the box said "9 mo" or "by tier" alone beside the decision, what it was in its tooltip only. At 150 % on a
1280x720 screen the review has neither a column wider nor a row more to spare (``review_choices``): beside the
decision a label cost the probability bars their names, under it the notes their second line. The title line has
room beside "Clinician review", over the box: the label stands there, right-aligned with the box, in a slightly
smaller font where the room asks for it (80 % of the review's at the least), and only while the box is shown."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGroupBox, QLabel, QStyle, QStyleOptionGroupBox, QWidget

LABEL = "Re-check"
LEAST_FONT = 0.8  # of the review's font size: no smaller
GAP = 6  # px between the title and the label
PLACING = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)


class RecheckCaption(QLabel):
    """``recheck``'s label in ``group``'s title line, over the box's right end."""

    def __init__(self, recheck: QWidget, group: QGroupBox, tip: str = "") -> None:
        super().__init__(LABEL, group)
        self.recheck, self.group = recheck, group
        self.setBuddy(recheck)
        self.setToolTip(tip)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)  # near the box
        self.hide()
        for watched in (recheck, recheck.parentWidget(), group):
            if watched is not None:
                watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in PLACING:
            self.place()
        return False

    def room(self) -> int:
        """The width from the title's end (and a gap) to the box's right edge."""
        option = QStyleOptionGroupBox()
        self.group.initStyleOption(option)
        title = self.group.style().subControlRect(
            QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, self.group
        )
        return self.right() - title.right() - 1 - GAP

    def right(self) -> int:
        """One past the box's right edge, in the group's coordinates."""
        return self.recheck.mapTo(self.group, QPoint(self.recheck.width(), 0)).x()

    def fitting_font(self, room: int) -> QFont | None:
        """The group's font, smaller where ``room`` asks for it (down to ``LEAST_FONT``); None where none fits."""
        font = QFont(self.group.font())
        size = least = font.pointSizeF()
        if size <= 0:  # a font sized in pixels
            return font if QFontMetrics(font).horizontalAdvance(LABEL) <= room else None
        least = size * LEAST_FONT
        while QFontMetrics(font).horizontalAdvance(LABEL) > room:
            size -= 0.25
            if size < least:
                return None
            font.setPointSizeF(size)
        return font

    def place(self) -> None:
        """Over the box's right end, in the title's line; shown with the box, where it fits."""
        font = self.fitting_font(self.room()) if self.recheck.isVisibleTo(self.group) else None
        if font is None:
            self.hide()
            return
        self.setFont(font)
        option = QStyleOptionGroupBox()
        self.group.initStyleOption(option)
        title = self.group.style().subControlRect(
            QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, self.group
        )
        width = QFontMetrics(font).horizontalAdvance(LABEL) + 1
        self.setGeometry(self.right() - width, title.top(), width, title.height())
        self.show()
