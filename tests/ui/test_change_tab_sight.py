"""The Change tab at 150 % on 1280x720 (853x480), as walkthroughs found it: the side-by-side images had no dates;
in Larger images view a gap stood between the images and the reasons; with the reasons first (many of them) the
images were below the first screen; then, with the reasons beside them, the images were drawn about 90x60 px with the
patient panes shown (the reasons took half the width) and the chart's plot was about 40 px high (walkthrough 24). Now
the verdict's line, the controls, then both images as wide as the tab (no higher than the tab shows at once), the
reasons under them and the chart, as high as the tab, last; the page scrolls as one. A lesion with no capture, or one,
showed two empty frames and no words. And the Assessment tab's tier line ended a wrapped line with a lone "·" (real
window, real register)."""

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


def in_sight(view, widget) -> bool:
    """``widget`` wholly inside the page's viewport as the page is scrolled now."""
    return view.page.viewport().rect().contains(in_page(view, widget))


def scrolled_to(view, widget) -> None:
    """The page scrolled so that ``widget``'s top is the viewport's (as far as the page scrolls)."""
    bar = view.page.verticalScrollBar()
    bar.setValue(bar.value() + in_page(view, widget).top())


def images_fitted(qtbot, view) -> None:
    """Unscrolled, the verdict's line and the controls in sight, the images under them, the reasons under the images
    and the chart last, each the page's width; the pair as wide as the page or as high as the page shows at once,
    and both images wholly in sight once the page is scrolled to them."""
    assert view.stacked and view.page.verticalScrollBar().value() == 0
    box = view.images_box  # fitted (its size fixed for the tab's room) and laid out so
    qtbot.waitUntil(lambda: box.size() == box.minimumSize() == box.maximumSize())
    qtbot.waitUntil(lambda: all(in_sight(view, w) for w in (view.headline, view.mode, view.align_button)))
    assert "SIGNIFICANT" in view.headline.text() and "(25 Aug 2026 → 23 Nov 2026)" in view.headline.text()
    images, words, chart = (in_page(view, w) for w in (box, view.verdict, view.chart))
    assert in_page(view, view.headline).bottom() < in_page(view, view.controls).bottom() < images.top()
    assert images.top() < view.page.viewport().height()  # the images begin in the first screen
    assert images.bottom() < words.top() < chart.top()  # the reasons under the images, the chart last
    page = view.page.viewport().width()
    assert view.verdict.width() >= page - 8 and view.chart.width() >= page - 8  # the tab's width
    assert box.width() >= page - 8 or box.height() == view.page.viewport().height()  # as large as the tab allows
    scrolled_to(view, box)
    qtbot.waitUntil(lambda: in_sight(view, view.left) and in_sight(view, view.right))
    view.page.verticalScrollBar().setValue(0)


def test_larger_images_show_the_verdict_line_and_both_images_as_wide_as_the_tab(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path, larger=True)
    view = window.comparison
    images_fitted(qtbot, view)
    assert all(in_sight(view, w) for w in (view.left, view.right))  # both whole in the first screen: room for it
    page = view.page.viewport().width()
    assert view.images_box.width() >= page - 8 and view.left.width() >= page // 2 - 20  # each half the tab's width
    assert view.stack.height() >= 240 and not view.colour_bar.isVisible()  # was 120 beside the reasons
    assert view.buttons_row.y() == view.tools_row.y()  # the View controls and the buttons in one row: room for it


def test_with_the_panes_shown_the_images_are_as_high_as_the_tab_and_the_reasons_under_them(
    qtbot, window, tmp_path: Path
) -> None:
    """With the panes shown the tab is about 160 px high: the images were drawn in what the heading and the controls
    left (about 60 px high, 90 wide); now as high as the tab, the page scrolled to them."""
    compared(qtbot, window, tmp_path, larger=False)
    view = window.comparison
    images_fitted(qtbot, view)
    assert "area grew" in view.verdict.text() and "Outlined area" in view.verdict.text()  # reasons and figures
    left_under_controls = view.page.viewport().height() - in_page(view, view.images_box).top()
    assert view.images_box.height() == view.page.viewport().height() > left_under_controls  # larger than before
    assert view.left.height() >= 120 and view.left.width() >= 160  # each image about twice as large every way
    view.set_verdict(view._verdict_parts[0], "<ul>" + "<li>a reason that takes a line or two here</li>" * 12 + "</ul>")
    qtbot.waitUntil(lambda: view.page.verticalScrollBar().maximum() > 0)  # the page scrolls for the reasons...
    images_fitted(qtbot, view)  # ...the heading first, the images before the reasons
    bar = view.page.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: in_sight(view, view.chart))  # the chart last, below the reasons, whole in sight
    assert view.chart.height() == view.page.viewport().height()  # as high as the tab: a plot to read (was 120 px)


def test_the_difference_view_keeps_its_scale_in_sight_under_it_and_moves_nothing(qtbot, window, tmp_path: Path) -> None:
    compared(qtbot, window, tmp_path, larger=False)
    view = window.comparison
    images_fitted(qtbot, view)
    placed = [in_page(view, w) for w in (view.images_box, view.verdict, view.mode, view.align_button)]
    view.mode.setCurrentText("Difference")
    qtbot.waitUntil(lambda: view.colour_bar.isVisible())
    scrolled_to(view, view.images_box)  # scrolled to the image: it and its scale in sight together
    qtbot.waitUntil(lambda: in_sight(view, view.single) and in_sight(view, view.colour_bar))
    assert in_page(view, view.single).bottom() <= in_page(view, view.colour_bar).top()
    view.page.verticalScrollBar().setValue(0)
    assert [in_page(view, w) for w in (view.images_box, view.verdict, view.mode, view.align_button)] == placed
    metrics = view.colour_bar.fontMetrics()  # its labels side by side within its width, none over another
    texts = [text for _, text in view.colour_bar.labels()]
    assert "no change" in texts[0] and "large change" in texts[-1]
    assert sum(metrics.horizontalAdvance(t) for t in texts) < view.colour_bar.width() - 8 * len(texts)
    view.mode.setCurrentText("Side by side")
    qtbot.waitUntil(lambda: not view.colour_bar.isVisible())
    assert [in_page(view, w) for w in (view.images_box, view.verdict, view.mode, view.align_button)] == placed


def test_a_narrow_pair_names_each_image_whole_or_by_its_day(qtbot, window, tmp_path: Path) -> None:
    """Over a narrow pair the captions were cut at both ends ("eline · 25 Aug 2"), then named by their roles alone:
    now by their days, the whole caption in the tooltip (the earlier on the left, as the heading reads them)."""
    compared(qtbot, window, tmp_path, larger=False)
    view = window.comparison
    images_fitted(qtbot, view)
    for caption, role, day in zip(view.captions, ("Baseline", "Follow-up"), ("25 Aug 2026", "23 Nov 2026")):
        assert caption.text() in (day, f"{role} · {day}") and caption.toolTip() == f"{role} · {day}"
        assert caption.fontMetrics().horizontalAdvance(caption.text()) <= caption.width()


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
