"""The real message box the dialog service shows (``ui.dialogs.DialogService``): found as it opens, its text laid out
as its label lays it out, and copied from it as the user copies it (select all, Ctrl+C)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from dermadesk.ui.path_breaks import whole

WHOLE_WORDS = ("read-only",)  # never ended at their hyphen


def when_shown(answer: Callable[[QMessageBox], None]) -> None:
    """``answer(box)`` once a message box is shown (modal, or a notice beside the window). Where ``answer`` raises,
    the box is closed first (a modal one left open would wait for ever) and pytest-qt fails the test with the error."""

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, look)
            return
        try:
            answer(shown[0])
        except BaseException:
            shown[0].reject()
            raise

    QTimer.singleShot(0, look)


def document(label: QLabel) -> QTextDocument:
    """The label's text as the label holds it: rich text, or plain (``Qt.AutoText`` tells which, as Qt does)."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    doc.setHtml(text) if rich else doc.setPlainText(text)
    return doc


def laid_out(label: QLabel, width: int | None = None) -> list[str]:
    """The label's text in lines, as the label lays it out at ``width`` (its own where None)."""
    doc = document(label)
    doc.setTextWidth(label.contentsRect().width() - 2 * label.margin() if width is None else width)
    doc.size()  # laid out
    lines, block = [], doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart() : line.textStart() + line.textLength()])
        block = block.next()
    return lines


def wrong_ends(lines: list[str], path: str) -> list[str]:
    """The lines (without the invisible marks) that end inside ``path`` elsewhere than after a "/", or inside one of
    ``WHOLE_WORDS``; the path must be shown (asserted)."""
    shown = [whole(line) for line in lines]
    text = "".join(shown)
    assert path in text, shown
    start, wrong, at = text.index(path), [], 0
    for line in shown[:-1]:
        at += len(line)
        if start < at < start + len(path) and text[at - 1] != "/":
            wrong.append(line)
        for word in WHOLE_WORDS:
            if any(text.startswith(word, i) for i in range(max(0, at - len(word) + 1), at)):
                wrong.append(line)
    return wrong


def copied_all(qtbot, label: QLabel) -> str:
    """What the clipboard holds after all of the label's text is selected and copied with Ctrl+C."""
    label.setSelection(0, document(label).characterCount() - 1)  # all of it, as with the mouse
    label.setFocus()
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    return QGuiApplication.clipboard().text()
