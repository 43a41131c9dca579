"""First run: an empty register shows a guide; actions that need a selection say how to make one."""

from __future__ import annotations

from PySide6.QtCore import QProcess
from PySide6.QtGui import QKeySequence

from dermadesk.services import register_ops as ops
from dermadesk.ui.first_run import NEED_LESION, NEED_PATIENT
from tests.ui.helpers import click_body


def test_empty_register_shows_the_guide_until_a_patient_exists(qtbot, window, dialogs) -> None:
    assert window.guide.isVisible() and not window.tabs.isVisible()
    assert "Create a patient" in window.guide.text.text() and "body map" in window.guide.text.text()
    # and how to place one on or next to a lesion already marked (a plain click there selects that lesion)
    said = " ".join(window.guide.text.text().split())
    assert "Shift+click (or Ctrl+click) places a new lesion on or right next to a marker already there" in said

    def fill(d) -> bool:
        d.mrn.setText("FR-1")
        d.name.setText("First Run")
        return True

    dialogs.fillers.append(fill)
    window.guide.new_button.click()
    assert not window.guide.isVisible() and window.tabs.isVisible() and window.lesions.body_map.isVisible()
    panel = window.lesions  # its header says so too, whole: no wider than the pane's least width
    assert panel.title() == "Lesions: click the body map to add one (Shift+click: on a marker)"
    assert panel.fontMetrics().horizontalAdvance(panel.title()) < panel.layout().minimumSize().width()


def test_demo_button_starts_the_demo_in_its_own_process(qtbot, window, monkeypatch) -> None:
    started: list = []
    monkeypatch.setattr(QProcess, "startDetached", staticmethod(lambda program, args: started.append(args) or True))
    window.guide.demo_button.click()
    assert started and started[0][-1] == "--demo"


def test_actions_without_a_selection_say_how_to_make_one(qtbot, window, dialogs) -> None:
    window.c.import_images()  # Ctrl+I with no lesion
    assert dialogs.infos[-1] == ("No lesion selected", NEED_LESION) and not dialogs.errors  # a hint
    assert NEED_LESION.startswith("Select a patient and a lesion first:")
    ops.add_patient(window.session.register, "t", "FR-2", "Nobody Selected")
    window.refresh()
    window.show_patient(None)
    click_body(qtbot, window, "front", 0.5, 0.3)  # the body map with no patient: explained, nothing placed
    assert dialogs.infos[-1] == ("No patient selected", NEED_PATIENT)
    assert not window.session.register.lesions.for_patient(ops.search_patient_ids(window.session.register, "")[0])
    imports = [a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "&Import images..."]
    assert imports[0].shortcut() == QKeySequence("Ctrl+I")  # the shortcut the message names
