"""A folder's path in a message breaks onto the next line only after a "/" (or "\\"), never inside a folder's name.

Qt ended a line inside a folder's name, at a space or a hyphen in it ("/media/clinic-" over "share/Dermatology" over
"Department/data"), or anywhere in a name too long for the line: it read as other folders. An invisible break (a
zero-width space) after each separator lets the line end there, and invisible joiners keep each name's characters
together. Those marks are no part of the path: text copied from a message that shows one goes to the clipboard
without them (``whole_copies``), so a path pasted into a file manager or a terminal is the folder's own.

``shown`` is what the dialog service (``ui.dialogs``) shows of a message: the paths its caller names made breakable,
and "read-only" kept whole (a line ended at its hyphen: "it is read-" over "only"), joined as a folder's name is.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from html import escape
from os import PathLike

from PySide6.QtGui import QClipboard, QGuiApplication

BREAK = "\u200b"  # zero width space: a place to end the line, drawn as nothing
JOIN = "\u2060"  # word joiner: no line ends here (a hyphen, between two CJK characters), drawn as nothing
NO_BREAK_SPACE = "\u00a0"  # a space in a folder's name, where no line ends
SEPARATORS = "/\\"
WHOLE_WORDS = re.compile(r"\b(read)-(only)\b", re.IGNORECASE)  # a line ends at neither's hyphen


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


def shown(message: str, paths: Iterable[str | PathLike[str]] = ()) -> str:
    """``message`` (plain text, or rich text with the paths escaped) with each of ``paths`` in it ``breakable``
    (the longest first: a file's path is not broken as its folder's), and "read-only" whole."""
    forms: dict[str, str] = {}
    for path in sorted({str(p) for p in paths if str(p)}, key=len, reverse=True):
        marked = breakable(path)
        for quote in (True, False):  # in rich text, its quotes escaped or not
            forms.setdefault(escape(path, quote), escape(marked, quote))
        forms.setdefault(path, marked)  # in plain text
    if forms:
        found = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))  # the longest first
        message = re.sub(found, lambda m: forms[m.group()], message)
    return WHOLE_WORDS.sub(f"\\1-{JOIN}\\2", message)


def clean_copies() -> Callable[[], None]:
    """From now on, text copied from a message with ``shown`` marks (Ctrl+C, the label's own Copy, or the selection
    on X11) is put on the clipboard again without them; the function returned stops that."""
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

    def stop() -> None:
        clipboard.dataChanged.disconnect(copied)
        clipboard.selectionChanged.disconnect(selected)

    return stop


@contextlib.contextmanager
def whole_copies() -> Iterator[None]:
    """``clean_copies`` while a message is open (its ``exec``)."""
    stop = clean_copies()
    try:
        yield
    finally:
        stop()
