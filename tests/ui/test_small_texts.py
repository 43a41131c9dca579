"""Small texts a new user met (issue 16): the About window's command lines wrap (it had a horizontal scroll bar
at 150 %), counts read "1 image imported" / "3 images imported" / "No image imported" (not "0 image(s)"), and
the status bar's task text is cut only when it does not fit."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtGui import QPalette

from dermadesk.domain.text import counted
from dermadesk.services.captures import ImportResult
from dermadesk.ui.forms import AboutDialog
from dermadesk.ui.notices import import_notice
from dermadesk.ui.widgets import TaskProgressBar

LONG_COMMAND = "python -m training train " + " ".join(f"--option-{i} WORK/some/path/{i}.json" for i in range(30))


def test_the_about_window_wraps_the_model_cards_command_lines(qtbot) -> None:
    card = f"# Model card\n\nReproduce:\n\n```\n{LONG_COMMAND}\n```\n\nThe end."
    about = AboutDialog("Model **m 1**", card)
    qtbot.addWidget(about)
    about.resize(520, 400)
    about.show()
    browser = about.findChild(type(about.layout().itemAt(0).widget()))
    qtbot.waitUntil(browser.isVisible)
    assert browser.document().idealWidth() <= browser.viewport().width()  # ~1,900 px of one line before
    assert browser.horizontalScrollBar().maximum() == 0 and LONG_COMMAND in browser.toPlainText()


def test_counts_read_as_words_not_image_s() -> None:
    assert [counted(n, "image", none="No image") for n in (0, 1, 3)] == ["No image", "1 image", "3 images"]
    assert counted(0, "file") == "0 files" and counted(2, "capture") == "2 captures"

    def notice(saved: int, skipped: int, cancelled: bool = False) -> tuple[str, str]:
        caps = [SimpleNamespace(original_name=f"c{i}.jpg", id=i) for i in range(saved)]
        result = ImportResult(captures=caps, skipped=[(f"f{i}", "why") for i in range(skipped)], cancelled=cancelled)
        _kind, title, message, _details = import_notice(result)
        return title, message

    assert notice(0, 1)[0] == "Import finished: 1 file skipped" and notice(0, 1)[1].startswith("No image imported.")
    assert notice(3, 2)[1].startswith("3 images imported.") and "2 files skipped" in notice(3, 2)[0]
    assert notice(1, 0, cancelled=True)[1].startswith("Import cancelled: 1 image saved before it stopped")
    assert "(s)" not in "".join(notice(0, 1) + notice(1, 2) + notice(0, 0, cancelled=True))


def test_the_progress_text_is_whole_where_it_fits_and_one_colour_over_the_bar(qtbot) -> None:
    bar = TaskProgressBar()
    qtbot.addWidget(bar)
    bar.resize(bar.minimumWidth(), 24)  # the narrowest the status bar makes it
    bar.show()
    qtbot.waitUntil(lambda: bar.width() == bar.minimumWidth())
    bar.set_text("aligning and comparing")
    bar.setValue(300)
    assert bar.format() == "aligning and comparing"  # whole: it fits
    bar.set_text("Preparing the demo register: demo capture 7 of 10")
    assert bar.format().startswith("…") and bar.format().endswith("capture 7 of 10")  # too long: its end kept
    palette = bar.palette()  # not white over the done part ("aligning" read as "ligning")
    assert palette.color(QPalette.ColorRole.HighlightedText) == palette.color(QPalette.ColorRole.Text)


def test_the_about_window_shows_the_model_cards_plots(qtbot, tmp_path) -> None:
    """The card's plots lie beside it in models/: the About window found none of them (broken image icons)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from dermadesk.inference.registry import ModelRegistry
    from dermadesk.services.models import about_model

    line, card = about_model(ModelRegistry(tmp_path), None)
    urls = [u for u in card.split("](")[1:] if u.startswith("file:")]
    assert urls, "the bundled card's plots as file URLs"
    about = AboutDialog(line, card)
    qtbot.addWidget(about)
    browser = about.findChild(type(about.layout().itemAt(0).widget()))
    for url in urls:
        image = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url.split(")")[0]))
        assert image is not None and not image.isNull()


def test_each_menu_gives_each_access_key_once(window) -> None:
    """Alt+F then a letter runs one item: File had R (report, Restore), S (summary, spreadsheet), N (New, Print)."""
    import re

    for menu_action in window.menuBar().actions():
        keys = [
            m.group(1).lower()
            for a in menu_action.menu().actions()
            if not a.isSeparator() and a.isVisible() and (m := re.search(r"&([^&])", a.text()))
        ]
        assert len(keys) == len(set(keys)), (menu_action.text(), sorted(keys))
