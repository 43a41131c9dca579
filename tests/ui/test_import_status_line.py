"""Issue #16: an import that saved nothing says so in the status bar ("Import: nothing imported (1 file
refused)"), never "Importing 1 image: done"."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.captures import ImportResult
from tests.ui.helpers import add_patient, click_body, wait_import


def test_an_import_that_saved_nothing_says_so_in_the_status_bar(qtbot, window, dialogs, tmp_path: Path) -> None:
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    text = tmp_path / "notes.jpg"
    text.write_text("not an image")
    dialogs.files.append([str(text)])
    dialogs.fillers.append(lambda d: True)
    window.c.import_images()
    result = wait_import(qtbot, window)
    assert not result.captures
    qtbot.waitUntil(lambda: not window.session.runner.running)
    assert window.statusBar().currentMessage() == "Import: nothing imported (1 file refused)"


def test_the_status_line_of_an_import() -> None:
    assert ImportResult().status_line() == "Import: nothing imported"
    assert ImportResult(skipped=[("a", "x"), ("b", "y")]).status_line() == "Import: nothing imported (2 files refused)"
    assert ImportResult(captures=[object()]).status_line() is None  # type: ignore[list-item]
