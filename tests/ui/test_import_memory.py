"""The import dialogs remember (issue 16): the file and folder dialogs open where the last import came from, in
the session and after a restart; the capture dialog prefills mm per pixel from the lesion's latest capture."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, click_body, wait_import


@pytest.fixture
def lesion(qtbot, window, dialogs, monkeypatch) -> int:
    """A patient with one lesion selected; no model."""
    monkeypatch.setattr(window.models, "assessor", lambda: None)
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    assert window.selection.lesion_id is not None
    return window.selection.lesion_id


def image(folder: Path, name: str, seed: int) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(lesion_jpeg(seed, 96, 72))
    return str(folder / name)


def test_import_dialogs_open_where_the_last_import_came_from(
    qtbot, window, dialogs, lesion, data_dir: Path, tmp_path: Path
) -> None:
    card = tmp_path / "sd card"
    dialogs.files.append([image(card / "visit 1", "a.jpg", 1)])
    dialogs.fillers.append(lambda d: True)
    window.c.import_images()
    wait_import(qtbot, window)
    window.c.import_images()  # the second dialog, cancelled
    window.c.import_folder()  # cancelled too
    first, again, folder = dialogs.asked
    assert first[1] != str(card / "visit 1")  # the first import: Documents (or home)
    assert again == ("Import images", str(card / "visit 1"))
    assert folder == ("Import a folder of images", str(card / "visit 1"))
    assert Settings.load(data_dir).import_folder == str(card / "visit 1")  # kept for the next start

    image(card / "visit 2", "b.jpg", 2)
    dialogs.folders.append(str(card / "visit 2"))
    dialogs.fillers.append(lambda d: True)
    window.c.import_folder()
    wait_import(qtbot, window)
    window.c.import_images()
    assert dialogs.asked[-1] == ("Import images", str(card))  # a folder import: the next opens beside it


def test_the_capture_dialog_prefills_the_latest_captures_scale(qtbot, window, dialogs, lesion, tmp_path: Path) -> None:
    seen: list[tuple[float, str, bool, str]] = []

    def calibrated(d) -> bool:
        assert d.mm_per_px.value() == 0  # nothing to go by yet: "not recorded"
        assert not d.scale_source.isVisibleTo(d)
        d.mm_per_px.setValue(0.0125)
        return True

    def look(d) -> bool:
        box = d.mm_per_px
        seen.append((box.value(), d.scale_source.text(), d.scale_source.isVisibleTo(d), box.toolTip()))
        return True

    dialogs.files.extend([[image(tmp_path, "a.jpg", 1)], [image(tmp_path, "b.jpg", 2)]])
    dialogs.fillers.extend([calibrated, look])
    window.c.import_images()
    first = wait_import(qtbot, window).captures[0]
    window.c.import_images()
    second = wait_import(qtbot, window).captures[0]

    value, source, shown, tip = seen[0]
    assert value == pytest.approx(0.0125) and shown
    assert source == (
        f"from the capture of {human_date(first.taken_at)};\nchange it if another dermatoscope or zoom was used"
    )
    assert "manual" in tip and "ruler" in tip  # what the value is and where to find it
    assert second.mm_per_px == pytest.approx(0.0125)  # taken as prefilled
