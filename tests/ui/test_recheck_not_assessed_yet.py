"""A capture not assessed yet has no tier, yet its re-check box said "by tier" (its list "As the tier suggests"),
a tier's interval where there was none. It now says so: "no tier" in the closed box at 150 % on 1280x720, more words
where wider, "As the tier suggests (no tier yet)" in the list; once assessed, the tier's interval as before (real
window, real register: captures imported with no model to assess them)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.ui.review_choices import BY_TIER
from tests.ui.test_cancel import two_captures
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out


def test_a_capture_not_assessed_yet_says_it_has_no_tier(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    two_captures(window, tmp_path)
    view = window.assessment
    box, metrics = view.recheck, view.recheck.fontMetrics()
    assert view.capture is not None and window.session.register.assessments.latest(view.capture.id) is None
    view.decision.setCurrentText("monitor")
    laid_out(qtbot, window)
    assert box.itemText(0) == "As the tier suggests (no tier yet)" and box.months() is None
    assert box.shown() == "no tier" and BY_TIER not in box.shown()  # at its least width: said whole, not cut
    assert metrics.horizontalAdvance(box.shown()) <= box.width()
    for words in ("As the tier suggests (no tier yet)", "no tier yet"):  # more words where wider
        assert box.shown(metrics.horizontalAdvance(words)) == words
    for room in range(0, 400, 5):  # never "by tier", however wide
        assert BY_TIER not in box.shown(room)
    box.set_tier("monitor")  # assessed: the tier's interval, as before
    assert box.itemText(0) == "As the tier suggests (3 months)" and box.shown(400) == "As the tier suggests (3 months)"
    assert box.shown(metrics.horizontalAdvance("by tier")) == "by tier"
