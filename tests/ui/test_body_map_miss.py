"""At 150 % on 1280x720 (853x480) each figure of the body map is about 70 px wide, and a click just beside an arm
did nothing, silently: a user took the map for broken. A click beside the outline says where to click, in the
status bar; nothing is asked and nothing placed (real window, real register)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from dermadesk.domain.bodymap import site_at
from dermadesk.ui.first_run import MISSED
from tests.ui.helpers import add_patient, settled


def beside_the_arm(view: str = "front") -> tuple[float, float]:
    """A point in the figure's frame, level with the upper arm, just outside its outline."""
    y = 0.3
    arm = next(x / 200 for x in range(100) if site_at(view, x / 200, y) is not None)  # the arm's outer edge
    assert arm > 0.02
    return arm - 0.02, y


def test_a_click_beside_the_outline_says_where_to_click(qtbot, window, dialogs) -> None:
    window.resize(853, 480)
    add_patient(window, dialogs, "C-1001", "Maria Lindqvist")
    settled(qtbot, window)
    bm, bar = window.lesions.body_map, window.statusBar()
    x, y = beside_the_arm()
    assert site_at("front", x, y) is None
    qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=bm.to_widget("front", x, y).toPoint())
    assert bar.currentMessage() == MISSED == "Click on the body outline to place a lesion"
    assert not dialogs.questions and window.session.register.lesions.for_patient(window.selection.patient_id) == []
    bar.clearMessage()
    qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))  # the corner, outside both figures
    assert bar.currentMessage() == MISSED and not dialogs.questions
    dialogs.confirms.append(True)  # on the outline: asked and placed, as before
    qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=bm.to_widget("front", 0.5, 0.35).toPoint())
    assert len(dialogs.questions) == 1 and window.selection.lesion_id is not None
    assert bar.currentMessage().startswith("Lesion 1 added (")
