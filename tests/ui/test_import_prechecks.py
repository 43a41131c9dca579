"""The import dialog names the files it will skip (not an image, empty, over the pixel limit) before Import
is pressed, and Import is offered only when one file can be imported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QDialogButtonBox

from dermadesk.analysis.decode import file_problem
from tests.test_decode import _png_header_only
from tests.ui.helpers import add_patient, click_body, wait_import


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    good = tmp_path / "lesion.jpg"
    Image.fromarray(np.full((120, 160, 3), 140, np.uint8)).save(good)
    text = tmp_path / "letter.jpg"
    text.write_text("Dear colleague, ...")
    huge = tmp_path / "scan.png"
    huge.write_bytes(_png_header_only(9000, 7000))  # 63 MP claimed by the header
    return good, text, huge


def test_file_problem_gives_the_import_refusal_without_decoding(tmp_path: Path) -> None:
    good, text, huge = _files(tmp_path)
    assert file_problem(good) is None
    assert file_problem(text).startswith("letter.jpg: not an image file")
    assert file_problem(huge).startswith("scan.png: image is 9000x7000 = 63 megapixels, over the 50 MP limit")
    assert file_problem(tmp_path / "gone.jpg").startswith("gone.jpg: cannot read file")


def test_the_dialog_lists_the_files_it_will_skip_and_the_import_skips_them(qtbot, window, dialogs, tmp_path) -> None:
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    good, text, huge = _files(tmp_path)
    seen: dict[str, object] = {}

    def look(dialog) -> bool:
        seen["title"] = dialog.windowTitle()
        seen["rows"] = [dialog.dates.item(i).text() for i in range(dialog.dates.count())]
        seen["enabled"] = dialog.import_button.isEnabled()
        return True

    dialogs.files.append([str(good), str(text), str(huge)])
    dialogs.fillers.append(look)
    window.c.import_images()
    result = wait_import(qtbot, window)
    assert seen["title"] == "Import 3 images (2 will be skipped)"
    rows = seen["rows"]
    assert rows[0].startswith("✗ letter.jpg: will be skipped, not an image file")  # problems first
    assert rows[1].startswith("✗ scan.png: will be skipped, image is 9000x7000")
    assert rows[2].startswith("lesion.jpg: ")
    assert seen["enabled"] is True
    assert len(result.captures) == 1  # the good file imported, the two named ones skipped as the dialog said
    assert [Path(f).name for f, _ in result.errors] == ["letter.jpg", "scan.png"]


def test_import_is_not_offered_when_no_file_can_be_imported(qtbot, tmp_path: Path) -> None:
    from dermadesk.ui.forms import CaptureDialog

    _, text, huge = _files(tmp_path)
    files = [str(text), str(huge)]
    dialog = CaptureDialog(files, problems={f: file_problem(f) for f in files})
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok is dialog.import_button and not ok.isEnabled()
    assert "None of these files" in ok.toolTip()
    dialog.taken.set_iso("2025-03-10")  # a valid date does not enable it
    assert not ok.isEnabled()
    good = CaptureDialog([str(text)], problems={})
    qtbot.addWidget(good)
    assert good.import_button.isEnabled()
