"""The Change tab at 150 % on 1280x720 (853x480), as a walkthrough found it: the side-by-side images had no dates;
in Larger images view a gap stood between the images and the reasons; with the patient panes shown the images filled
the tab and the reasons needed scrolling; a lesion with no capture, or one, showed two empty frames and no words. And
the Assessment tab's tier line ended a wrapped line with a lone "·" (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect

from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.comparison_actions import NO_CAPTURE, ONE_CAPTURE
from tests.conftest import lesion_jpeg
from tests.services.test_standing import lesion_with_results
from tests.ui.helpers import settled
from tests.ui.test_layout import lesion_with


def compared(qtbot, window, tmp_path: Path, larger: bool) -> None:
    window.resize(853, 480)
    lesion_with(window, tmp_path, ["2026-08-25", "2026-11-23"])
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    window.larger_images.set_on(larger)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    settled(qtbot, window)


def in_page(view, widget) -> QRect:
    """``widget``'s rectangle in the page's viewport (what is in sight: 0 to the viewport's height)."""
    return QRect(widget.mapTo(view.page.viewport(), QPoint(0, 0)), widget.size())


def test_the_side_by_side_images_are_captioned_with_their_dates(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path, larger=True)
    view = window.comparison
    base, follow = view.captions
    assert (base.text(), follow.text()) == ("Baseline · 25 Aug 2026", "Follow-up · 23 Nov 2026")
    qtbot.waitUntil(lambda: base.isVisible() and follow.isVisible())
    assert base.mapTo(view, QPoint(0, 0)).x() < follow.mapTo(view, QPoint(0, 0)).x()  # over their own images
    assert in_page(view, base).bottom() <= in_page(view, view.left).top()
    assert in_page(view, follow).bottom() <= in_page(view, view.right).top()


def test_larger_images_fill_the_height_the_reasons_leave(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path, larger=True)
    view = window.comparison
    assert view.stacked
    sight = view.page.viewport().height()
    qtbot.waitUntil(lambda: in_page(view, view.images_box).bottom() <= sight)  # images and words in one sight
    words, images = in_page(view, view.verdict), in_page(view, view.images_box)
    assert 0 <= words.top() and words.bottom() < images.top()  # the reasons first, whole
    assert images.bottom() >= sight - 12  # the images down to the tab's edge: no gap beside them
    assert view.stack.height() >= 160 and not view.colour_bar.isVisible()


def test_with_the_panes_shown_the_reasons_come_before_the_images(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path, larger=False)
    view = window.comparison
    assert view.stacked and view.page.verticalScrollBar().value() == 0
    qtbot.waitUntil(lambda: in_page(view, view.verdict).bottom() < view.page.viewport().height())  # no scrolling
    assert "area grew" in view.verdict.text() and "Outlined area" in view.verdict.text()  # reasons and figures
    assert in_page(view, view.images_box).top() < view.page.viewport().height()  # the images begin in sight


def test_a_lesion_without_two_captures_says_why_there_is_nothing_to_compare(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    reg = window.session.register
    pid = reg.patients.add("t", mrn="CH-1", name="Change Tab").id
    one, none = reg.lesions.add("t", pid, "anterior torso").id, reg.lesions.add("t", pid, "upper extremity").id
    f = tmp_path / "one.jpg"
    f.write_bytes(lesion_jpeg(seed=9))
    import_files(reg, "t", one, [f], CaptureMeta(taken_at="2026-09-01"))
    window.refresh(pid)
    window.tabs.setCurrentWidget(window.comparison)
    view = window.comparison
    for lesion, words in ((one, ONE_CAPTURE), (none, NO_CAPTURE)):
        window.lesions.select_lesion(lesion)
        qtbot.waitUntil(lambda words=words: view.verdict_text() == words)
        assert view.images_box.isHidden()  # no empty frames
        qtbot.waitUntil(lambda: (view.headline if view.stacked else view.verdict).isVisible())
    assert ONE_CAPTURE.startswith("Only one capture: a follow-up is compared with it")
    assert NO_CAPTURE.startswith("No captures yet")


def test_the_tier_line_has_no_separator_to_end_a_line_with(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    reg = window.session.register
    lid = lesion_with_results(reg, tmp_path, ["refer"])
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid)
    text = window.assessment.tier.text()
    assert "Risk tier: REFER" in text and "·" not in text
    assert "</b>; malignant 74% (melanoma 74%)" in text  # a wrap after "; " reads as a sentence's pause
