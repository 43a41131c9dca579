"""The status bar's messages ("Decision 'monitor' saved (Lesion 1, capture of 15 Apr 2025)"): one that does not fit
the room the permanent fields leave (1280x720 at 150 %) ends in "…" after a whole word, never cut mid-word without a
sign; the whole message is in the bar's tooltip; and the last ``RECENT`` messages, with the time each was said, can
be read again in View > Recent messages... or by a click on the message, after they timed out (a comparison
confirming a flag could otherwise be gone before it was read). A menu's hover no longer clears a message: Qt shows
each hovered entry's status tip in its place, and an empty one cleared it ("Report saved to ..." gone as the mouse
crossed the menu bar); the message now stays, or comes back as the hover ends, for the rest of its time.

Every ``showMessage`` call stays as it is: Qt's own drawing of the message (cut at the first permanent field, no
"…") is replaced by an event filter that draws the bar as ``QStatusBar::paintEvent`` does, the message elided."""

from __future__ import annotations

import time
from collections import deque
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QGuiApplication, QMouseEvent, QPainter, QStatusTipEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizeGrip,
    QStatusBar,
    QStyle,
    QStyleOption,
    QVBoxLayout,
    QWidget,
)

from dermadesk.ui.widgets import fit_dialog

RECENT = 30  # messages kept to be read again
TITLE = "Recent messages"
HINT = "Click here, or use View > Recent messages..., to read the recent messages again"


def elided(text: str, metrics: QFontMetrics, room: int) -> str:
    """``text`` on one line, whole where it fits in ``room`` pixels, else ending in "…" after its last whole word
    that fits ("Decision 'monitor' saved (Lesion 1…", not "... (Lesion 1, captu"); a long word (a folder's path)
    that would leave little: cut, with "…"."""
    line = " ".join(text.split())
    if metrics.horizontalAdvance(line) <= room:
        return line
    cut = metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(room, 0))
    kept = cut.removesuffix("…")
    space = kept.rfind(" ")
    if not line[len(kept) : len(kept) + 1].isspace() and space > len(kept) * 0.6:  # cut in a word: to its start
        kept = kept[:space]
    kept = kept.rstrip(" ,;:(—-")
    return f"{kept}…" if kept else cut


def said_at(when: datetime, now: datetime) -> str:
    """When a message was said: "14:32:05", with the day before it when not today ("11 Aug 14:32:05")."""
    return f"{when:%H:%M:%S}" if when.date() == now.date() else f"{when.day} {when:%b %H:%M:%S}"


