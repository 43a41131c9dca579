"""The lesion list's rows: each lesion by its name (``domain.lesion_name``: "⚠ CHANGED Lesion 1 · left scapula ·
posterior torso (left)"), its status after it where it is not "monitoring" ("Lesion 3 · ..., excised"). Every row
takes one form, the longest that all of them fit: in full, else short ("Lesion 1 · left scapula · post. torso (L)"),
else compact: the number as the body map's marker shows it, the status after it, the site before the label ("⚠
CHANGED 1 · post. torso (L) · left scapula", "3, excised · lower extr. (L)"). At 150 % on 1280x720 the list is about
200 px wide (less beside a scroll bar): the short form showed "⚠ CHANGED Lesion 1 · left s…", the site gone, and the
compact one then left the label out ("⚠ CHANGED 1 · post. torso (L)"), though a nurse knows a lesion by its label.
A compact name too wide for the list now wraps onto a second line, as the patient list's rows have two: at a " · "
between its parts, the first line as many of them as fit (the flag, the number and the status at least), the rest
on the second ("⚠ CHANGED 1 · post. torso (L)" over "left scapula"; beside a scroll bar "⚠ CHANGED 1" over "post.
torso (L) · left scapula"), so the site is whole with its side and the label follows; a line still too wide is cut
at its end with "…". The rows' colours alternate, as the patient list's do, so a second line reads as its row's. The
full name and status are in each row's tooltip (its wiring).

The rows are fitted again as the list widens or narrows (``fit_rows`` on every resize of its viewport)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from dermadesk.domain.lesion_name import SEPARATOR, lesion_name, site_name
from dermadesk.domain.records import Lesion

ROWS_IN_SIGHT = 3  # lines the list shows at least, however short the pane (150 % on 1280x720): a wrapped row has two
ROWS_WANTED = 4  # rows of two lines it is given where the tabs can spare the height (at 150 % it showed 2 rows)
TEXT_MARGIN = 8  # a row's text inside its row: the style's margins either side, and a little to spare
NAMES = Qt.ItemDataRole.UserRole + 1  # an item's names: (full, short, compact)
USUAL_STATUS = "monitoring"  # a row names any other status ("excised", "referred", "discharged")


def status_words(les: Lesion) -> str:
    """ ", excised" after the row's name where the lesion is not monitored as usual; "" where it is."""
    return "" if les.status == USUAL_STATUS else f", {les.status}"


def compact_name(les: Lesion, flag: str = "") -> str:
    """The narrowest row: "⚠ CHANGED 1 · post. torso (L) · left scapula", "3, excised · lower extr. (L)": the flag,
    the lesion's number (as on its body-map marker) with its status, its site in the short form, then its label."""
    number = str(les.number) if les.number is not None else les.title
    parts = (number + status_words(les), site_name(les, short=True), les.label)
    name = SEPARATOR.join(part for part in parts if part)
    return f"{flag} {name}" if flag else name


def row_names(les: Lesion, flag: str = "") -> tuple[str, str, str]:
    """The lesion's row in full, short and compact, the flag's words first where it has one ("⚠ URGENT")."""
    status = status_words(les)
    return lesion_name(les, flag) + status, lesion_name(les, flag, short=True) + status, compact_name(les, flag)


def wrapped(name: str, metrics: QFontMetrics, room: int) -> str:
    """``name`` on one line where it fits ``room``, else on two, broken at a " · ": the first line as many of its
    parts as fit (the first part at least: the flag, the number and the status), the rest on the second; a line still
    too wide cut at its end with "…"."""
    if metrics.horizontalAdvance(name) <= room:
        return name
    parts = name.split(SEPARATOR)
    first = 1
    while first < len(parts) - 1 and metrics.horizontalAdvance(SEPARATOR.join(parts[: first + 1])) <= room:
        first += 1
    lines = (SEPARATOR.join(parts[:first]), SEPARATOR.join(parts[first:]))
    return "\n".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines if line)


def fitted_texts(names: list[tuple[str, ...]], metrics: QFontMetrics, room: int) -> list[str]:
    """Every row in the longest form all of them fit ``room`` on one line (``room`` 0: not laid out yet, in full),
    else every row compact, one too wide on two lines (``wrapped``; a list row is as wide as its text: Qt would clip
    it at the edge, unsaid)."""
    if room <= 0 or not names:
        return [forms[0] for forms in names]
    for level in range(3):
        if all(metrics.horizontalAdvance(forms[level]) <= room for forms in names):
            return [forms[level] for forms in names]
    return [wrapped(forms[2], metrics, room) for forms in names]


class LesionList(QListWidget):
    """Lesion list that accepts image files dropped onto a lesion: ``files_dropped(lesion_id, paths)``; its rows
    fitted to its width (``fit_rows``, on every resize of its viewport: a scroll bar that comes or goes too)."""

    files_dropped = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)  # the full name is in each row's tooltip
        self.setAlternatingRowColors(True)  # a row's second line reads as its own (``wrapped``), as in the patient list
        self.setMinimumHeight(self.lines_height(ROWS_IN_SIGHT, 2 * ROWS_IN_SIGHT))

    def lines_height(self, lines: int, spare: int) -> int:
        """The list's height that shows ``lines`` lines whole (a wrapped row takes two), ``spare`` pixels to spare."""
        return lines * self.fontMetrics().lineSpacing() + 2 * self.frameWidth() + spare

    def wanted_height(self) -> int:
        """The height that shows ``ROWS_WANTED`` rows whole, each on two lines (``LesionPanel.height_for_rows``)."""
        return self.lines_height(2 * ROWS_WANTED, ROWS_WANTED)

    @staticmethod
    def set_names(item: QListWidgetItem, names: tuple[str, str, str]) -> None:
        """The row's names (``row_names``), its text the full one until the list fits it."""
        item.setData(NAMES, list(names))
        item.setText(names[0])

    @staticmethod
    def names(item: QListWidgetItem) -> tuple[str, str, str]:
        """The row's names: full, short and compact (``row_names``)."""
        data = item.data(NAMES)
        return (data[0], data[1], data[2]) if data else (item.text(),) * 3

    def fit_rows(self) -> None:
        """Every row in one form, the longest all of them fit (``fitted_texts``), measured with the list's font in
        its viewport (a scroll bar that comes or goes resizes it, and so fits the rows again)."""
        items = [self.item(row) for row in range(self.count())]
        room = self.viewport().width() - TEXT_MARGIN if self.viewport().width() > 0 else 0
        texts = fitted_texts([self.names(item) for item in items], self.fontMetrics(), room)
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
