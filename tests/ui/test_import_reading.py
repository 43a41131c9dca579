"""Import images...: the chosen files' headers and EXIF dates are read on a worker thread (a slow network or USB
drive must not freeze the window; Cancel stops it), then the import dialog shows each file's date, or why it has
no usable EXIF date, and the files it will skip; a corrupt file is named, never a crash. Tests check *which
thread* read the files, never how long anything took."""

from __future__ import annotations

from pathlib import Path

import dermadesk.services.captures as captures
from dermadesk.services import register_ops as ops
from tests.analysis.test_exif_reasons import exif_tags, jpeg_with
from tests.ui.helpers import ThreadRecorder, add_patient, click_body, wait_import
from tests.ui.test_cancel import Gate


def _lesion(qtbot, window, dialogs, monkeypatch) -> int:
    monkeypatch.setattr(window.models, "assessor", lambda: None)  # no model: the reading is what is tested
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    assert window.selection.lesion_id is not None
    return window.selection.lesion_id


def _files(tmp_path: Path) -> list[Path]:
    made = {
        "dated.jpg": jpeg_with(exif_tags("2024:06:30 09:00:00")),
        "plain.jpg": jpeg_with(None),
        "camera.jpg": jpeg_with(exif_tags(make="DermaCam")),
        "unset.jpg": jpeg_with(exif_tags("0000:00:00 00:00:00")),
        "letter.jpg": b"Dear colleague, ...",
        "cut.jpg": jpeg_with(exif_tags("2024:06:30 09:00:00"))[:40],  # copied off the card half-way
        "half.jpg": jpeg_with(None)[:-700],  # its header whole, its pixels cut short: named before the import
    }
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return [tmp_path / name for name in made]


def test_files_are_read_off_the_gui_thread_and_the_dialog_says_each_date_or_why_none(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch
) -> None:
    _lesion(qtbot, window, dialogs, monkeypatch)
    exif_reads = ThreadRecorder(monkeypatch, captures, "read_exif_date")
    header_reads = ThreadRecorder(monkeypatch, captures, "decode_image")  # each file's checks and pixels
    seen: dict[str, object] = {}

    def look(d) -> bool:
        seen["running"] = list(window.session.runner.running)  # the reading has ended before the dialog opens
        seen["title"] = d.windowTitle()
        d.use_exif.setChecked(True)
        seen["rows"] = [d.dates.item(i).text() for i in range(d.dates.count())]
        return True

    dialogs.files.append([str(f) for f in _files(tmp_path)])
    dialogs.fillers.append(look)
    task = window.c.import_images()
    assert task is not None and task.name == "Reading 7 images"
    result = wait_import(qtbot, window)

    assert exif_reads.off_gui_thread and header_reads.off_gui_thread
    assert len(exif_reads.threads) == 4  # the three files the import will skip are not opened for a date
    assert len(header_reads.threads) == 5  # each file past its header checks decoded once, none again by the import
    assert seen["running"] == [] and seen["title"] == "Import 7 images (3 will be skipped)"
    then = "the date above is used"
    assert seen["rows"][3:] == [
        "dated.jpg: 2024-06-30 (EXIF date)",
        f"plain.jpg: 2024-06-30: no EXIF date (the file has no EXIF data); {then}",
        f"camera.jpg: 2024-06-30: no EXIF date (its EXIF data has no date tag); {then}",
        f'unset.jpg: 2024-06-30: no EXIF date (its EXIF date tag is unreadable: "0000:00:00 00:00:00"); {then}',
    ]
    letter, cut, half = seen["rows"][:3]
    assert half.startswith("✗ half.jpg: will be skipped, image file is truncated or damaged")
    assert letter.startswith("✗ letter.jpg: will be skipped, not an image file")
    assert cut.startswith("✗ cut.jpg: will be skipped, ")  # the corrupt file named with its reason
    assert sorted(c.original_name for c in result.captures) == ["camera.jpg", "dated.jpg", "plain.jpg", "unset.jpg"]
    assert sorted(Path(f).name for f, _ in result.errors) == ["cut.jpg", "half.jpg", "letter.jpg"]
    assert not dialogs.errors


def test_cancel_while_the_files_are_read_imports_nothing(qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    lesion = _lesion(qtbot, window, dialogs, monkeypatch)
    gate = Gate(monkeypatch, captures, "read_exif_date")
    dialogs.files.append([str(f) for f in _files(tmp_path)[:2]])
    dialogs.fillers.append(lambda d: True)
    window.c.import_images()
    qtbot.waitUntil(gate.entered.is_set, timeout=30000)
    # the worker is held inside the first file: the window still handles its events (the progress it sends)
    qtbot.waitUntil(lambda: window.progress.message == "reading dated.jpg (1 of 2)", timeout=30000)  # in its bar
    dialogs.files.append([str(tmp_path / "plain.jpg")])  # a second import meanwhile: told to wait, not queued
    assert window.c.import_images() is None
    assert dialogs.infos[0][0] == "Import" and dialogs.infos[0][1].startswith("Still reading the images chosen")
    gate.cancel_while_inside(qtbot, window)
    assert dialogs.infos[1:] == [
        ("Import cancelled", "Import cancelled while reading the images: nothing was imported.")
    ]
    assert len(dialogs.fillers) == 1  # the import dialog never opened
    assert window.session.register.captures.for_lesion(lesion) == [] and not dialogs.errors


def test_a_lesion_deleted_while_the_files_are_read_gets_nothing(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch
) -> None:
    lesion = _lesion(qtbot, window, dialogs, monkeypatch)
    gate = Gate(monkeypatch, captures, "read_exif_date")
    dialogs.files.append([str(_files(tmp_path)[0])])
    dialogs.fillers.append(lambda d: True)
    window.c.import_images()
    qtbot.waitUntil(gate.entered.is_set, timeout=30000)
    ops.delete_lesion(window.session.register, "t", lesion)
    gate.release.set()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert dialogs.infos == [("Import cancelled", "Lesion 1 was deleted meanwhile: nothing was imported.")]
    assert len(dialogs.fillers) == 1 and not window.session.runner.running
    assert window.session.register.captures.for_lesion(lesion, include_deleted=True) == []
