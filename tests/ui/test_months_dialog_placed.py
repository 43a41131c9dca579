""" "Other…"'s months box opened in the middle of the window, away from the re-check box it sets. It now opens just
under the box, their left edges lined up, and over it where the screen has no room under it: wholly on the screen
either way, never over the box (real window at 150 % on 1280x720, real dialog shown)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QVBoxLayout, QWidget

from dermadesk.ui.review_choices import RecheckBox
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out
from tests.ui.test_recheck_other_chosen import choose_other_by_keys, monitor_box


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def opened_at(qtbot, dialogs, asked: list[QRect]) -> None:
    """The next months box shown as exec() shows it, its frame's place noted, then cancelled."""

    def look(dialog) -> bool:
        dialog.show()
        qtbot.waitUntil(dialog.isVisible)
        asked.append(dialog.frameGeometry())
        dialog.reject()
        return False

    dialogs.fillers.append(look)


def test_the_months_box_opens_under_the_recheck_box(qtbot, window, dialogs, tmp_path: Path) -> None:
    window.resize(853, 480)
    view, box = monitor_box(qtbot, window, tmp_path)
    laid_out(qtbot, window)
    asked: list[QRect] = []
    opened_at(qtbot, dialogs, asked)
    choose_other_by_keys(qtbot, box)
    [opened] = asked
    anchor, screen = global_rect(box), box.screen().availableGeometry()
    assert screen.contains(opened)  # wholly on the screen
    assert opened.top() == anchor.bottom() + 1  # right under the box...
    assert opened.left() == min(anchor.left(), screen.right() + 1 - opened.width())  # ...lined up with it
    assert not opened.intersects(anchor) and box.months() == 24  # Cancel: the choice before it stays


def test_near_the_screens_bottom_it_opens_over_the_box(qtbot, dialogs) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    box = RecheckBox(holder, dialogs)
    QVBoxLayout(holder).addWidget(box)
    box.follow("monitor")
    screen = holder.screen().availableGeometry()
    holder.resize(160, 40)
    holder.move(screen.right() - 100, screen.bottom() - 40)  # partly past the right edge, at the bottom
    holder.show()
    qtbot.waitUntil(box.isVisible)
    asked: list[QRect] = []
    opened_at(qtbot, dialogs, asked)
    box.setCurrentIndex(box.count() - 1)
    box.activated.emit(box.count() - 1)  # "Other…" chosen from the list
    [opened] = asked
    anchor = global_rect(box)
    assert screen.contains(opened) and not opened.intersects(anchor)
    assert opened.bottom() == anchor.top() - 1  # over it: no room under it
