"""View > Larger images (F11): at 150 % on 1280x720 the Change tab showed about 90 px of each image; with the
patient list and the patient and lesion panes put aside the images get the window's height, and the same entry
(or Find patient) brings the panes back as they were fitted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect

from dermadesk.services import register_ops as ops
from dermadesk.storage.register import Register
from tests.ui.helpers import settled
from tests.ui.test_change_tab_sight import in_sight
from tests.ui.test_changed_elsewhere import patient_with_capture
from tests.ui.test_layout_panes import shown
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out


def test_larger_images_gives_the_comparison_the_height_and_gives_it_back(qtbot, window, tmp_path: Path) -> None:
    shown(qtbot, window, tmp_path, (853, 480), comparison=True)
    view, top = window.comparison, window.panes.widget(0)
    image = view.left  # the baseline, side by side

    def in_sight() -> int:  # the image's height painted: the page scrolls as one where the tab is short
        return image.visibleRegion().boundingRect().height()

    qtbot.waitUntil(lambda: not (image.base.pixmap().isNull() or view.right.base.pixmap().isNull()))  # both read
    laid_out(qtbot, window)  # measured once the images' arrival has been laid out, not before (a busy machine)
    before, top_height = in_sight(), top.height()
    menu = window.menuBar().actions()[2].menu()
    (action,) = [a for a in menu.actions() if a.text().startswith("Larger &images")]
    assert action.shortcut().toString() == "F11" and action.isCheckable()
    action.trigger()
    qtbot.waitUntil(lambda: in_sight() > 2 * before, timeout=20000)
    assert not window.patients.isVisible() and not top.isVisible() and window.timeline.isVisible()
    bar = window.larger_images.bar  # whose lesion it is: the name was in the panes put aside
    assert bar.isVisible() and bar.text.text() == "Layout Test · LAY-2 · Lesion 1 · posterior torso"
    action.trigger()  # again: the panes as they were fitted
    qtbot.waitUntil(lambda: top.isVisible() and top.height() == top_height, timeout=20000)
    assert window.patients.isVisible() and not window.larger_images.bar.isVisible()
    qtbot.waitUntil(lambda: in_sight() == before, timeout=20000)


def test_find_patient_or_the_bar_s_button_brings_the_panes_back(qtbot, window, tmp_path: Path) -> None:
    shown(qtbot, window, tmp_path, (853, 480))
    larger = window.larger_images
    larger.set_on(True)
    assert not window.patients.isVisible()
    window.focus_search()
    assert window.patients.isVisible() and window.panes.widget(0).isVisible() and not larger.bar.isVisible()
    assert not larger.on and window.patients.search.hasFocus()
    larger.set_on(True)
    window.show_patient(None)  # chosen elsewhere (an undo of another patient's change): the line follows
    assert larger.bar.text.text() == "No patient chosen"
    larger.bar.back.click()
    assert window.patients.isVisible() and not larger.on and not larger.bar.isVisible()
    assert window.centralWidget().horizontalScrollBar().maximum() == 0  # the long line never widened the window


def test_the_changed_elsewhere_strip_is_in_sight_with_larger_images(qtbot, window, tmp_path: Path, data_dir) -> None:
    """At 150 % with View > Larger images the strip stood above the patient form, hidden with it: the view was read
    again and the user there was never told. It stands under the lesion's line now, and goes back with the panes."""
    window.resize(853, 480)
    pid, _, _ = patient_with_capture(window, tmp_path)
    window.larger_images.set_on(True)
    window.assessment.notes.setPlainText("benign pattern")  # typing the read again keeps
    with Register(data_dir) as elsewhere, qtbot.waitSignal(window.watch.reloaded, timeout=20000):
        ops.add_lesion(elsewhere, "cli", pid, "head/neck")
    banner, bar = window.watch.banner, window.larger_images.bar
    qtbot.waitUntil(banner.isVisible)
    assert "clinician's notes of Lesion 1's capture of 5 Jan 2026" in banner.text.text()
    assert not window.panes.widget(0).isVisible()  # the panes still aside
    shown_at = QRect(banner.mapTo(window, QPoint(0, 0)), banner.size())
    assert window.rect().contains(shown_at) and banner.visibleRegion().boundingRect() == banner.rect()  # all of it
    assert bar.geometry().bottom() < banner.geometry().top() < window.tabs.geometry().top()  # above the tabs
    window.larger_images.set_on(False)  # the panes back: the strip above the patient form again, still said
    qtbot.waitUntil(lambda: banner.isVisible() and window.panes.widget(0).isAncestorOf(banner))
    assert banner.parentWidget().isAncestorOf(window.patient_form)
    window.larger_images.set_on(True)
    banner.close_button.click()  # closed with the panes aside: it stays closed when they come back
    window.larger_images.set_on(False)
    assert not banner.isVisible() and window.panes.widget(0).isAncestorOf(banner)


def test_the_change_tab_offers_larger_images_while_its_page_scrolls(qtbot, window, tmp_path: Path) -> None:
    """At 150 % the Change tab's page scrolls, its images below the first screen, and only the View menu said how to
    give it the window's height: a button beside the alignment buttons says it (F11), with the page in its tooltip."""
    shown(qtbot, window, tmp_path, (853, 480), comparison=True)
    view, larger = window.comparison, window.larger_images
    offer = larger.offer
    qtbot.waitUntil(offer.isVisible)
    assert view.page.verticalScrollBar().maximum() > 0 and view.page.verticalScrollBar().value() == 0
    assert in_sight(view, offer)  # in the first screen, in the alignment buttons' row
    assert offer.y() == view.align_button.y() and offer.parentWidget() is view.buttons_row
    assert offer.text() == "Larger images (F11)" and "This page scrolls" in offer.toolTip()
    assert "(F11)" in window.tabs.tabToolTip(window.tabs.indexOf(view))
    offer.click()  # the panes aside, as View > Larger images does; the button goes (the bar brings them back)
    assert larger.on and larger.action.isChecked() and not window.patients.isVisible() and not offer.isVisible()
    larger.set_on(False)
    qtbot.waitUntil(offer.isVisible)
    window.resize(1920, 1200)  # a page that no longer scrolls: nothing to offer
    settled(qtbot, window)
    qtbot.waitUntil(lambda: view.page.verticalScrollBar().maximum() == 0)
    assert not offer.isVisible()
