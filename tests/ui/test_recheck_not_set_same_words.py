"""A NOT ASSESSABLE capture's re-check box said "unset" closed where its list said "Not set (retake first)": a nurse
could not tell they were the same choice. Closed it now says the list's own words, fewer where narrow ("retake" at
150 % on 1280x720), each a start of the list's "Retake first (not set)" (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from tests.services.test_standing import assess
from tests.ui.test_cancel import two_captures
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out


def test_closed_the_box_says_the_lists_words(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    lesion_id = two_captures(window, tmp_path)
    reg, view = window.session.register, window.assessment
    for capture in reg.captures.for_lesion(lesion_id):
        assess(reg, capture.id, None)  # NOT ASSESSABLE, no tier anywhere
    window.show_lesion(lesion_id)
    qtbot.waitUntil(lambda: "NOT ASSESSABLE" in view.tier.text())
    box, metrics = view.recheck, view.recheck.fontMetrics()
    view.decision.setCurrentText("monitor")
    laid_out(qtbot, window)
    listed = box.itemText(0)
    assert listed == "Retake first (not set)"
    closed = box.shown()
    assert closed == "retake" and metrics.horizontalAdvance(closed) <= box.width()  # at its least width, whole
    for room in range(metrics.horizontalAdvance("retake"), metrics.horizontalAdvance(listed) + 1, 2):
        shown = box.shown(room)  # however wide: the list's words, the first of them at least
        assert listed.lower().startswith(shown.lower()) and shown.lower() in ("retake", "retake first", listed.lower())
