"""The Change tab at 150 % on 1280x720 (853x480), as a walkthrough found it: the side-by-side images had no dates;
in Larger images view a gap stood between the images and the reasons; with the patient panes shown the images filled
the tab and the reasons needed scrolling, and with the reasons first (many of them) the images were below the first
screen: now the verdict's line, then the controls, then both images with the reasons beside them, all in the first
screen; a lesion with no capture, or one, showed two empty frames and no words. And the Assessment tab's tier line
ended a wrapped line with a lone "·" (real window, real register)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect

from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.comparison_actions import NO_CAPTURE, ONE_CAPTURE
from dermadesk.ui.comparison_layout import READ_CHARS
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


def heading_and_images_in_sight(qtbot, view) -> None:
    """The verdict's line and both images wholly in sight, unscrolled, the reasons beginning beside the images and
    wide enough to read (``READ_CHARS`` a line), the controls between the heading and the images."""
    assert view.stacked and view.page.verticalScrollBar().value() == 0
    box = view.images_box  # fitted (its size fixed for the tab's room) and laid out so
    qtbot.waitUntil(lambda: box.size() == box.minimumSize() == box.maximumSize())
    qtbot.waitUntil(lambda: all(in_sight(view, w) for w in (view.headline, view.left, view.right)))
    assert "SIGNIFICANT" in view.headline.text() and "(25 Aug 2026 → 23 Nov 2026)" in view.headline.text()
    assert in_sight(view, view.align_button) and in_sight(view, view.mode)
    images, words = in_page(view, view.images_box), in_page(view, view.verdict)
    assert in_page(view, view.headline).bottom() < in_page(view, view.controls).bottom() < images.top()
    assert words.top() == images.top() and words.left() > images.right()  # beside the images, from their top
    assert view.verdict.width() >= READ_CHARS * view.verdict.fontMetrics().averageCharWidth()


def test_larger_images_show_the_verdict_line_both_images_and_the_reasons_beside_them(
    qtbot, window, tmp_path: Path
) -> None:
    compared(qtbot, window, tmp_path, larger=True)
    view = window.comparison
    heading_and_images_in_sight(qtbot, view)
    assert view.stack.height() >= 120 and not view.colour_bar.isVisible()  # larger than with the panes shown
    assert view.buttons_row.y() == view.tools_row.y()  # the View controls and the buttons in one row: room for it


def test_with_the_panes_shown_the_verdict_line_and_both_images_are_in_sight(qtbot, window, tmp_path: Path) -> None:
    """With the reasons first, the images began below the first screen (with many reasons, well below it)."""
    compared(qtbot, window, tmp_path, larger=False)
    view = window.comparison
    heading_and_images_in_sight(qtbot, view)
    assert "area grew" in view.verdict.text() and "Outlined area" in view.verdict.text()  # reasons and figures
    view.set_verdict(view._verdict_parts[0], "<ul>" + "<li>a reason that takes a line or two here</li>" * 12 + "</ul>")
    qtbot.waitUntil(lambda: view.page.verticalScrollBar().maximum() > 0)  # the page scrolls for the reasons...
    heading_and_images_in_sight(qtbot, view)  # ...and the heading and the images stay in the first screen
    bar = view.page.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: in_sight(view, view.chart))  # the chart last, below the reasons


def test_the_difference_view_under_the_heading_keeps_its_scale_in_sight_and_moves_nothing(
    qtbot, window, tmp_path: Path
) -> None:
    compared(qtbot, window, tmp_path, larger=False)
    view = window.comparison
    heading_and_images_in_sight(qtbot, view)
    placed = [in_page(view, w) for w in (view.images_box, view.verdict, view.mode, view.align_button)]
    view.mode.setCurrentText("Difference")
    qtbot.waitUntil(lambda: view.colour_bar.isVisible() and in_sight(view, view.colour_bar))
    assert in_sight(view, view.single) and in_page(view, view.single).bottom() <= in_page(view, view.colour_bar).top()
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
    heading_and_images_in_sight(qtbot, view)
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
