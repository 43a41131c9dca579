"""The status bar's edges, looked at as clinic staff meet them at 150 % (853x480):
- the data folder field showed "Data: …/data", which says nothing when every data folder ends in "data": the path
  is elided in its middle now, its start and its last two folders kept, the whole path in the tooltip;
- a click on the data folder field opens the folder in the file manager (the message list opens from the message);
- moving the mouse over the menus cleared the last task's message ("Report saved to ..."), as Qt shows each
  hovered entry's status tip, empty for most, in its place: the message stays, or comes back when the hover ends.
Real widgets; the file manager is not started (offscreen): the URL it would be given is recorded instead."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QStatusTipEvent
from PySide6.QtWidgets import QApplication, QLabel

from dermadesk.ui.status_folder import OPEN_TIP, FolderField, middle_elided
from tests.ui.test_short_screen_panes import shown_at

SAVED = "Report saved to /home/kim/Documents/DermaDesk reports/CAN-1 Lesion 1.pdf"
LONG = Path("/home/kim/Documents/clinic shared drive/dermatology workstation 2/DermaDesk/data")


def test_the_data_folder_is_elided_in_its_middle_with_its_last_two_folders_kept(qtbot, window, tmp_path) -> None:
    field = FolderField(LONG)
    qtbot.addWidget(field)
    metrics = field.fontMetrics()
    whole = f"Data: {LONG}"
    room = metrics.horizontalAdvance(whole) // 2
    shown = middle_elided(whole, field.tail, metrics, room)
    assert field.tail == "/DermaDesk/data"
    assert shown.startswith("Data: /home/kim/") and shown.endswith("…/DermaDesk/data")  # not "Data: …/data"
    assert metrics.horizontalAdvance(shown) <= room
    assert middle_elided(whole, field.tail, metrics, 10**4) == whole  # room enough: all of it
    tiny = middle_elided(whole, field.tail, metrics, metrics.horizontalAdvance("Data: /ho…/data"))
    assert "…" in tiny and metrics.horizontalAdvance(tiny) <= metrics.horizontalAdvance("Data: /ho…/data")
    assert field.toolTip() == f"Data: {LONG}\n{OPEN_TIP}"
    # in the window at 150 %: the field as drawn shows the start and the end of the test's data folder
    shown_at(qtbot, window, tmp_path, 853, 480)
    label, folder = window.status.data_label, window.session.data_dir
    drawn = QLabel.text(label)  # what the label draws (its ``text()`` is the whole text)
    assert label.isVisible() and drawn != f"Data: …{folder.name}"
    assert drawn.startswith("Data: /") and "…" in drawn and drawn.endswith(f"/{folder.parent.name}/{folder.name}")
    assert label.fontMetrics().horizontalAdvance(drawn) <= label.contentsRect().width()
    assert label.toolTip().startswith(f"Data: {folder}\n")


def test_a_click_on_the_data_folder_opens_the_folder_not_the_message_list(qtbot, window, tmp_path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    label = window.status.data_label
    opened: list[QUrl] = []
    label.open_url = lambda url: opened.append(url) or True  # the file manager's place (offscreen: none to start)
    assert label.isVisible() and not window.statusBar().currentMessage()
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(20, label.height() // 2))
    assert opened == [QUrl.fromLocalFile(str(window.session.data_dir))]
    assert not window.statusBar().currentMessage()  # opened: nothing to say
    assert window.status.messages.dialog is None  # the message list stays on the message
    assert label.cursor().shape() == Qt.CursorShape.PointingHandCursor
    window.statusBar().showMessage(SAVED, 15000)  # a message takes the field's place: a click there lists them
    QApplication.sendPostedEvents()
    room = window.status.messages.message_rect()
    bar = window.statusBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(room.left() + 20, bar.height() // 2))
    assert window.status.messages.dialog is not None and window.status.messages.dialog.isVisible()
    assert len(opened) == 1


def test_a_click_where_no_file_manager_opens_says_so_in_the_status_bar(qtbot, window, tmp_path) -> None:
    shown_at(qtbot, window, tmp_path, 853, 480)
    label, folder = window.status.data_label, window.session.data_dir
    asked: list[QUrl] = []
    label.open_url = lambda url: asked.append(url) or False  # as Qt's where no launcher is found
    QApplication.clipboard().setText("before")
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(20, label.height() // 2))
    assert asked == [QUrl.fromLocalFile(str(folder))]
    assert window.statusBar().currentMessage() == f"Could not open the folder: {folder}; no file manager found"
    assert QApplication.clipboard().text() == "before"  # nothing copied in its stead
    assert window.status.messages.dialog is None


def hover(window, action: QAction) -> None:
    action.showStatusText(window)  # what a menu does as the mouse passes over the entry (and an empty one after)


def test_a_tasks_message_stays_while_the_mouse_passes_over_the_menus(qtbot, window) -> None:
    bar, messages = window.statusBar(), window.status.messages
    bar.showMessage(SAVED, 15000)
    no_tip = next(a for a in window.menuBar().actions() if a.text() == "&File")  # a menu's title: no status tip
    assert no_tip.statusTip() == ""
    hover(window, no_tip)
    assert bar.currentMessage() == SAVED  # an empty tip cleared it before
    hover(window, window.demo_action)  # an entry with a tip: shown in the message's place while hovered
    assert bar.currentMessage() == window.demo_action.statusTip()
    QApplication.sendEvent(window, QStatusTipEvent(""))  # the mouse leaves the entry
    assert bar.currentMessage() == SAVED  # back ...
    [timer] = [t for t in bar.findChildren(QTimer, options=Qt.FindChildOption.FindDirectChildrenOnly) if t.isActive()]
    assert 0 < timer.remainingTime() <= 15000 * 1.05  # ... for the rest of its time (Qt's coarse timers: ±5 %)
    assert [text for _when, text in messages.recent].count(SAVED) == 1  # said once, not listed again
    assert window.demo_action.statusTip() not in [text for _when, text in messages.recent]
    bar.showMessage("Lesion 2 saved", 15000)  # the next message replaces it as before
    assert bar.currentMessage() == "Lesion 2 saved"


def test_a_message_whose_time_ran_out_during_a_hover_is_not_brought_back(qtbot, window) -> None:
    bar, messages = window.statusBar(), window.status.messages
    bar.showMessage(SAVED, 200)
    hover(window, window.demo_action)
    assert bar.currentMessage() == window.demo_action.statusTip()
    held = messages._held
    assert held is not None and held[0] == SAVED and held[1] is not None
    qtbot.waitUntil(lambda: time.monotonic() > held[1])  # its 200 ms are up while the tip shows
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == ""  # as it would have timed out without the hover
