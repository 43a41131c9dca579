"""A date field that takes typing: "2026-08-20" typed into it gives 2026-08-20, a click on a part selects that
part (so typing replaces it, no double click), and a calendar pops up from its arrow."""

from __future__ import annotations

from PySide6.QtCore import QDate, QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDateEdit, QWidget

ISO = "yyyy-MM-dd"
Section = QDateEdit.Section


class DateEdit(QDateEdit):
    """``yyyy-MM-dd``, calendar popup; a date after today (unless ``future`` is allowed) is shown in red and
    ``valid_changed(False)`` is emitted, so the dialog can refuse it. No maximum date is set: with one, Qt
    silently rejects the typed digits that overshoot it, and "2027-05-01" typed became 2026-05-01."""

    valid_changed = Signal(bool)
    HINT = "Type the date as YYYY-MM-DD, or pick it from the calendar"

    def __init__(self, date: QDate | None = None, parent: QWidget | None = None, future: bool = False) -> None:
        super().__init__(date or QDate.currentDate(), parent)
        self.setDisplayFormat(ISO)
        self.setCalendarPopup(True)
        self._future = future
        self._earliest: tuple[str, str] | None = None  # (ISO date, what it is): an earlier date is refused
        self.setToolTip(self.HINT)
        self.dateChanged.connect(self._check)
        self._advanced = False  # the last digit filled a part and moved on: a separator typed next is skipped
        self._clicked, self._part = QElapsedTimer(), Section.YearSection
        self.lineEdit().installEventFilter(self)

    def problem(self) -> str:
        """Why the date cannot be used ("" when it can)."""
        if not self._future and self.date() > QDate.currentDate():
            return f"{self.iso()} is after today: a capture cannot be taken in the future"
        if self._earliest is not None and self.iso() < self._earliest[0]:
            return f"{self.iso()} is before {self._earliest[1]} ({self._earliest[0]})"
        return ""

    def set_earliest(self, iso: str | None, what: str) -> None:
        """Refuse dates before ``iso`` (e.g. the patient's birth date), named as ``what``; None: no such limit."""
        self._earliest = (iso[:10], what) if iso else None
        self._check()

    def _check(self) -> None:
        problem = self.problem()
        self.setStyleSheet("QDateEdit { color: #b00020; }" if problem else "")
        self.setToolTip(problem or self.HINT)
        self.valid_changed.emit(not problem)

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
        if event.matches(QKeySequence.StandardKey.Paste) and self._paste_date():
            event.accept()
            return
        if event.text() and event.text() in "-/." and self._advanced:
            self._advanced = False  # "2026" already moved on to the month: the "-" after it is the same step
            event.accept()
            return
        if event.text().isdigit() and "-" in self.lineEdit().selectedText():
            # a selection across parts (Ctrl+A, Shift+End): Qt kept the parts it could not re-read, so
            # "2025-03-10" typed over a selected "2026-11-22" became 2026-03-10; typing starts at the first part
            self.setSelectedSection(self._part_at(self.lineEdit().selectionStart()))
        before = self.currentSection()
        super().keyPressEvent(event)
        self._advanced = event.text().isdigit() and self.currentSection() != before

    def _paste_date(self) -> bool:
        """A whole date on the clipboard replaces the field's (Qt's own paste could keep a part of the old one)."""
        pasted = QDate.fromString(QGuiApplication.clipboard().text().strip()[:10], ISO)
        if pasted.isValid():
            self.setDate(pasted)
        return pasted.isValid()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.lineEdit() and event.type() == QEvent.Type.MouseButtonRelease:
            # select the clicked part once the click is done, so typing replaces it (a drag keeps its selection)
            at = self.lineEdit().cursorPositionAt(event.position().toPoint())  # type: ignore[attr-defined]
            QTimer.singleShot(0, lambda: self._select_part(at))
        return super().eventFilter(watched, event)

    @staticmethod
    def _part_at(at: int) -> QDateEdit.Section:
        """The part at a cursor position of the ISO format: yyyy (0-4), MM (5-7), dd (8-10)."""
        return Section.YearSection if at <= 4 else Section.MonthSection if at <= 7 else Section.DaySection

    def _select_part(self, at: int) -> None:
        if len(self.lineEdit().selectedText()) > 4:
            return
        part = self._part_at(at)
        self.setSelectedSection(part)
        self._part = part
        self._clicked.start()
        self._advanced = False