class RecentMessagesDialog(QDialog):
    """The recent messages, newest first, each with the time it was said, wrapped to the dialog's width; non-modal
    (read beside the window), brought up to date while open."""

    def __init__(self, messages: StatusMessages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = messages
        self.setWindowTitle(TITLE)
        intro = QLabel(f"The last {RECENT} messages of the status bar, newest first:")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)  # a long message on as many lines as it needs, never cut
        self.list.setAlternatingRowColors(True)  # where one message ends and the next begins
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setAccessibleName(TITLE)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = box.addButton("&Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip("Copies the selected message (all of them when none is selected)")
        self.copy_button.clicked.connect(self.copy)
        box.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(box)
        self.setMinimumSize(320, 200)
        self.resize(620, 360)  # within 853x480 (1280x720 at 150 %); ``fit_dialog`` caps it on a smaller screen
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        now = datetime.now()
        for when, text in reversed(self.messages.recent):
            item = QListWidgetItem(f"{said_at(when, now)}   {text}")
            item.setToolTip(text)
            self.list.addItem(item)
        if not self.messages.recent:
            self.list.addItem("No messages yet")

    def copy(self) -> None:
        chosen = self.list.selectedItems() or [self.list.item(r) for r in range(self.list.count())]
        QGuiApplication.clipboard().setText("\n".join(item.text() for item in chosen))


class StatusMessages(QObject):
    """``bar``'s messages drawn elided, whole in its tooltip, and the last ``RECENT`` kept in ``recent`` as (time,
    text); a menu entry's status tip (shown by Qt as a message while the entry is hovered) is not kept."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self.recent: deque[tuple[datetime, str]] = deque(maxlen=RECENT)
        self.dialog: RecentMessagesDialog | None = None
        self._tip: str | None = None  # the status tip on its way to the bar, if one is
        self._again: str | None = None  # the message put back after a hover, on its way to the bar
        self._showing_tip = False  # the bar shows a hovered entry's status tip, not a message
        self._held: tuple[str, float | None] | None = None  # the message a tip covers: (text, until: monotonic time)
        bar.messageChanged.connect(self._said)
        bar.installEventFilter(self)
        window = bar.parentWidget()
        if window is not None:
            window.installEventFilter(self)  # the window shows status tips as messages
        bar.setToolTip(HINT)

    def _said(self, message: str) -> None:
        (tip, self._tip), (again, self._again) = (self._tip, None), (self._again, None)
        self._showing_tip = bool(message) and message == tip
        if not self._showing_tip:
            self._held = None  # a message of its own (or none): nothing to put back after a hover
        self.bar.setToolTip(f"{message}\n\n({HINT})" if message else HINT)  # the whole message, however it is shown
        if message and message not in (tip, again):
            self.recent.append((datetime.now(), message))
            if self.dialog is not None:
                self.dialog.refresh()
        self.bar.update()

    def show_recent(self) -> RecentMessagesDialog:
        """The recent messages' dialog (made once, kept), capped to the screen, in front."""
        if self.dialog is None:
            self.dialog = RecentMessagesDialog(self, self.bar.window())
            fit_dialog(self.dialog)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def fields(self) -> list[QWidget]:
        """The bar's widgets in sight (the permanent ones while a message is shown), the size grip left out."""
        return [
            w
            for w in self.bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if w.isVisible() and not w.isWindow() and not isinstance(w, QSizeGrip)
        ]

    def message_rect(self) -> QRect:
        """Where the message is drawn: as Qt's ``QStatusBar`` places it, up to the first field in sight."""
        bar = self.bar
        left, right, fields = 6, bar.width() - 12, self.fields()
        if fields and bar.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            left = max(left, max(w.geometry().right() + 1 for w in fields) + 2)
        elif fields:
            right = min(right, min(w.x() for w in fields) - 2)
        return QRect(left, 0, right - left, bar.height())

    def shown(self) -> str:
        """The message as drawn: whole, or elided at its end."""
        return elided(self.bar.currentMessage(), self.bar.fontMetrics(), self.message_rect().width())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.StatusTip and isinstance(event, QStatusTipEvent):
            return self._status_tip(event.tip())
        elif watched is self.bar and event.type() == QEvent.Type.Paint and self.bar.currentMessage():
            self._paint()
            return True
        elif watched is self.bar and event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            rect = self.message_rect()
            if event.button() == Qt.MouseButton.LeftButton and rect.left() <= event.position().x() <= rect.right():
                self.show_recent()
                return True
        return False

    def _status_tip(self, tip: str) -> bool:
        """A hovered menu entry's status tip (empty as the mouse leaves it, or for an entry without one), on its way
        to the window, which shows it in the bar in place of the message: a task's message ("Report saved to ...")
        stays, or is put back once the hover ends, for the rest of its time. True: the tip is not shown."""
        message = self.bar.currentMessage()
        if message and not self._showing_tip:  # a message of its own: an empty tip would clear it
            if not tip:
                return True
            self._held = (message, self._until())
        elif not tip and self._held is not None:  # the hover ended: the message it covered, if its time is not up
            (message, until), self._held = self._held, None
            left = None if until is None else int((until - time.monotonic()) * 1000)
            if left is None or left > 0:
                self._again = message  # said once already (``recent``)
                self.bar.showMessage(message, left or 0)
                return True
        self._tip = tip  # the window shows it next (``_said``): a hovered entry's tip, not a message
        return False

    def _until(self) -> float | None:
        """When the message shown times out (None: never), from the timer ``QStatusBar.showMessage`` gives the bar
        (Qt has no call for it): a tip shown in its place stops that timer."""
        timers = [
            t for t in self.bar.findChildren(QTimer, options=Qt.FindChildOption.FindDirectChildrenOnly) if t.isActive()
        ]
        return time.monotonic() + min(t.remainingTime() for t in timers) / 1000 if timers else None

    def _paint(self) -> None:
        """``QStatusBar::paintEvent``: the panel, a frame per field (none in Fusion), and the message elided."""
        bar, style = self.bar, self.bar.style()
        painter = QPainter(bar)
        option = QStyleOption()
        option.initFrom(bar)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, bar)
        for w in self.fields():
            frame = QStyleOption()
            frame.rect = w.geometry().adjusted(-2, -1, 2, 1)
            frame.palette = bar.palette()
            frame.state = QStyle.StateFlag.State_None
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameStatusBarItem, frame, painter, w)
        painter.setPen(bar.palette().windowText().color())
        flags = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
        painter.drawText(self.message_rect(), int(flags), self.shown())
        painter.end()
