"""A change verdict "CANNOT TELL" is drawn in one amber: the Assessment panel's change line drew it in #8a6d00 and the
Change since baseline tab in #b28704, so the same verdict of the same lesion read in two colours side by side. Both
now draw it in ``CANNOT_TELL_AMBER`` (#8a6d00, 4.92:1 on white; #b28704 was 3.30:1, short of 4.5:1), read from the
pixels drawn (real window, real register; a pair the comparing refuses to align, as imported)."""

from __future__ import annotations

from collections import Counter
from html import unescape
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from dermadesk.ui.verdict_colour import CANNOT_TELL_AMBER
from tests.ui.helpers import settled
from tests.ui.test_manual_alignment import show_refused_pair


def amber_drawn(*labels: QLabel) -> tuple[str, int]:
    """The colour the ``labels`` draw most of their yellow-brown pixels in (the glyphs' cores, edges blended with the
    background around them), and how many pixels are in it."""
    seen: Counter[str] = Counter()
    for label in labels:
        image = label.grab().toImage()
        for x in range(image.width()):
            for y in range(image.height()):
                c = image.pixelColor(x, y)
                if c.red() - c.blue() > 60 and c.green() - c.blue() > 40:
                    seen[c.name()] += 1
    return seen.most_common(1)[0] if seen else ("", 0)


def test_cannot_tell_is_one_amber_on_the_change_line_and_the_change_tab(qtbot, window, tmp_path: Path) -> None:
    show_refused_pair(qtbot, window, tmp_path, "AMB-1")  # compared on import and on the tab: CANNOT TELL
    tab = window.comparison
    assert f"color:{CANNOT_TELL_AMBER}'>CANNOT TELL</b>" in tab.verdict_text()
    on_tab = amber_drawn(*(label for label in (tab.headline, tab.verdict) if label.isVisible()))
    window.tabs.setCurrentWidget(window.assessment)  # the same pair's stored comparison, on the panel's change line
    settled(qtbot, window)
    line = window.assessment.change
    said = unescape(line.text())
    assert line.isVisible() and f"<b style='color:{CANNOT_TELL_AMBER}'>Change since 5 Jan 2026: CANNOT TELL</b>" in said
    on_panel = amber_drawn(line)
    amber = QColor(CANNOT_TELL_AMBER).name()
    assert on_panel[0] == on_tab[0] == amber and on_panel[1] > 20 and on_tab[1] > 20  # the verdict words, one colour
