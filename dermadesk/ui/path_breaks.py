"""A folder's path in a message breaks onto the next line only after a "/" (or "\\"), never inside a folder's name.

Qt ended a line inside a folder's name, at a space or a hyphen in it ("/media/clinic-" over "share/Dermatology" over
"Department/data"), or anywhere in a name too long for the line: it read as other folders. An invisible break (a
zero-width space) after each separator lets the line end there, and invisible joiners keep each name's characters
together. Those marks are no part of the path: text copied from a message that shows one goes to the clipboard
without them (``whole_copies``), so a path pasted into a file manager or a terminal is the folder's own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtGui import QClipboard, QGuiApplication

BREAK = "\u200b"  # zero width space: a place to end the line, drawn as nothing
JOIN = "\u2060"  # word joiner: no line ends here (a hyphen, between two CJK characters), drawn as nothing
NO_BREAK_SPACE = "\u00a0"  # a space in a folder's name, where no line ends
SEPARATORS = "/\\"


def breakable(path: str) -> str:
    """``path`` with an invisible break after each separator and none anywhere else: inside a folder's name the
    characters are joined ("clinic-share" or "Dermatology Department" wrapped at its hyphen or its space)."""
    out = []
    for i, char in enumerate(path):
        out.append(NO_BREAK_SPACE if char == " " else char)  # a line ended at a space even beside a joiner
        if char in SEPARATORS:
            out.append(BREAK)
        elif i + 1 < len(path) and path[i + 1] not in SEPARATORS:
            out.append(JOIN)
    return "".join(out)


def whole(text: str) -> str:
    """``text`` without the marks ``breakable`` put in."""
    return text.replace(BREAK, "").replace(JOIN, "").replace(NO_BREAK_SPACE, " ")


@contextlib.contextmanager
def whole_copies() -> Iterator[None]:
    """While a message with a ``breakable`` path is open: text copied from it (Ctrl+C, the label's own Copy, or
    the selection on X11) is put on the clipboard again without the breaks."""
    clipboard = QGuiApplication.clipboard()

    def clean(mode: QClipboard.Mode) -> None:
        text = clipboard.text(mode)
        if whole(text) != text:
            clipboard.setText(whole(text), mode)  # changed again, now without a break: left as it is

    def copied() -> None:
        clean(QClipboard.Mode.Clipboard)

    def selected() -> None:
        clean(QClipboard.Mode.Selection)

    clipboard.dataChanged.connect(copied)
    clipboard.selectionChanged.connect(selected)
    try:
        yield
    finally:
        clipboard.dataChanged.disconnect(copied)
        clipboard.selectionChanged.disconnect(selected)
