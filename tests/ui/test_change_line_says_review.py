"""Walkthrough 23: the Assessment panel read "Change since 5 Jan 2026: SIGNIFICANT" in red on a lesion with no ⚠ flag,
a review after that comparison having cleared it: the nurse saw red with no warning sign and no why. The line now
says the review and what the comparison since the reviewed capture found (real window, real register, stored rows)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from dermadesk.services.register_ops import review_capture
from tests.services.test_change_answered import pair, three
from tests.ui.helpers import settled


def test_a_significant_change_a_review_answered_says_so_in_its_line(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lid, _, middle, latest = three(reg, tmp_path)
    review_capture(reg, "t", middle, "monitor", "benign pattern")
    pair(reg, lid, middle, latest, "not significant")  # compared with the reviewed capture
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, latest)
    settled(qtbot, window)
    assert window.lesions.flag_of(lid)[0] == ""  # no ⚠ beside the lesion...
    line = window.assessment.change
    assert line.isVisible() and "Change since 10 Mar 2026: SIGNIFICANT" in line.text()  # ...its red verdict...
    said = unescape(line.text())
    assert "; reviewed on 2 Jun 2026 (decision monitor), since then: " in said  # ...and why
    assert "since then: <b>NOT SIGNIFICANT</b>." in said  # bold, as a NOT SIGNIFICANT line says it, never green
    window.show_lesion(lid, middle)  # the reviewed capture's own line names its decision
    settled(qtbot, window)
    assert "; answered by the decision monitor on this capture." in unescape(line.text())


def test_a_change_nobody_answered_keeps_its_line_as_it_was(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lid, _, _, latest = three(reg, tmp_path)
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, latest)
    settled(qtbot, window)
    assert window.lesions.flag_of(lid)[0] == "⚠ CHANGED"
    assert unescape(window.assessment.change.text()).endswith(
        "SIGNIFICANT</b> (area grew by 35%). See the Change since baseline tab."
    )
