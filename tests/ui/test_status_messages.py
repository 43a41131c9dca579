"""A fresh-eyes walkthrough at 150 % (853x480): status-bar messages were cut mid-word with nothing to show more
("Decision 'monitor' saved (Lesion 1, captu", "... compared with the reviewed capture: NOT SI") and, once timed out,
could not be read at all. Now a message that does not fit ends in "…", is whole in the bar's tooltip, and the last
30 can be read again, with their times, in View > Recent messages... or by a click on the message."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from dermadesk.ui.status_messages import HINT, RECENT, elided
from tests.ui.test_short_screen_panes import shown_at

COMPARED = (
    "Lesion 1: 11 Aug 2025 → 12 Aug 2025 compared with the reviewed capture: NOT SIGNIFICANT (area grew by 2%);"
    " the lesion's flag is answered"
)
DECISION = "Decision 'monitor' saved (Lesion 1, capture of 15 Apr 2025)"


def view_entry(window, words: str):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return next(a for a in view.actions() if a.text().replace("&", "") == words)


def test_a_long_message_at_150_percent_ends_in_an_ellipsis_and_is_whole_in_the_tooltip(qtbot, window, tmp_path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    bar, messages = window.statusBar(), window.status.messages
    bar.showMessage(COMPARED, 15000)
    QApplication.sendPostedEvents()  # the fields fitted to the message
    room = messages.message_rect()
    assert 0 < room.width() < bar.fontMetrics().horizontalAdvance(COMPARED)  # it does not fit at 853 px
    assert room.right() < window.operator_label.x()  # drawn before the permanent fields, not under them
    shown = messages.shown()
    assert shown.endswith("…") and shown.startswith("Lesion 1: 11 Aug 2025")
    assert bar.fontMetrics().horizontalAdvance(shown) <= room.width()
    kept = shown.removesuffix("…")
    assert COMPARED.startswith(kept) and COMPARED[len(kept)] in " ,;:"  # after a whole word, not "NOT SI"
    assert bar.toolTip().startswith(COMPARED) and HINT in bar.toolTip()
    grabbed = bar.grab().toImage()  # drawn through the bar's own painting
    assert not grabbed.isNull() and bar.currentMessage() == COMPARED  # the message itself is left as it was said


def test_a_word_longer_than_the_room_is_cut_with_an_ellipsis(qtbot, window) -> None:
    metrics = window.statusBar().fontMetrics()
    path = "Report saved: /home/clinic/reports/" + "very-long-folder-name/" * 6 + "lesion-1.pdf"
    shown = elided(path, metrics, 300)
    assert shown.endswith("…") and shown.startswith("Report saved: /home/clinic/")  # the path's start, not only words
    assert metrics.horizontalAdvance(shown) <= 300
    assert elided("Lesion 2 saved\n(status: referred)", metrics, 2000) == "Lesion 2 saved (status: referred)"


def test_a_message_that_timed_out_can_be_read_again_with_its_time(qtbot, window, tmp_path) -> None:
    window.resize(853, 480)
    bar = window.statusBar()
    before = datetime.now().replace(microsecond=0)
    bar.showMessage(DECISION, 50)
    bar.showMessage(COMPARED, 50)  # the next message took its place before it was read
    qtbot.waitUntil(lambda: bar.currentMessage() == "")  # timed out: gone from the bar
    assert bar.toolTip() == HINT
    dialog = window.status.messages.show_recent()
    assert dialog.isVisible() and dialog.windowTitle() == "Recent messages" and not dialog.isModal()
    rows = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert [row.split("   ", 1)[1] for row in rows] == [COMPARED, DECISION]  # whole, newest first
    for row in rows:
        said = datetime.strptime(row.split()[0], "%H:%M:%S").time()
        assert before.time() <= said <= datetime.now().time()  # the time it was said
    assert dialog.list.wordWrap() and dialog.list.item(0).toolTip() == COMPARED
    bar.showMessage("Lesion 2 saved (status: referred)", 50)  # said while the list is open: listed at once
    assert dialog.list.item(0).text().endswith("Lesion 2 saved (status: referred)")
    dialog.list.setCurrentRow(0)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text().endswith("Lesion 2 saved (status: referred)")


def test_only_the_last_30_are_kept_and_a_menu_entrys_status_tip_is_not_one(qtbot, window) -> None:
    bar = window.statusBar()
    for n in range(RECENT + 5):
        bar.showMessage(f"message {n}", 50)
    recent = [text for _when, text in window.status.messages.recent]
    assert len(recent) == RECENT and recent[0] == "message 5" and recent[-1] == f"message {RECENT + 4}"
    window.demo_action.showStatusText(window)  # hovering Help > Open the demo register... shows its tip
    assert bar.currentMessage() == window.demo_action.statusTip()
    assert window.status.messages.recent[-1][1] == f"message {RECENT + 4}"  # a hover is not a message


def test_view_recent_messages_and_a_click_on_the_message_open_the_list_that_fits_150_percent(qtbot, window) -> None:
    window.resize(853, 480)
    bar = window.statusBar()
    bar.showMessage(COMPARED, 15000)
    QApplication.sendPostedEvents()
    room = window.status.messages.message_rect()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(room.left() + 20, bar.height() // 2))
    dialog = window.status.messages.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.close()
    view_entry(window, "Recent messages...").trigger()
    assert window.status.messages.dialog is dialog and dialog.isVisible()  # the same list again, not a second one
    size = dialog.frameGeometry().size().expandedTo(dialog.size())
    assert size.width() <= 853 and size.height() <= 480  # whole on 1280x720 at 150 %
    assert dialog.minimumSizeHint().width() <= 853 and dialog.minimumSizeHint().height() <= 480
    buttons = [b.text().replace("&", "") for b in dialog.findChildren(type(dialog.copy_button))]
    assert sorted(buttons) == ["Close", "Copy"]


def test_a_running_tasks_progress_is_elided_with_its_whole_words_on_hover(qtbot, window, tmp_path: Path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    words = "Comparing Lesion 1 with the reviewed capture of 15 Apr 2025: aligning and measuring"
    window.progress.show()
    window.task_progress(0.4, words)
    window.statusBar().showMessage(COMPARED, 15000)  # a message beside it: both elided, none cut without a sign
    qtbot.waitUntil(lambda: window.progress.width() > 0)
    shown = window.progress.format()
    assert (shown == words or "…" in shown) and window.progress.toolTip() == words
    assert window.status.messages.shown().endswith("…")


def test_recent_messages_has_its_own_access_key_in_the_view_menu(window) -> None:
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    keys = [m.group(1).lower() for a in view.actions() if (m := re.search(r"&([^&])", a.text()))]
    assert "m" in keys and len(keys) == len(set(keys))
    assert view_entry(window, "Recent messages...").text() == "Recent &messages..."
