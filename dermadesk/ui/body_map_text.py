"""The body map's line of lesions it cannot show: "Not on the map: ⚠ URGENT 10 (oral/genital), Lesion 9
(palms/soles)" under the figures (a lesion added from the command line or an import has no map position); each name
is where a click selects that lesion, its tooltip its whole name.

The most severe flag first (URGENT, REFER, CHANGED, OVERDUE, then the others by number): where not all fit, the
"+1 more" at the end hides the mildest, never an URGENT lesion behind a CHANGED one. A lesion is named one way
whatever else the line holds: a flagged one by its flag and number ("⚠ URGENT 2", the flag says it is a lesion, as
the lesion list's compact rows), any other by its title ("Lesion 3"); each with its site where all fit on one line.
(A flagged lesion was "⚠ CHANGED Lesion 2" beside "Lesion 1", then "⚠ CHANGED 2" once a second was flagged: the
line changed its words for a lesion as others changed.)

Not by number, as the lesion list above it (walkthrough 23 read "⚠ REFER 2, ⚠ REFER 3, ⚠ CHANGED 1" as out of
order): at 150 % on 1280x720 those three fit the two lines only most severe first ("⚠ CHANGED 1," does not fit
beside the prefix, and by number a third line would take the figures' height or a "+1 more" hide a REFER lesion);
and one order at every width, so the line never reorders as the window narrows. The list gives the numbers' order."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from dermadesk.domain.records import Lesion

PREFIX = "Not on the map:"
MAX_LINES = 2  # the figure keeps its height: the rest summed up as "+3 more"
MARGIN = 2.0
Part = tuple[str, float, Lesion | None]  # a part's text, width and lesion


class OffMapItem(NamedTuple):
    """A part of the line: the prefix (``bold``), a lesion's name (``lesion`` set) or "+3 more", and its place."""

    text: str
    rect: QRectF
    lesion: Lesion | None
    bold: bool = False


SEVERITY = ("⚠ URGENT", "⚠ REFER", "⚠ CHANGED", "⚠ OVERDUE")  # the flags, most severe first
FORMS = ((True, 1), (False, MAX_LINES))  # each lesion with its site on one line, else by its name alone


def off_map_text(les: Lesion, flag: str, site: bool = True) -> str:
    """A lesion as the line names it: "⚠ URGENT 9 (palms/soles)" where flagged (the flag says it is a lesion), else
    "Lesion 9 (palms/soles)"; without ``site`` "⚠ URGENT 9", "Lesion 9"."""
    name = les.title if not flag else f"{flag} {les.number if les.number is not None else les.title}"
    return name + (f" ({les.site_text})" if site else "")


def most_severe_first(lesions: list[Lesion], flags: dict[int, str]) -> list[Lesion]:
    """``lesions`` by their flags' severity (``SEVERITY``), those without one last; by number within each."""
    rank = {flag: k for k, flag in enumerate(SEVERITY)}
    return sorted(lesions, key=lambda les: rank.get(flags.get(les.id, ""), len(SEVERITY)))


def off_map_layout(
    lesions: list[Lesion], flags: dict[int, str], font: QFont, width: float, height: float
) -> list[OffMapItem]:
    """The line's parts across ``width`` at the bottom of ``height``, the most severe flag first: each lesion with its
    site where all fit on one line, else by its name alone on ``MAX_LINES`` at most (its whole name in the tooltip);
    nothing for no lesions."""
    if not lesions:
        return []
    lesions = most_severe_first(lesions, flags)
    bold = QFont(font)
    bold.setBold(True)
    metrics = QFontMetricsF(font)
    room, space = width - 2 * MARGIN, metrics.horizontalAdvance(" ")
    prefix: Part = (PREFIX, QFontMetricsF(bold).horizontalAdvance(PREFIX), None)
    lines: list[list[Part]] = []
    for site, most in FORMS:
        texts = [off_map_text(les, flags.get(les.id, ""), site) for les in lesions]
        parts = [(t + ("," if k < len(texts) - 1 else ""), les) for k, (t, les) in enumerate(zip(texts, lesions))]
        lines = _pack(prefix, parts, metrics, room, space, most)
        if sum(p[2] is not None for line in lines for p in line) == len(lesions):
            break
    line = metrics.height()
    top = height - len(lines) * line - 1
    out = []
    for n, row in enumerate(lines):
        x = MARGIN
        for text, w, les in row:
            out.append(OffMapItem(text, QRectF(x, top + n * line, w, line), les, text == PREFIX))
            x += w + space
    return out


def _pack(
    prefix: Part, parts: list[tuple[str, Lesion]], metrics: QFontMetricsF, room: float, space: float, most: int
) -> list[list[Part]]:
    """The parts word-wrapped onto ``most`` lines of ``room``, the last one ending "+N more" where not all fit."""
    lines: list[list[Part]] = [[prefix]]
    for k, (text, les) in enumerate(parts):
        w = metrics.horizontalAdvance(text)
        if w > room:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            w = metrics.horizontalAdvance(text)
        if _used(lines[-1], space) + w > room:
            if len(lines) == most:
                _sum_up(lines[-1], len(parts) - k, metrics, room, space)
                break
            lines.append([])
        lines[-1].append((text, w, les))
    return lines


def _used(line: list[Part], space: float) -> float:
    return sum(p[1] for p in line) + space * len(line)


def _sum_up(line: list[Part], left: int, metrics: QFontMetricsF, room: float, space: float) -> None:
    """The last line's end as "+N more" for the lesions that did not fit (dropping names until it fits)."""
    while True:
        more = f"+{left} more"
        w = metrics.horizontalAdvance(more)
        if _used(line, space) + w <= room or len(line) <= 1:
            line.append((more, w, None))
            return
        if line.pop()[2] is not None:
            left += 1
