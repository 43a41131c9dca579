"""Clinician notes in the lesion report, as typed: "Notes:" leads them (as "Decision:" leads the decision), each typed
line on a line of its own under the first (a hanging indent), indented as typed, and a long line wraps under its own
text after its indentation (it went back to the notes' margin, under the list it was part of); a list item ("- ",
"* ", "1. ") wraps under the text after its mark, as a word processor hangs it (it went on under its dash). Dates in
the report's running text are kept on one line (``dates_kept``): "24 Nov" ended a line and "2026" began the next."""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from dermadesk.domain.dates import MONTHS
from dermadesk.domain.text import list_mark, typed_lines
from dermadesk.reports.common import BOLD


def esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")  # "24 Nov 2026", as the report writes a day


def dates_kept(text: str) -> str:
    """``text`` with each date's spaces non-breaking ("24 Nov 2026"): a line wraps before or after a date, never
    inside it."""
    return DATE.sub("\\1\u00a0\\2\u00a0\\3", text)


NBSP = "\u00a0"


def mark_width(said: str, font: str, size: float) -> float:
    """The width of ``said``'s list mark with the space after it ("- ": the room its wrapped lines hang by,
    ``list_mark``, as the command line hangs it), 0 for a line that is no list item."""
    return stringWidth(list_mark(said), font, size)


Line = tuple[float, Paragraph]  # the room above a line of notes (a blank line typed before it), and its paragraph


class NotesLines(Flowable):
    """Notes' lines one under another, each its own paragraph, so that each keeps its own indentation as it wraps;
    split between two lines or inside one (as a paragraph splits) where a page ends, at least two lines before."""

    def __init__(self, lines: list[Line], style: ParagraphStyle) -> None:
        super().__init__()
        self.lines, self.style = lines, style
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self.heights: list[float] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.heights = [gap + line.wrap(aw, ah)[1] for gap, line in self.lines]
        self.width, self.height = aw, sum(self.heights)
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Any]:
        self.wrap(aw, ah)
        used, done = 0.0, 0
        while done < len(self.lines) and used + self.heights[done] <= ah + 1e-6:
            used, done = used + self.heights[done], done + 1
        if done == len(self.lines):
            return [self]
        first, rest = self.lines[:done], self.lines[done:]
        gap, line = rest[0]
        parts = line.split(aw, ah - used - gap) if ah - used - gap > 0 else []
        if len(parts) == 2:
            first, rest = [*first, (gap, parts[0])], [(0.0, parts[1]), *rest[1:]]
            used += gap + parts[0].wrap(aw, ah - used - gap)[1]
        if used < 2 * self.style.leading - 1e-6:  # its first line alone at a page's foot: none here
            return []
        return [self.part(first, after=False), self.part([(0.0, rest[0][1]), *rest[1:]], before=False)]

    def part(self, lines: list[Line], before: bool = True, after: bool = True) -> NotesLines:
        """These of its lines, as a block of their own: the space before it only on the first part of a split, the
        space after only on the last."""
        spaces = {"spaceBefore": self.spaceBefore * before, "spaceAfter": self.spaceAfter * after}
        return NotesLines(lines, self.style.clone(self.style.name, **spaces))

    def draw(self) -> None:
        y = self.height
        for (_, line), height in zip(self.lines, self.heights):
            y -= height
            line.drawOn(self.canv, 0, y)


def notes_paragraph(text: str, style: ParagraphStyle, label: str = "Notes:") -> Flowable:
    """ "Notes: Seen with daughter." under a decision, labelled as "Decision:" and "Next follow-up:" are, the notes'
    further lines under their first, after the label (a hanging indent), each indented as typed (``typed_lines``: a
    tab as four spaces, blank lines around left out, a run of them as one) and wrapping under its own text (a list
    item's under the text after its mark: ``mark_width``); "Notes: none" for none. ``label``: the notes' name, kept on
    one line ("Capture notes:", those saved with the capture, not the clinician's review notes)."""
    space = stringWidth(" ", style.fontName, style.fontSize)
    lead_in = f"<b>{esc(label).replace(' ', NBSP)}</b> "  # "<b>Notes:</b> "
    room = stringWidth(label, BOLD, style.fontSize) + space  # the label's width: its further lines hang by it
    typed = typed_lines(text) or [(0, "none")]
    lines: list[Line] = []
    gap = 0.0
    for depth, said in typed:
        if not said:  # a blank line typed: room for one line above the next
            gap = style.leading
            continue
        hang = mark_width(said, style.fontName, style.fontSize)  # a list item wraps under its text, not its mark
        indent = style.leftIndent + room + depth * space + hang
        lead = -(room + depth * space + hang) if not lines else -hang  # the first: after the label, at the margin
        markup = (lead_in + NBSP * depth if not lines else "") + dates_kept(esc(said))
        each = style.clone(f"{style.name}_notes", leftIndent=indent, firstLineIndent=lead, spaceBefore=0, spaceAfter=0)
        lines.append((gap, Paragraph(markup, each)))
        gap = 0.0
    return NotesLines(lines, style)
