"""The lesion list's rows. Each lesion has a ladder of forms, longest first ("⚠ URGENT Lesion 1 · upper extremity
(right, front), monitoring" down to "⚠ URGENT #1 R upper extr."); the list shows every row of one shape (flagged or
not) in the same form, the longest that all of them fit: "⚠ URGENT #1 · L post. torso" no longer stands beside
"⚠ REFER Lesion 2 · lower extr. (L)". The short forms exist for 150 % on 1280x720, where the list is about 185 px
wide (less with its scroll bar): the flag's words, the lesion's number and its side stay in sight. Where even the
shortest form is too wide (a two-digit number, a long site, a scroll bar) the site is cut with "…", never the flag."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from dermadesk.domain.bodymap import site_with_side
from dermadesk.domain.records import Lesion

SHORT_SITES = {
    "upper extremity": "upper extr.",
    "lower extremity": "lower extr.",
    "anterior torso": "ant. torso",
    "posterior torso": "post. torso",
    "lateral torso": "lat. torso",
}
ROWS_IN_SIGHT = 3  # whole rows the list shows at least, however short the pane (150 % on 1280x720)
TEXT_MARGIN = 8  # a row's text inside its row: the style's margins either side, and a little to spare
INDENT = "      "  # a two-line row's second line, under the lesion's name
TEXTS = Qt.ItemDataRole.UserRole + 1  # an item's texts, longest first (its forms' texts)
FORMS = Qt.ItemDataRole.UserRole + 2  # an item's forms, as lists of strings (a row's ``RowForm``s)


class RowForm(NamedTuple):
    """A row's text in parts: ``head`` (the flag and the lesion) is never cut; ``tail`` after ``sep`` (the site; a
    two-line row's label) is cut with "…" where the row has no room; ``below``: a two-line row's second line."""

    head: str
    sep: str = ""
    tail: str = ""
    below: str = ""

    @property
    def text(self) -> str:
        first = self.head + (self.sep + self.tail if self.tail else "")
        return first + (f"\n{INDENT}{self.below}" if self.below else "")


def row_forms(les: Lesion, flag: str = "") -> tuple[RowForm, ...]:
    """The lesion's row, longest first: two lines ("Lesion 1  left scapula" over "posterior torso (left),
    monitoring"), then one line, "Lesion 1 · posterior torso (left), monitoring" down to "Lesion 1 · post. torso
    (L)". Flagged (``flag``: "⚠ URGENT"), each with the flag's words first, then by its number with the side before
    the site as clinicians shorten it: "⚠ URGENT #1 · upper extr. (R)" down to "⚠ URGENT #1 R upper extr." (a bare
    "⚠" left testers asking what it meant). Every lesion of a shape has as many forms: the list shows one level."""
    name = f"{flag} {les.title}" if flag else les.title
    short_site = SHORT_SITES.get(les.site, les.site)
    faced = site_with_side(les.site, les.body_view, les.body_x).replace(les.site, short_site, 1)  # "(left, back)"
    short = site_with_side(short_site, les.body_view, les.body_x)  # no face: the short name is not two-faced
    faced, short = (text.replace("(left", "(L").replace("(right", "(R") for text in (faced, short))
    status = f"{les.site_text}, {les.status}"
    forms = [
        RowForm(name, "  ", les.label, status),  # two lines: only where the status fits too (one line at 150 %)
        RowForm(name, "  ", f"{les.label} · {status}") if les.label else RowForm(name, " · ", status),
        RowForm(name, " · ", status),
        RowForm(name, " · ", les.site_text),
        RowForm(name, " · ", faced),
        RowForm(name, " · ", short),
    ]
    if flag:
        number = f"{flag} #{les.number}" if les.number is not None else name
        lead = site_with_side(short_site, les.body_view, les.body_x, before=True)  # "left post. torso"
        for side, letter in (("left ", "L "), ("right ", "R ")):
            lead = letter + lead.removeprefix(side) if lead.startswith(side) else lead
        forms += [RowForm(number, " · ", site) for site in (faced, short, lead)] + [RowForm(number, " ", lead)]
    return tuple(forms)


def fitted_texts(
    rows: list[tuple[RowForm, ...]], metrics: QFontMetrics, room: int, two_line_room: int, tall: bool
) -> list[str]:
    """Each row's text: two lines for all where ``tall`` and every row's lines fit ``two_line_room`` (a label cut
    where need be), else one line, the same form (level) for every row of a shape (rows with as many forms), the
    longest all of them fit in ``room``; at the last level a row still too wide has its site cut. ``room`` 0: not
    laid out yet (the longest line, fitted at the list's resize)."""
    width = metrics.horizontalAdvance
    if room <= 0:
        return [next((f.text for f in forms if not f.below), forms[0].text) for forms in rows]
    first = [forms[0] for forms in rows]
    if tall and all(f.below and max(width(f.head), width(INDENT + f.below)) <= two_line_room for f in first):
        return [cut(form, metrics, two_line_room) for form in first]
    texts = [""] * len(rows)
    for size in {len(forms) for forms in rows}:
        shape = [i for i, forms in enumerate(rows) if len(forms) == size]
        levels = [k for k, form in enumerate(rows[shape[0]]) if not form.below]
        level = next((k for k in levels if all(width(rows[i][k].text) <= room for i in shape)), levels[-1])
        for i in shape:
            texts[i] = cut(rows[i][level], metrics, room)
    return texts


def cut(form: RowForm, metrics: QFontMetrics, room: int) -> str:
    """The form's text, its ``tail`` cut with "…" where its first line is wider than ``room`` (the ``head`` alone
    where no tail fits, and cut itself only where even it does not: the flag's words before the number)."""
    first = form.head + (form.sep + form.tail if form.tail else "")
    if metrics.horizontalAdvance(first) > room:
        left = room - metrics.horizontalAdvance(form.head + form.sep)
        tail = metrics.elidedText(form.tail, Qt.TextElideMode.ElideRight, left) if left > 0 else ""
        if tail:
            first = form.head + form.sep + tail
        elif metrics.horizontalAdvance(form.head) <= room:
            first = form.head
        else:
            first = metrics.elidedText(form.head, Qt.TextElideMode.ElideRight, room)
    return first + (f"\n{INDENT}{form.below}" if form.below else "")


class LesionList(QListWidget):
    """Lesion list that accepts image files dropped onto a lesion: ``files_dropped(lesion_id, paths)``; its rows
    fitted to its width (``fit_rows``, on every resize of its viewport: a scroll bar that comes or goes too)."""

    files_dropped = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)  # the full text is in each row's tooltip
        line = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(ROWS_IN_SIGHT * line + 2 * self.frameWidth() + 2 * ROWS_IN_SIGHT)

    @staticmethod
    def set_forms(item: QListWidgetItem, forms: tuple[RowForm, ...]) -> None:
        """The row's forms (``row_forms``), its text the longest until the list fits it."""
        item.setData(FORMS, [list(form) for form in forms])
        item.setData(TEXTS, tuple(form.text for form in forms))
        item.setText(forms[0].text)

    @staticmethod
    def forms(item: QListWidgetItem) -> tuple[RowForm, ...]:
        data = item.data(FORMS)
        return tuple(RowForm(*form) for form in data) if data else (RowForm(item.text()),)

    def fit_rows(self) -> None:
        """Two-line rows where ``ROWS_IN_SIGHT`` of them (or all) are in sight and their lines fit, else one line
        each (``fitted_texts``). Two-line rows are measured as if beside the scroll bar they bring where they do not
        all fit in height: one-line rows, fitted to the room that leaves, never bring them back (no back and forth)."""
        metrics, line = self.fontMetrics(), self.fontMetrics().lineSpacing() + 2
        height = self.viewport().height()
        tall = height >= 2 * line * min(ROWS_IN_SIGHT, max(self.count(), 1))
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.verticalScrollBar())
        two_line_room = self.contentsRect().width() - TEXT_MARGIN - (bar if self.count() * 2 * line > height else 0)
        items = [self.item(row) for row in range(self.count())]
        room = self.viewport().width() - TEXT_MARGIN if self.viewport().width() > 0 else 0
        texts = fitted_texts([self.forms(item) for item in items], metrics, room, two_line_room, tall)
        for item, text in zip(items, texts):
            if item.text() != text:
                item.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)  # a scroll area's resize events are its viewport's: a scroll bar's coming too
        self.fit_rows()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and self.itemAt(event.position().toPoint()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        item = self.itemAt(event.position().toPoint())
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if item is not None and paths:
            event.acceptProposedAction()
            self.setCurrentItem(item)
            self.files_dropped.emit(int(item.data(Qt.ItemDataRole.UserRole)), paths)
