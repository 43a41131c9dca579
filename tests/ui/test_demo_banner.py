"""The demo window says it is the demo inside the window (issue 16: only its title did, and a maximised window
or one without a window manager shows no title bar), and its File menu says Quit closes only the demo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dermadesk.ui.demo_banner import CLOSE_DEMO, mark_demo


def test_the_demo_window_shows_a_yellow_field_in_its_menu_bar_and_close_the_demo(qtbot, window) -> None:
    assert window.quit_action.text() == "&Quit" and window.menuBar().cornerWidget() is None  # the real register
    central = window.centralWidget()
    banner = mark_demo(window)
    qtbot.waitUntil(banner.isVisible)
    assert "DEMO:" in banner.text() and "discarded when this window closes" in banner.text()
    assert "your own register is not touched" in banner.toolTip() and "[DEMO: synthetic" in window.windowTitle()
    bar = window.menuBar()
    assert bar.cornerWidget(Qt.Corner.TopRightCorner) is banner and window.centralWidget() is central  # no height
    assert banner.width() >= banner.sizeHint().width()  # whole, not cut
    assert window.quit_action.text() == CLOSE_DEMO == "Close the de&mo"
    file_menu = bar.actions()[0].menu().actions()
    assert window.quit_action in file_menu
    keys = [a.text().split("&")[1][0].lower() for a in file_menu if "&" in a.text()]
    assert keys.count("m") == 1  # its own access key (Alt+F, M), not Check register's C


def test_where_the_menu_bar_is_the_systems_the_field_is_a_strip_above_the_panes(qtbot, window, monkeypatch) -> None:
    panes = window.centralWidget()
    monkeypatch.setattr(type(window.menuBar()), "isNativeMenuBar", lambda _self: True)  # macOS: no corner widget
    banner = mark_demo(window)
    qtbot.waitUntil(banner.isVisible)
    layout = window.centralWidget().layout()
    assert layout.itemAt(0).widget() is banner and layout.itemAt(1).widget() is panes  # outside their scroll area
