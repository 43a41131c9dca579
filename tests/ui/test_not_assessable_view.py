"""The Assessment tab shows a NOT ASSESSABLE capture as the printed report does: the image without the heat map,
no class probabilities and no malignant or melanoma figure (a clinician read "malignant 7%" or a tidy hotspot on a
declined image as reassurance); an assessed capture keeps them (real window, real register, no model)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from dermadesk.contract import NO_HEAT_MAP_NOTE, PROBABILITIES_WITHHELD_NOTE
from tests.services.test_standing import lesion_with_results


def shown_text(widget) -> str:
    """Every label's text and every tooltip on ``widget`` and in it."""
    parts = [widget.toolTip()] + [w.toolTip() for w in widget.findChildren(object) if hasattr(w, "toolTip")]
    return " ".join(parts + [label.text() for label in widget.findChildren(QLabel)])


def test_a_not_assessable_capture_shows_no_heat_map_and_no_figures(qtbot, window, tmp_path) -> None:
    reg = window.session.register
    lid = lesion_with_results(reg, Path(tmp_path), ["urgent", None])  # each stored with malignant 74 %
    urgent, grey = (c.id for c in reg.captures.for_lesion(lid))
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, grey)
    view = window.assessment
    assert view.capture.id == grey and "NOT ASSESSABLE" in view.tier.text()
    # the heat map: off, not to be switched on, and why in the key's place
    toggle = view.cam_toggle
    assert not toggle.isChecked() and not toggle.isEnabled() and toggle.toolTip() == NO_HEAT_MAP_NOTE
    assert view.no_cam.isVisibleTo(view) and view.no_cam.text() == "No heat map" and view.heat_key.isHidden()
    assert view.no_cam.toolTip() == NO_HEAT_MAP_NOTE  # the sentence; the NOT ASSESSABLE heading beside says why
    overlay = QImage(8, 8, QImage.Format.Format_ARGB32)
    overlay.fill(QColor("red"))
    qtbot.waitUntil(lambda: view._image is not None, timeout=10000)  # decoded off the GUI thread
    view.set_capture_overlay(grey, overlay)  # a stored heat map arriving for it is not drawn
    assert view.image.overlay.pixmap().isNull()
    # the class rows: a dash each, no bar, and the sentence saying why
    bars = view.bars
    assert bars.withheld and bars.probabilities == {} and {bars.value_text(c) for c in ("mel", "nv", "vasc")} == {"–"}
    assert bars.toolTip() == PROBABILITIES_WITHHELD_NOTE and PROBABILITIES_WITHHELD_NOTE in view.tier_detail.text()
    drawn = bars.grab().toImage()
    colours = {drawn.pixelColor(x, y).name() for x in range(0, drawn.width(), 2) for y in range(0, drawn.height(), 2)}
    assert not colours & {"#c62828", "#1565c0"}  # no bar
    text = shown_text(view)  # the tier line, the details, the warnings, every tooltip: no figure of the model's
    assert "74" not in text and "%" not in text and not re.search(r"(malignant|melanoma) \d", text)
    item = window.timeline.item(1)
    assert "%" not in item.text() + item.toolTip() and "NOT ASSESSABLE" in item.text()

    # the assessed capture before it: its heat map, key and figures as before
    window.timeline.step(-1)
    assert view.capture.id == urgent and toggle.isChecked() and toggle.isEnabled()
    assert not view.no_cam.isVisibleTo(view) and not view.heat_key.isHidden() and view.opacity.isEnabled()
    assert bars.value_text("mel") == "74.0%" and "malignant 74%" in view.tier.text()
    qtbot.waitUntil(lambda: view._image is not None, timeout=10000)
    view.set_capture_overlay(urgent, overlay)
    assert not view.image.overlay.pixmap().isNull()
    # the user's choice kept across a declined capture: switched off here, off again on the way back
    toggle.setChecked(False)
    window.timeline.step(1)
    assert not toggle.isEnabled()
    window.timeline.step(-1)
    assert toggle.isEnabled() and not toggle.isChecked() and view.heat_key.isHidden()
