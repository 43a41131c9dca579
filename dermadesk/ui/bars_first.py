"""The class probabilities first where the assessment's details have little room: at 150 % on a 1280x720 screen the
details were a pane of about 127x98 px, the explanation 364 px tall in it and the bars (every class name wrapped onto
lines of its own, 408 px) below it, out of sight: the tier and its advice were in sight above the pane, the
probabilities behind two screens of scrolling.

Where the full names would not fit beside their bars (narrow) or the full bars not in the pane (short), the bars go
compact (one line a class, highest first: ``ProbabilityBars.set_compact``). Where the bars, after the explanation,
would not be wholly in sight, they come before it: after the change since the baseline and the warnings where those
and the bars fit (at 100 % on 1280x720), else first of all (at 150 %), the rest under them. Both follow the pane's
size, never its content's (the width as with a scroll bar, the height with none): laid out again, it decides the
same. A capture with no probabilities shown (not assessed, or NOT ASSESSABLE) keeps the bars as they were, after
the explanation. At 100 % on 1920x1080 the bars stay full, after the explanation, in the classes' order."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QBoxLayout, QScrollArea, QWidget

from dermadesk.ui.probability_bars import ProbabilityBars


def stacked_height(widgets: Sequence[QWidget], width: int, spacing: int) -> int:
    """The height ``widgets`` not hidden take one under another at ``width``, each with the gap under it."""
    shown = [w for w in widgets if not w.isHidden()]
    heights = [w.heightForWidth(width) if w.hasHeightForWidth() else w.sizeHint().height() for w in shown]
    return sum(heights) + spacing * len(shown)


class BarsFirst(QObject):
    """Keeps ``bars`` compact and before the explanation in ``scroll``'s panel where its room is short (see the
    module). ``before``: what stands before the bars otherwise, in its order (the explanation first); ``keep``: those
    of them that stay before the bars where they and the bars fit (the change, the warnings)."""

    def __init__(
        self, scroll: QScrollArea, bars: ProbabilityBars, before: Sequence[QWidget], keep: Sequence[QWidget]
    ) -> None:
        super().__init__(scroll)
        self.scroll, self.bars, self.before, self.keep = scroll, bars, list(before), list(keep)
        self.order = [*self.before, bars]  # as laid out
        scroll.installEventFilter(self)
        scroll.widget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.fit()
        return False

    def room(self) -> tuple[int, int]:
        """The panel's width with a scroll bar beside it, and the pane's height: neither follows what the panel holds
        (with its content's, a shorter content's scroll bar gone could have made the bars full again, and so on)."""
        scroll = self.scroll
        margins, frame = self._layout().contentsMargins(), 2 * scroll.frameWidth()
        bar = scroll.verticalScrollBar().sizeHint().width()
        width = scroll.width() - frame - bar - margins.left() - margins.right()
        return width, scroll.height() - frame - margins.top() - margins.bottom()

    def _layout(self) -> QBoxLayout:
        layout = self.scroll.widget().layout()
        assert isinstance(layout, QBoxLayout)
        return layout

    def decide(self) -> tuple[bool, list[QWidget]]:
        """(compact, the order of ``before`` and the bars) for the pane's size and the text shown (see the module)."""
        bars, normal = self.bars, [*self.before, self.bars]
        if not bars.probabilities or bars.isHidden():
            return False, normal
        width, height = self.room()
        compact = bars.compact_for(width, height)
        tall = bars.compact_height() if compact else bars.full_height(width)
        spacing = max(self._layout().spacing(), 0)
        if stacked_height(self.before, width, spacing) + tall <= height:
            return compact, normal
        if any(not w.isHidden() for w in self.keep) and stacked_height(self.keep, width, spacing) + tall <= height:
            return compact, [*self.keep, bars, *(w for w in self.before if w not in self.keep)]
        return compact, [bars, *self.before]

    def fit(self) -> None:
        compact, order = self.decide()
        self.bars.set_compact(compact)
        if order == self.order:
            return
        self.order = order
        layout = self._layout()
        for widget in order:
            layout.removeWidget(widget)
        for at, widget in enumerate(order):
            layout.insertWidget(at, widget)
