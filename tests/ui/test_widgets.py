"""Combo boxes in scrolled panels change with the wheel only once the user has chosen them.

(Sending a synthetic QWheelEvent from Python trips a PySide6 reference-count bug at interpreter exit, so the
wheel itself was checked by hand; this test checks the widgets are the focus-guarded kind.)
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dermadesk.ui.widgets import StillComboBox


def test_scrolled_panels_use_focus_guarded_combo_boxes(window) -> None:
    combos = [
        window.assessment.decision,
        window.lesions.site,
        window.lesions.status,
        window.patient_form.sex,
        window.patient_form.skin,
    ]
    for combo in combos:
        assert isinstance(combo, StillComboBox)
        assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus  # no focus by wheel: the panel scrolls instead


def test_a_window_never_opens_past_the_screen(qtbot) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from dermadesk.ui.widgets import fit_to_screen

    free = QGuiApplication.primaryScreen().availableGeometry()
    window = QWidget()
    qtbot.addWidget(window)
    fit_to_screen(window, free.width() + 400, free.height() + 300)  # a 1400x900 window on a 1280x720 laptop
    assert (window.width(), window.height()) == (free.width(), free.height())
    fit_to_screen(window, 300, 200)
    assert (window.width(), window.height()) == (300, 200)


def test_scale_box_reads_a_decimal_comma_and_refuses_an_impossible_scale(qtbot) -> None:
    """Found by a new user: '0,05' typed in Edit capture was saved as 5 mm per pixel, silently."""
    from dermadesk.ui.widgets import MAX_MM_PER_PX, ScaleSpinBox

    box = ScaleSpinBox()
    qtbot.addWidget(box)
    assert box.text() == "not recorded" and box.value() == 0.0  # none stored, as the CLI says it
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "0,05")
    box.interpretText()
    assert box.value() == pytest.approx(0.05)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "5")
    box.interpretText()
    assert box.value() <= MAX_MM_PER_PX and box.value() != 5.0
