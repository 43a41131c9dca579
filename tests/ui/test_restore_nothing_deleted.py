"""Walkthrough 22: Edit > Restore deleted... with nothing deleted showed an empty list and an enabled Restore button
that closed the window, restoring nothing, without a word. It now says there is nothing deleted to restore, shows no
empty list and offers Close alone (Restore off); with something deleted, Restore is off until an item is ticked.
The delete questions name their item as Edit and Move do ("Delete capture of 10 Apr 2026", "Delete lesion 1").
Real window, real register."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from dermadesk.ui.correction_dialogs import NOTHING_DELETED
from tests.ui.test_corrections import filled, trigger  # noqa: F401 - a fixture


def test_nothing_deleted_says_so_and_restore_is_off(qtbot, window, dialogs, filled) -> None:  # noqa: F811
    seen = {}

    def look(d) -> bool:
        d.show()
        qtbot.waitExposed(d)
        buttons = d.findChild(QDialogButtonBox)
        seen.update(
            said=d.said.text(),
            list_shown=d.items.isVisible(),
            restore=d.restore_button.isEnabled(),
            close=buttons.button(QDialogButtonBox.StandardButton.Cancel).text(),
        )
        return False

    dialogs.fillers.append(look)
    done = window.corrections.stack.count()
    trigger(window, "restore_deleted")
    assert seen == {"said": NOTHING_DELETED, "list_shown": False, "restore": False, "close": "Close"}
    assert seen["said"].startswith("Nothing deleted to restore")
    assert window.corrections.stack.count() == done  # nothing recorded to undo


def test_restore_is_off_until_an_item_is_ticked(qtbot, window, dialogs, filled) -> None:  # noqa: F811
    _, first, _ = filled
    reg = window.session.register
    window.timeline.setCurrentRow(1)
    gone = window.selection.capture_id
    dialogs.confirms.append(True)
    trigger(window, "delete_capture")
    assert dialogs.questions[-1][0] == "Delete capture of 10 Apr 2026"  # named, as "Edit capture of ..." is
    assert reg.captures.get(gone).deleted_at is not None
    states = []

    def tick(d) -> bool:
        item = d.items.item(0)
        states.append((d.items.isVisibleTo(d), d.said.text(), d.restore_button.isEnabled()))
        item.setCheckState(Qt.CheckState.Checked)
        states.append(d.restore_button.isEnabled())
        item.setCheckState(Qt.CheckState.Unchecked)
        states.append(d.restore_button.isEnabled())
        d.check("capture", gone)
        states.append(d.restore_button.isEnabled())
        return True

    dialogs.fillers.append(tick)
    trigger(window, "restore_deleted")
    assert states == [(True, "Tick what to restore:", False), True, False, True]
    assert reg.captures.get(gone).deleted_at is None  # restored
    dialogs.confirms.append(False)
    trigger(window, "delete_lesion")
    assert dialogs.questions[-1][0] == "Delete lesion 1"
