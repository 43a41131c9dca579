"""The operator: asked once per workstation, in the status bar, in the audit log; never the OS account silently."""

from __future__ import annotations

import dataclasses
import getpass

from PySide6.QtWidgets import QInputDialog

from dermadesk.config import Settings
from dermadesk.ui.settings_dialog import SettingsDialog
from dermadesk.ui.operator import ask_operator, show_operator
from tests.ui.helpers import add_patient


def test_operator_asked_remembered_shown_and_audited(qtbot, window, dialogs, monkeypatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "osaccount")
    s = window.session
    assert not s.settings.operator
    show_operator(window.operator_label, s)
    label = window.operator_label.text()
    assert "not set" in label and "osaccount" in label  # said, not silent
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("  ", True)))
    assert not ask_operator(s, window)  # blank: nothing set
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Nurse Kim", True)))
    assert ask_operator(s, window)
    show_operator(window.operator_label, s)
    assert window.operator_label.text() == "Operator: Nurse Kim"
    assert Settings.load(s.data_dir).operator == "Nurse Kim"  # remembered on this workstation
    pid = add_patient(window, dialogs, "OP-1", "Operator Test")
    assert s.register.audit.entries("patient", pid)[0].actor == "Nurse Kim"


def test_settings_dialog_changes_the_operator_and_keeps_the_rest(qtbot, window, dialogs) -> None:
    s = window.session
    s.save_settings(dataclasses.replace(s.settings, operator="A", report_folder="/tmp"))

    def fill(d: SettingsDialog) -> bool:
        d.operator.setText("Dr B")
        d.operator_on_deidentified.setChecked(True)
        return True

    dialogs.fillers.append(fill)
    window.open_settings()
    saved = Settings.load(s.data_dir)
    assert saved.operator == "Dr B" and saved.operator_on_deidentified and saved.report_folder == "/tmp"
    assert window.operator_label.text() == "Operator: Dr B"


def test_the_operator_is_remembered_per_workstation_not_per_register(tmp_path, monkeypatch) -> None:
    """A second data folder (or the demo's throwaway register) knows the operator without asking again; clearing
    it in the settings forgets it; a workstation folder that cannot be written never stops a save."""
    from dermadesk.config import WORKSTATION_FILE, workstation_dir

    first, second = tmp_path / "clinic", tmp_path / "field"
    Settings(operator="Nurse Kim").save(first)
    assert (workstation_dir() / WORKSTATION_FILE).is_file()
    assert Settings.load(second).operator == "Nurse Kim"  # another register, same workstation
    Settings(operator="Dr B").save(second)
    assert Settings.load(first).operator == "Dr B"  # the workstation's operator wins over a register's old one
    Settings(operator="").save(second)
    assert Settings.load(first).operator == "" and Settings.load(second).operator == ""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("DERMADESK_CONFIG_DIR", str(blocked / "sub"))
    Settings(operator="Nurse Lee").save(first)  # no error
    assert Settings.load(first).operator == "Nurse Lee"  # the register's own settings still hold it


def test_a_status_message_leaves_the_operator_model_and_device_in_sight(qtbot, window) -> None:
    """A temporary message ("Notes and decision saved") takes the data folder's place only: who works, and with
    which model on which device, stay shown (a new user saw them vanish behind every message)."""
    window.show()
    qtbot.waitExposed(window)
    window.statusBar().showMessage("Notes and decision saved", 60000)
    assert window.statusBar().currentMessage() == "Notes and decision saved"
    assert not window.data_label.isVisible()
    for label in (window.operator_label, window.model_label, window.device_label):
        assert label.isVisible() and label.width() > 0
    # the message is drawn left of the permanent fields: it has the room to be read (a tester saw none)
    room = min(w.x() for w in (window.operator_label, window.model_label, window.device_label))
    assert room >= window.statusBar().fontMetrics().horizontalAdvance("Notes and decision saved")
    window.statusBar().clearMessage()
    assert window.data_label.isVisible()


def test_a_message_shown_before_the_window_is_not_drawn_over_the_data_field(qtbot, data_dir, dialogs) -> None:
    """The demo's "Preparing the demo register…: done" came before the window was on screen: Qt left the data field
    shown under it, the two texts drawn over each other."""
    from dermadesk.ui.app import build_window

    win = build_window(data_dir, dialogs)
    qtbot.addWidget(win)
    win.statusBar().showMessage("Preparing the demo register…: done", 60000)
    win.show()
    qtbot.waitExposed(win)
    assert not win.data_label.isVisible() and win.operator_label.isVisible()
    win.statusBar().clearMessage()
    assert win.data_label.isVisible()
    win.session.register.close()


def narrow_bar(qtbot, window, model: str) -> None:
    """The window at 1280x720 at 150 % (853x480), its status bar's fields filled as a field laptop shows them."""
    window.resize(853, 480)
    window.show()
    qtbot.waitExposed(window)
    window.operator_label.setText("Operator: Nurse Jane Okafor")
    window.model_label.setText(model)
    window.device_label.setText("Device: processor (the graphics card could not be started)")


def test_a_message_has_room_on_a_narrow_status_bar(qtbot, window) -> None:
    """1280x720 at 150 % (853 px): the device's reason ("processor (the graphics card could not be started)") left
    the demo's message five letters ("Prep") and the data folder "Data: /t…". Where the bar has no room, the device
    field keeps its first words (its whole text in the tooltip); with room, the whole text."""
    narrow_bar(qtbot, window, "Model: dermadesk-effnetlite2x3-ms 3.0.0")
    bar, message = window.statusBar(), "Preparing the demo register…: done"
    wide = bar.fontMetrics().horizontalAdvance("Device: processor (the graphics card")
    qtbot.waitUntil(lambda: window.device_label.width() > wide)  # laid out whole, as when the model has loaded
    bar.showMessage(message, 60000)
    qtbot.waitUntil(lambda: window.device_label.width() < bar.fontMetrics().horizontalAdvance("Device: processor ("))
    room = min(w.x() for w in (window.operator_label, window.model_label, window.device_label))
    assert room >= bar.fontMetrics().horizontalAdvance(message)
    assert "could not be started" in window.device_label.toolTip() + window.device_label.text()
    bar.clearMessage()  # idle at 853 px: the data folder's short form whole beside the short device field
    qtbot.waitUntil(lambda: window.data_label.isVisible())
    qtbot.waitUntil(lambda: window.data_label.width() >= window.data_label.sizeHint().width())
    assert window.device_label.width() < bar.fontMetrics().horizontalAdvance("Device: processor (")
    window.resize(1280, 720)  # room again: the whole texts
    qtbot.waitUntil(lambda: window.device_label.width() > wide)
    assert window.model_label.width() >= bar.fontMetrics().horizontalAdvance("Model: dermadesk-effnetlite2x3-ms 3.0.0")


def test_the_model_field_never_shortens_loads_on_first_use_to_its_last_word(qtbot, window) -> None:
    """A narrow bar shortened "Model: NAME VERSION" to "Model: VERSION", and so "Model: loads on first use", before
    the model had loaded, to the garbled "Model: use"."""
    from PySide6.QtWidgets import QLabel

    narrow_bar(qtbot, window, "Model: loads on first use")
    window.statusBar().showMessage("Preparing the demo register…: done", 60000)
    window.status.fit()
    assert QLabel.text(window.model_label) != "Model: use"
    assert QLabel.text(window.model_label).startswith("Model: loads")  # elided at its end, if at all
