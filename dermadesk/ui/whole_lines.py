"""A scrolling text panel that ends between two lines, never across one: at 150 % on 1280x720 the assessment panel's
details ended in the middle of a line ("Class probabilities are not shown..." under a NOT ASSESSABLE capture's
reasons, "Change since 5 Jan 2026: CANNOT TELL" under them), its upper half in sight, neither readable nor clearly
more to scroll to. The viewport's bottom is drawn in (its margin, under the text; the scroll bar keeps its length)
to the end of the last line whole in it, so a line is whole or out of sight, below the scroll bar's reach. Only text
and the compact probability bars' rows (one line a class) are kept whole: a chart or a box that does not fit is cut
where the panel ends, as before."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import Qt as GuiQt, QTextDocument
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from dermadesk.ui.probability_bars import ProbabilityBars


def line_bottoms(label: QLabel) -> list[float]:
    """Where each line of ``label``'s text ends, in the label's own pixels (laid out as the label lays it out)."""
    text = label.text()
    if not text:
        return []
    doc = QTextDocument()
    doc.setDocumentMargin(0)  # as a label lays out its text
    doc.setDefaultFont(label.font())
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if rich:
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    rect, margin = label.contentsRect(), label.margin()
    doc.setTextWidth(rect.width() - 2 * margin)
    top = rect.top() + margin
    spare = rect.height() - 2 * margin - doc.size().height()  # a label taller than its text: where the text sits
    if label.alignment() & Qt.AlignmentFlag.AlignVCenter:
        top += spare / 2
    elif label.alignment() & Qt.AlignmentFlag.AlignBottom:
        top += spare
    bottoms = []
    block = doc.begin()
    while block.isValid():
        origin, lines = doc.documentLayout().blockBoundingRect(block).top(), block.layout()
        for i in range(lines.lineCount()):
            line = lines.lineAt(i)
            bottoms.append(top + origin + line.y() + line.height())
        block = block.next()
    return bottoms


def whole_height(panel: QWidget, room: int) -> int:
    """The most of ``room`` (from ``panel``'s top) that ends between two lines of its labels' text (or two rows of
    compact bars): ``room`` itself where it ends in a gap, below all of it, or across something else."""
    for child in panel.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        g = child.geometry()
        if not child.isVisibleTo(panel) or not g.top() < room < g.top() + g.height():
            continue
        if isinstance(child, ProbabilityBars) and child.compact:
            bottoms = child.row_bottoms()
        elif isinstance(child, QLabel):
            bottoms = line_bottoms(child)
        else:
            return room  # a chart or a box: cut where the panel ends
        ends = [g.top() + bottom for bottom in bottoms]
        return max([g.top(), *(int(end + 0.999) for end in ends if end <= room)])  # the last whole line
    return room


class WholeLines(QObject):
    """Keeps ``scroll``'s viewport ending between lines of its panel's text (``whole_height``), as the panel is laid
    out again (new text, another width) and the scroll area changes size; the bottom it leaves is its margin."""

    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__(scroll)
        self.scroll = scroll
        scroll.setBackgroundRole(scroll.viewport().backgroundRole())  # the margin left under the text: no stripe
        scroll.setAutoFillBackground(True)
        scroll.installEventFilter(self)
        scroll.widget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.fit()
        return False

    def fit(self) -> None:
        scroll, panel = self.scroll, self.scroll.widget()
        room = scroll.height() - 2 * scroll.frameWidth()  # the viewport's height without a margin
        if panel.layout() is not None:
            panel.layout().activate()  # its labels where this text puts them
        spare = room - whole_height(panel, room) if room > 0 else 0
        if scroll.viewportMargins().bottom() != spare:
            scroll.setViewportMargins(0, 0, 0, spare)
