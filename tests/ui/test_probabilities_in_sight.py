"""At 150 % on a 1280x720 screen (853x480 in the window's own pixels) a REFER capture's details were a pane of about
127x98 px: the explanation (364 px tall) in it and the class probabilities below it, every name wrapped onto lines of
its own (408 px), out of sight without scrolling. Where the pane is that narrow or short the bars now come first, one
line a class, highest first, its code beside its bar and the full name in the row's tooltip; at 100 % on 1280x720
the full bars come after the change line, before the explanation; at 100 % on 1920x1080 they stay full, after the
explanation, and a NOT ASSESSABLE capture keeps its bars as before (real window, real register, a stored assessment
and comparison)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from dermadesk.contract import CLASSES
from tests.services.test_significant_change import store
from tests.ui.test_not_assessable_image_size import shown as not_assessable_shown
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out
from tests.ui.test_quality_warning_in_sight import LOW, PASS, shown_with
from tests.ui.test_reasons_column_width import REASON
from tests.ui.test_small_screen import in_sight

ADVICE = (
    "Features associated with malignancy. Consider referral for specialist review; compare with the previous "
    "capture and ask the patient about change, itching or bleeding."
)
REFER = dataclasses.replace(
    LOW,
    probabilities={"akiec": 0.009, "bcc": 0.004, "bkl": 0.022, "df": 0.004, "mel": 0.284, "nv": 0.669, "vasc": 0.007},
    top_class="nv",
    malignant_probability=0.30,
    melanoma_probability=0.284,
    risk_tier="refer",
    recommendation=ADVICE,
    quality=PASS,
)
TOP = ["nv", "mel", "bkl"]  # REFER's three highest, highest first


def refer_shown(qtbot, window, tmp_path: Path, size: tuple[int, int]):
    """A REFER capture with a significant change since the first (the change line in the details), at ``size``."""
    first, last = shown_with(qtbot, window, tmp_path, size, REFER)
    reg, view = window.session.register, window.assessment
    store(reg, window.selection.lesion_id, last, "significant", "area grew by 11%")
    window.show_lesion(window.selection.lesion_id, last)
    qtbot.waitUntil(lambda: view.change.isVisible() and "Risk tier: REFER" in view.tier.text())
    laid_out(qtbot, window)
    return view


def rows_in_sight(view) -> list[str]:
    """The codes of the classes whose bar rows stand wholly in the details' pane as it opens (not scrolled)."""
    bars, viewport = view.bars, view.scroll.viewport()
    top = bars.mapTo(viewport, QPoint(0, 0)).y()
    return [
        c.code for c, bottom in zip(bars.shown(), bars.row_bottoms()) if top >= 0 and top + bottom <= viewport.height()
    ]


def test_at_150_percent_the_top_probabilities_are_in_sight_without_scrolling(qtbot, window, tmp_path: Path) -> None:
    view = refer_shown(qtbot, window, tmp_path, (853, 480))
    bars, scroll = view.bars, view.scroll
    viewport = scroll.viewport()
    assert scroll.verticalScrollBar().value() == 0 and scroll.verticalScrollBar().maximum() > 0  # more below
    top = bars.mapTo(viewport, QPoint(0, 0)).y()  # the bars' first three lines inside the pane as it opens
    assert 0 <= top and top + 3 * bars.fontMetrics().height() <= viewport.height(), (top, viewport.height())
    assert bars.compact and [c.code for c in bars.shown()][:3] == TOP  # one line a class, highest first
    assert rows_in_sight(view)[:3] == TOP
    assert in_sight(view.tier) and "Consider referral" in view.tier.text()  # the tier and its advice above the pane
    # the explanation, the change and the rest under the bars, to scroll to
    layout = scroll.widget().layout()
    assert layout.indexOf(bars) < layout.indexOf(view.tier_detail) < layout.indexOf(view.change)
    assert ADVICE in view.tier_detail.text() and "SIGNIFICANT" in view.change.text()
    # each row whole or out of sight: the pane ends between two rows, as it does between two lines of text
    ends = [bars.mapTo(viewport, QPoint(0, 0)).y() + b for b in bars.row_bottoms()]
    starts = [top, *ends[:-1]]
    assert not [e for s, e in zip(starts, ends) if s < viewport.height() - 1 and e > viewport.height() + 1]


def test_a_compact_rows_tooltip_names_its_class_in_full(qtbot, window, tmp_path: Path) -> None:
    view = refer_shown(qtbot, window, tmp_path, (853, 480))
    bars = view.bars
    mel = bars.row_bottoms()[1] - 2  # the second row: melanoma, 28.4%
    assert bars.class_at(mel).code == "mel"
    QApplication.sendEvent(
        bars, QHelpEvent(QEvent.Type.ToolTip, QPoint(20, round(mel)), bars.mapToGlobal(QPoint(20, 0)))
    )
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == "Melanoma (mel): 28.4%"
    QToolTip.hideText()


def test_at_100_percent_on_1280x720_the_change_and_the_full_bars_come_before_the_explanation(
    qtbot, window, tmp_path: Path
) -> None:
    view = refer_shown(qtbot, window, tmp_path, (1280, 720))
    bars, layout = view.bars, view.scroll.widget().layout()
    assert not bars.compact and bars.shown() == list(CLASSES)  # the full names beside their bars, as at 1920x1080
    assert in_sight(bars) and in_sight(view.change)  # wholly, without scrolling; the explanation under them
    assert layout.indexOf(view.change) < layout.indexOf(bars) < layout.indexOf(view.tier_detail)


def test_at_100_percent_on_1920x1080_the_bars_stay_full_after_the_explanation(qtbot, window, tmp_path: Path) -> None:
    view = refer_shown(qtbot, window, tmp_path, (1920, 1080))
    bars, layout = view.bars, view.scroll.widget().layout()
    assert not bars.compact and bars.shown() == list(CLASSES) and not bars._stacked(bars.width())  # names beside
    assert layout.indexOf(view.change) < layout.indexOf(bars)  # after the explanation and the change, as before
    assert in_sight(bars) and bars.row_bottoms() == []


def test_a_not_assessable_capture_keeps_its_bars_as_they_were(qtbot, window, tmp_path: Path) -> None:
    view = not_assessable_shown(qtbot, window, tmp_path, [REASON])
    bars, layout = view.bars, view.scroll.widget().layout()
    assert bars.withheld and not bars.compact  # the names with a dash, in the classes' order
    assert layout.indexOf(view.warnings) < layout.indexOf(bars)  # after its reasons
    declined = view._assessment
    view.show_capture(view.capture, REFER)  # the same pane with an assessed capture: its bars compact and first
    laid_out(qtbot, window)
    assert bars.compact and layout.indexOf(bars) == 0
    view.show_capture(view.capture, declined)  # and back: as they were
    laid_out(qtbot, window)
    assert not bars.compact and bars.withheld and layout.indexOf(view.warnings) < layout.indexOf(bars)
