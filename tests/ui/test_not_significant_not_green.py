"""A change verdict "NOT SIGNIFICANT" is drawn in the text's own colour, never green: under an URGENT melanoma result
a new user read "Change since 12 May 2026: NOT SIGNIFICANT" in green as reassurance about the lesion, where no
significant change in size or colour says nothing about malignancy. SIGNIFICANT stays red. The Assessment panel's
change line (its own verdict, and "since then: NOT SIGNIFICANT" after a review) and the Change since baseline tab,
read from the pixels drawn (real window, real register; the tab's comparison a real one of synthetic images)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from PySide6.QtWidgets import QLabel

from dermadesk.services.register_ops import review_capture
from tests.reports.test_change_said_once import grown_a_little
from tests.services.test_change_answered import pair, three
from tests.services.test_standing import lesion_with_results
from tests.ui.helpers import settled

REASON = "no significant change under short-term rules (the visits are 84 days apart): area +3%, diameter +2%"


def drawn_hues(*labels: QLabel) -> tuple[int, int, int]:
    """How many pixels the ``labels`` draw green, red and dark (text in the palette's own colour)."""
    green = red = dark = 0
    for label in labels:
        image = label.grab().toImage()
        for x in range(image.width()):
            for y in range(image.height()):
                c = image.pixelColor(x, y)
                r, g, b = c.red(), c.green(), c.blue()
                green += g - max(r, b) > 40
                red += r - max(g, b) > 60
                dark += max(r, g, b) < 80
    return green, red, dark


def test_a_not_significant_change_under_an_urgent_result_is_not_green(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["urgent", "urgent"])
    base, follow = (c.id for c in reg.captures.for_lesion(lid))
    reg.comparisons.add("t", lid, base, follow, None, "not significant", [REASON], {}, None)
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, follow)
    settled(qtbot, window)
    view = window.assessment
    assert "Risk tier: URGENT" in view.tier.text()
    line = view.change
    assert line.isVisible() and "Change since 10 Mar 2026: NOT SIGNIFICANT</b>" in unescape(line.text())
    green, red, dark = drawn_hues(line)
    assert dark > 100 and green == 0 and red == 0  # bold, in the text's colour: no reassurance, no alarm


def test_significant_stays_red_and_a_review_since_then_not_significant_is_not_green(
    qtbot, window, tmp_path: Path
) -> None:
    reg = window.session.register
    lid, _, middle, latest = three(reg, tmp_path)
    review_capture(reg, "t", middle, "monitor", "benign pattern")
    pair(reg, lid, middle, latest, "not significant")  # compared with the reviewed capture
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, latest)
    settled(qtbot, window)
    line = window.assessment.change
    said = unescape(line.text())
    assert "Change since 10 Mar 2026: SIGNIFICANT</b> (area grew by 35%)" in said
    assert "; reviewed on 2 Jun 2026 (decision monitor), since then: " in said and "NOT SIGNIFICANT</b>." in said
    green, red, _ = drawn_hues(line)
    assert red > 50 and green == 0  # the SIGNIFICANT verdict red, the review's NOT SIGNIFICANT not green


def test_the_change_tab_draws_not_significant_in_the_text_colour(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lesion_id = grown_a_little(reg, tmp_path)
    window.refresh(reg.lesions.get(lesion_id).patient_id)
    window.show_lesion(lesion_id)
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    tab = window.comparison
    assert "NOT SIGNIFICANT</b>" in tab.verdict_text()
    green, red, dark = drawn_hues(*(label for label in (tab.headline, tab.verdict) if label.isVisible()))
    assert dark > 100 and green == 0 and red == 0
