"""A date field that takes typing: "2026-08-20" typed into it gives 2026-08-20, a click on a part selects that
part (so typing replaces it, no double click), and a calendar pops up from its arrow."""

from __future__ import annotations

from PySide6.QtCore import QDate, QElapsedTimer, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

ISO = "yyyy-MM-dd"
Section = QDateEdit.Section


class DateEdit(QDateEdit):
    """``yyyy-MM-dd``, calendar popup, no date after today unless ``future`` is allowed."""

    def __init__(self, date: QDate | None = None, parent: QWidget | None = None, future: bool = False) -> None:
        super().__init__(date or QDate.currentDate(), parent)
        self.setDisplayFormat(ISO)
        self.setCalendarPopup(True)
        if not future:
            self.setMaximumDate(QDate.currentDate())
        self.setToolTip("Type the date as YYYY-MM-DD, or pick it from the calendar")
        self._advanced = False  # the last digit filled a part and moved on: a separator typed next is skipped
        self._clicked, self._part = QElapsedTimer(), Section.YearSection
        self.lineEdit().installEventFilter(self)

    def iso(self) -> str:
        return self.date().toString(ISO)

    def set_iso(self, text: str) -> None:
        self.setDate(QDate.fromString(text[:10], ISO))

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        if self._clicked.isValid() and self._clicked.elapsed() < 500:  # a click chose the part just before
            self.setSelectedSection(self._part)
        elif event.reason() != Qt.FocusReason.MouseFocusReason:  # tabbed in: typing starts at the year
            self.setSelectedSection(Section.YearSection)
        self._advanced = False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.text() and event.text() in "-/." and self._advanced:
            self._advanced = False  # "2026" already moved on to the month: the "-" after it is the same step
            event.accept()
            return
        before = self.currentSection()
        super().keyPressEvent(event)
        self._advanced = event.text().isdigit() and self.currentSection() != before

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.lineEdit() and event.type() == QEvent.Type.MouseButtonRelease:
            # select the clicked part once the click is done, so typing replaces it (a drag keeps its selection)
            at = self.lineEdit().cursorPositionAt(event.position().toPoint())  # type: ignore[attr-defined]
            QTimer.singleShot(0, lambda: self._select_part(at))
        return super().eventFilter(watched, event)

    def _select_part(self, at: int) -> None:
        if len(self.lineEdit().selectedText()) > 4:
            return
        part = Section.YearSection if at <= 4 else Section.MonthSection if at <= 7 else Section.DaySection
        self.setSelectedSection(part)  # the ISO format: yyyy (0-4), MM (5-7), dd (8-10)
        self._part = part
        self._clicked.start()
        self._advanced = False
