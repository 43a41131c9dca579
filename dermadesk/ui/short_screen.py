"""A short or narrow window (1280x720 at 150 %: 853x480 in the window's own pixels): the referral prompt beside the
tab titles only where they leave room, and the height shared between the top panes, the timeline and the tabs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

COMPACT_BELOW = 600  # a window less high than this (1280x720 at 150 %: 480) shows smaller timeline thumbnails


def tabs_with_row(tabs: QTabWidget) -> tuple[QWidget, QVBoxLayout]:
    """``tabs`` in a box with room above them for a prompt too wide for the tab bar's corner."""
    box = QWidget()
    row = QVBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    row.addWidget(tabs)
    return box, row


def fit_prompt(tabs: QTabWidget, row: QVBoxLayout, box: QWidget, prompt: Any) -> None:
    """``prompt`` (the referral prompt) in the tab bar's corner where it fits beside the tab titles, else in a
    row of its own above the tabs: on a narrow window it squeezed the titles. Its words in its tooltip."""
    if prompt is None:
        return
    titles = sum(tabs.tabBar().tabSizeHint(i).width() for i in range(tabs.count()))
    beside = titles + prompt.sizeHint().width() + 24 <= box.width()
    in_corner = tabs.cornerWidget(Qt.Corner.TopRightCorner) is prompt
    if beside and not in_corner:
        row.removeWidget(prompt)
        tabs.setCornerWidget(prompt, Qt.Corner.TopRightCorner)
        prompt.setVisible(bool(prompt.text.text()))
    elif not beside and row.indexOf(prompt) < 0:
        if in_corner:
            tabs.setCornerWidget(None, Qt.Corner.TopRightCorner)
        row.insertWidget(0, prompt)
        prompt.setVisible(bool(prompt.text.text()))
    prompt.text.setToolTip(prompt.text.text())


def fit_panes(panes: QSplitter, timeline: Any, short: bool) -> None:
    """On a short window smaller timeline thumbnails, and the top panes (``panes`` 0) sharing the height with the
    tabs (2): 40 % to the top, at least its minimum; back to 30 % when the window is tall again."""
    if short == timeline.compact:
        return
    timeline.set_compact(short)
    line = timeline.maximumHeight()
    rest = sum(panes.sizes()) - line
    top = max(panes.widget(0).minimumSizeHint().height(), int(rest * (0.4 if short else 0.3)))
    panes.setSizes([top, line, rest - top])
