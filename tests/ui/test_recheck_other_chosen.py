"""The re-check box's "Other…" opens its months box only when chosen from the open list (a click, or Alt+Down then
Enter): arrow keys, End and the wheel stepping through the closed box opened it unasked on reaching it. While the
months box asks, the re-check box says the choice before it (it read "Oth…" behind), and Cancel leaves that choice.
Real window, real register, real widgets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from dermadesk.ui.review_choices import OTHER
from tests.ui.test_cancel import two_captures
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out


def monitor_box(qtbot, window, tmp_path: Path):
    """The review of a capture decided 'monitor', its re-check box in sight, focused, at 24 months (the last before
    "Other…")."""
    two_captures(window, tmp_path)
    view = window.assessment
    view.decision.setCurrentText("monitor")
    box = view.recheck
    box.set_months(24)
    laid_out(qtbot, window)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    return view, box


def choose_other_by_keys(qtbot, box) -> None:
    """Alt+Down opens the list; End goes to its last choice, "Other…"; Enter chooses it."""
    qtbot.keyClick(box, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert box.view().isVisible()
    qtbot.keyClick(box.view(), Qt.Key.Key_End)
    assert box.view().currentIndex().data() == OTHER
    qtbot.keyClick(box.view(), Qt.Key.Key_Return)


def wheel_down(box) -> None:
    """One notch of the mouse wheel, towards the list's end, over ``box``."""
    at = QPointF(box.rect().center())
    event = QWheelEvent(
        at,
        QPointF(box.mapToGlobal(at.toPoint())),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(box, event)


def test_stepping_through_the_closed_box_never_opens_the_months_box(qtbot, window, dialogs, tmp_path: Path) -> None:
    view, box = monitor_box(qtbot, window, tmp_path)
    asked = []
    dialogs.fillers.append(lambda d: asked.append(d) or False)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_End, Qt.Key.Key_PageDown):
        qtbot.keyClick(box, key)
        assert (box.currentText(), box.months()) == ("24 months", 24), key
    wheel_down(box)
    assert (box.currentText(), box.months()) == ("24 months", 24)
    qtbot.keyClick(box, Qt.Key.Key_O)  # a typed letter: no "Other…" either
    qtbot.keyClick(box, Qt.Key.Key_Home)  # back up the list, one by one, to 24 months again
    assert box.currentIndex() == 0 and box.months() is None
    for _ in range(box.count()):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert (box.currentText(), box.months(), view.recheck_months()) == ("24 months", 24, 24)
    assert asked == [] and not box.view().isVisible()


def test_other_chosen_by_the_keyboard_from_the_list_asks(qtbot, window, dialogs, tmp_path: Path) -> None:
    """Alt+Down, End, Enter: the months box opens; meanwhile the re-check box says "24 months", not "Oth…";
    9 months given, the box says them."""
    view, box = monitor_box(qtbot, window, tmp_path)
    behind = []

    def nine(dialog) -> bool:
        behind.append((box.currentText(), box.shown(), box.months()))
        dialog.months.setValue(9)
        return True

    dialogs.fillers.append(nine)
    choose_other_by_keys(qtbot, box)
    [(text, shown, months)] = behind
    assert (text, months) == ("24 months", 24) and shown in ("24 months", "24 mo")
    assert (box.currentText(), box.months(), view.recheck_months()) == ("9 months", 9, 9)
    assert box.hasFocus() and not box.view().isVisible()


def test_other_clicked_in_the_list_asks_and_cancel_keeps_the_choice(qtbot, window, dialogs, tmp_path: Path) -> None:
    view, box = monitor_box(qtbot, window, tmp_path)
    behind = []
    dialogs.fillers.append(lambda d: behind.append((box.currentText(), box.shown())) or False)  # Cancel
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)  # the list opens
    qtbot.waitUntil(box.view().isVisible)
    qtbot.wait(QApplication.doubleClickInterval() + 100)  # Qt takes no click in the list this soon after it opens
    other = box.view().visualRect(box.model().index(box.count() - 1, 0)).center()
    qtbot.mouseMove(box.view().viewport(), other)
    qtbot.mouseClick(box.view().viewport(), Qt.MouseButton.LeftButton, pos=other)
    assert len(behind) == 1 and behind[0][0] == "24 months" and "Oth" not in behind[0][1]
    assert (box.currentText(), box.months(), view.recheck_months()) == ("24 months", 24, 24)
    assert box.shown() in ("24 months", "24 mo") and view.unsaved_review() is not None  # 24: not saved yet


def test_after_the_list_is_closed_by_escape_stepping_still_never_asks(qtbot, window, dialogs, tmp_path: Path) -> None:
    """The list opened and closed with Escape left "Other…" choosable: Down or End on the closed box then opened the
    months box unasked, and the next Down changed its number. Now the closed box passes it by as before."""
    view, box = monitor_box(qtbot, window, tmp_path)
    asked = []
    dialogs.fillers.append(lambda d: asked.append(d) or False)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_End):
        qtbot.keyClick(box, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the list open
        assert box.view().isVisible()
        qtbot.keyClick(box.view(), Qt.Key.Key_Escape)  # and closed again, nothing chosen
        qtbot.waitUntil(lambda: not box.view().isVisible())
        qtbot.keyClick(box, key)
        assert (box.currentText(), box.months()) == ("24 months", 24), key
        wheel_down(box)
        assert asked == [] and (box.currentText(), view.recheck_months()) == ("24 months", 24), key
