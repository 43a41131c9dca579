"""The Change tab says each capture's area at its own scale (#16): correcting the follow-up's mm per pixel (Edit >
Edit capture) moves the follow-up's figure and the trend chart's point, and Edit > Undo puts both back; the colour
difference figures (ΔE) stand in the verdict's tooltip, the reasons stay in plain words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.services.test_own_scale_area import CORRECTED, MM, textured_pair
from tests.ui.helpers import add_patient


def follow_up_area(window) -> float:
    text = window.comparison.verdict_text()
    found = re.search(
        r"Outlined area, (?:another measure \(the drawn outlines, )?each capture at its own scale\)?: baseline [0-9.]+ "
        r"mm² → follow-up ([0-9.]+) mm²",
        text,
    ) or re.search(r"Outlined area at each capture\S* recorded scale: baseline [0-9.]+ mm², follow-up ([0-9.]+)", text)
    assert found, text
    return float(found.group(1))


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
def test_a_corrected_follow_up_scale_moves_its_area_on_the_change_tab_and_undo_restores_it(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    add_patient(window, dialogs)
    reg = window.session.register
    lid = textured_pair(reg, tmp_path)
    trends = []
    draw = window.comparison.chart.set_trend
    window.comparison.chart.set_trend = lambda trend: (trends.append(trend), draw(trend))
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid)
    window.timeline.setCurrentRow(1)
    follow_id = window.selection.capture_id
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    before = follow_up_area(window)
    assert trends[-1].area.unit == "mm²" and trends[-1].area.values[1] == pytest.approx(before, abs=0.05)
    tip = window.comparison.verdict.toolTip()
    assert tip.startswith("Colour difference: whole lesion ΔE ") and "ΔE" not in window.comparison.verdict_text()

    def rescale(d) -> bool:
        d.mm_per_px.setValue(CORRECTED)
        return True

    dialogs.fillers.append(rescale)
    view, page = window.comparison, window.comparison.page.verticalScrollBar()
    window.resize(1000, 560)  # a short tab: the page scrolls
    qtbot.waitUntil(lambda: page.maximum() > 0)
    page.setValue(page.maximum())  # read to the bottom: a new result must show from its heading
    view.show_result(view.pictures, view.result, ("2026-01-10", "2026-03-10"))
    assert page.value() == 0
    page.setValue(page.maximum())
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.actions["edit_capture"].trigger()
    assert reg.captures.get(follow_id).mm_per_px == pytest.approx(CORRECTED, abs=1e-4) and not dialogs.errors
    qtbot.waitUntil(lambda: abs(follow_up_area(window) - before * 1.44) < 0.02 * before, timeout=60000)
    # the chart does not draw the +44 % either: the scales contradict the images, so it plots the area change the
    # comparison measured, as the verdict does (a rising mm² line beside NOT SIGNIFICANT misled)
    assert trends[-1].area.unit == "%" and abs(trends[-1].area.values[1]) < 5
    assert page.value() == 0
    # the images show the same zoom, the recorded scales do not: said first, no +44 % beside the verdict's change
    text = window.comparison.verdict_text()
    assert "<b style='color:#8a6d00'>Check the scales</b>: the recorded mm per pixel" in text  # 4.9:1 on white
    assert "+44%" not in text and "(+4" not in text

    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.stack.undo()
    assert reg.captures.get(follow_id).mm_per_px == MM
    qtbot.waitUntil(lambda: follow_up_area(window) == pytest.approx(before), timeout=60000)
    assert trends[-1].area.unit == "mm²" and trends[-1].area.values[1] == pytest.approx(before, abs=0.05)
