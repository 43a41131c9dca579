"""The demo window says it is the demo inside the window, not only in its title (a maximised window, or one
without a window manager, shows no title bar; issue 16): a yellow field at the right of the menu bar, always in
sight and taking no height from the panes (a strip above them made the window scroll at 1280x720 and 150 %), or
a yellow strip above the panes where the menu bar is the system's (macOS); and File > Close the demo for Quit
(the demo is its own process: closing it leaves the real register's window open)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

DEMO_TITLE = " [DEMO: synthetic data, discarded on exit]"
DEMO_BANNER = "<b>DEMO:</b> synthetic data, discarded when this window closes"
DEMO_TIP = "A demo register of synthetic patients: nothing here is kept, and your own register is not touched"
CLOSE_DEMO = "Close the de&mo"  # C is Check register...'s key
CLOSE_DEMO_TIP = "Closes this demo window and discards its synthetic register; your own register stays as it is"


def demo_banner() -> QLabel:
    """The yellow field naming the demo, the longer words in its tooltip."""
    banner = QLabel(DEMO_BANNER)
    banner.setAccessibleName("Demo banner")
    banner.setToolTip(DEMO_TIP)
    banner.setStyleSheet("QLabel { background: #ffd84d; color: #1a1a1a; border: 1px solid #b38f00; padding: 1px 8px; }")
    return banner


def _above_panes(window: Any, banner: QLabel) -> None:
    content = window.takeCentralWidget()
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(content, 1)
    window.setCentralWidget(box)


def place_banner(window: Any, banner: QLabel) -> None:
    """``banner`` at the right of the window's menu bar, or above its panes where the menu bar is the system's."""
    bar = window.menuBar()
    if bar.isNativeMenuBar():
        _above_panes(window, banner)
    else:
        bar.setCornerWidget(banner, Qt.Corner.TopRightCorner)
        banner.show()  # a widget given to a menu bar already shown stays hidden until shown


def mark_demo(window: Any) -> QLabel:
    """Mark ``window`` as the demo's: its title, the yellow field (in the menu bar, or above the panes) and
    File > Close the demo (``window.quit_action``); sets and returns ``window.demo_banner``."""
    window.setWindowTitle(window.windowTitle() + DEMO_TITLE)
    banner = demo_banner()
    place_banner(window, banner)
    window.quit_action.setText(CLOSE_DEMO)
    window.quit_action.setStatusTip(CLOSE_DEMO_TIP)
    window.quit_action.setToolTip(CLOSE_DEMO_TIP)
    window.demo_banner = banner
    return banner
