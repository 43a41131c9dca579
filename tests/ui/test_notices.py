"""What the app tells the user (issue 15): every file an import passed over, with its reason; what a cancelled
import saved; an interrupted restore finished at startup; a register that cannot be opened, refused in one line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import dermadesk.storage.restore as restore_module
import dermadesk.ui.controller as controller_module
from dermadesk.bench.crafted import fill_register
from dermadesk.config import REGISTER_FILE
from dermadesk.domain.errors import Cancelled
from dermadesk.storage.backup import backup
from dermadesk.storage.register import Register
from dermadesk.storage.restore import JOURNAL, restore
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, click_body, wait_import


@pytest.fixture
def lesion(qtbot, window, dialogs, monkeypatch) -> int:
    """A patient with one lesion selected; no model (the notices, not the assessments, are under test)."""
    monkeypatch.setattr(window.models, "assessor", lambda: None)
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "front", 0.5, 0.3)
    assert window.selection.lesion_id is not None
    return window.selection.lesion_id


def test_import_folder_names_each_skipped_file_with_its_reason(qtbot, window, dialogs, lesion,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "visit"
    folder.mkdir()
    (folder / "good.jpg").write_bytes(lesion_jpeg(3))
    (folder / "anim.gif").write_bytes(b"GIF89a" + bytes(64))
    (folder / "drawing.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    os.symlink(tmp_path / "gone.jpg", folder / "moved.jpg")  # a broken link
    dialogs.folders.append(str(folder))
    dialogs.fillers.append(lambda d: True)  # the capture dialog, as it comes
    window.c.import_folder()  # File > Import folder...
    result = wait_import(qtbot, window)

    assert [c.original_name for c in result.captures] == ["good.jpg"]
    assert not dialogs.errors
    assert len(dialogs.infos) == 1
    title, message = dialogs.infos[0]
    assert "3 files skipped" in title
    assert "1 image imported" in message
    for line in ("anim.gif: GIF files are not supported", "drawing.svg: SVG drawings are not supported",
                 "moved.jpg: broken link"):
        assert f"• {line}" in message  # one list line per file, with its reason
    assert window.timeline.count() == 1


def test_dropped_duplicates_are_warned_about_and_imported_once(qtbot, window, dialogs, lesion,
                                                               tmp_path: Path) -> None:
    good = tmp_path / "a.jpg"
    good.write_bytes(lesion_jpeg(4))
    copy = tmp_path / "a copy.jpg"
    shutil.copyfile(good, copy)
    dialogs.fillers.append(lambda d: True)
    window.c.drop_files([str(good), str(good), str(copy)])  # what a drag and drop hands over
    result = wait_import(qtbot, window)

    assert len(result.captures) == 1
    (title, message), = dialogs.infos
    assert "2 files skipped" in title
    assert "a.jpg: given twice; imported once" in message
    assert "a copy.jpg" not in message  # the import dialog named it before it asked: counted here, not named again
    assert "As said before the import, 1 file was the same image as another chosen file (imported once)." in message


def test_nothing_importable_says_why_for_each_file(qtbot, window, dialogs, lesion, tmp_path: Path) -> None:
    folder = tmp_path / "only-odd"
    folder.mkdir()
    (folder / "anim.gif").write_bytes(b"GIF89a" + bytes(64))
    (folder / "scan.heic").write_bytes(bytes(64))
    assert window.c.import_paths(lesion, [str(folder)], ask=False) is None  # nothing started
    (_title, message), = dialogs.warnings  # nothing lost: not the critical icon
    assert not dialogs.errors
    assert "anim.gif: GIF files are not supported" in message
    assert "scan.heic: HEIC files are not supported" in message


def test_a_folder_with_no_files_names_the_formats_the_importer_reads(qtbot, window, dialogs, lesion,
                                                                     tmp_path: Path) -> None:
    """It said "JPEG, PNG or TIFF images", the refusals of a file "JPEG, PNG, TIFF, BMP or WebP": one list now."""
    (tmp_path / "empty").mkdir()
    assert window.c.import_paths(lesion, [str(tmp_path / "empty")], ask=False) is None
    (_title, message), = dialogs.warnings
    assert message == "No image files found: choose a folder or files holding JPEG, PNG, TIFF, BMP or WebP images."


def test_cancelled_import_says_what_was_saved(qtbot, window, dialogs, lesion, tmp_path: Path,
                                              monkeypatch) -> None:
    files = []
    for i in range(4):
        path = tmp_path / f"c{i}.jpg"
        path.write_bytes(lesion_jpeg(20 + i))
        files.append(str(path))

    class CancelAfterTwo:  # the user presses Cancel while the third file is due
        cancelled = False
        checks = 0

        def raise_if_cancelled(self) -> None:
            self.checks += 1
            if self.checks > 2:
                self.cancelled = True
                raise Cancelled("cancelled by the user")

    real = controller_module.import_files
    monkeypatch.setattr(controller_module, "import_files",
                        lambda *a, **k: real(*a[:-1], CancelAfterTwo(), **k))
    window.c.import_paths(lesion, files, ask=False)
    result = wait_import(qtbot, window)

    assert result.cancelled and len(result.captures) == 2
    (title, message), = dialogs.infos
    assert "cancelled" in title.lower()
    assert "2 images saved" in message and "Saved: c0.jpg, c1.jpg" in message
    assert len(window.session.register.captures.for_lesion(lesion)) == 2


def test_many_skipped_files_all_listed_under_details(qtbot, window, dialogs, lesion, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "good.jpg").write_bytes(lesion_jpeg(5))
    for i in range(20):
        (folder / f"g{i:02d}.gif").write_bytes(b"GIF89a")
    window.c.import_paths(lesion, [str(folder)], ask=False)
    wait_import(qtbot, window)
    (_title, message), = dialogs.infos
    assert "and 5 more" in message
    (details,) = dialogs.details
    assert all(f"g{i:02d}.gif: GIF files are not supported" in details for i in range(20))


# -- startup -------------------------------------------------------------------------------------------------

class Crash(BaseException):
    """Stands in for a power cut: not an Exception, so nothing on the way catches it."""


def _interrupted_restore(tmp_path: Path, monkeypatch) -> tuple[Path, list[str]]:
    """A data directory whose restore crashed after the old data was moved aside (as tests/storage do)."""
    source, target = tmp_path / "source", tmp_path / "target"
    fill_register(source, patients=2, captures=1, seed=1)
    backup(source, tmp_path / "b.zip")
    fill_register(target, patients=3, captures=1, seed=2)
    with Register(source) as reg:
        backup_mrns = sorted(p.mrn for p in reg.patients.search())
    original = restore_module._move

    def crash_after_old_data_moved(src: Path, dst: Path) -> None:
        if ".restore-" in str(src):  # the old data is aside, nothing new in place: no register here
            raise Crash()
        original(src, dst)

    monkeypatch.setattr(restore_module, "_move", crash_after_old_data_moved)
    with pytest.raises(Crash):
        restore(tmp_path / "b.zip", target)
    monkeypatch.setattr(restore_module, "_move", original)
    assert (target / JOURNAL).exists() and not (target / REGISTER_FILE).exists()
    return target, backup_mrns


def test_startup_after_an_interrupted_restore_says_where_the_earlier_data_is(qtbot, dialogs, tmp_path: Path,
                                                                             monkeypatch) -> None:
    from dermadesk.ui.app import open_window

    target, backup_mrns = _interrupted_restore(tmp_path, monkeypatch)
    window = open_window(target, dialogs)
    assert window is not None
    qtbot.addWidget(window)
    try:
        (title, message), = dialogs.infos
        previous = [p for p in target.iterdir() if p.name.startswith("previous-")]
        assert len(previous) == 1
        assert "interrupted restore" in title.lower() and str(previous[0]) in message
        assert not dialogs.errors
        assert sorted(p.mrn for p in window.session.register.patients.search()) == backup_mrns
        assert window.patients.model.rowCount() == len(backup_mrns)
    finally:
        window.session.register.close()

    again = open_window(target, dialogs)  # said once: the next start has nothing to finish
    assert again is not None
    qtbot.addWidget(again)
    again.session.register.close()
    assert len(dialogs.infos) == 1


def test_startup_with_only_earlier_data_is_refused_in_one_line(qtbot, dialogs, tmp_path: Path) -> None:
    from dermadesk.ui.app import run

    data_dir = tmp_path / "data"
    fill_register(data_dir, patients=1, captures=1)
    aside = data_dir / "previous-20260101-000000"
    aside.mkdir()
    for name in (REGISTER_FILE, "images"):
        (data_dir / name).rename(aside / name)  # what an interrupted restore of an earlier version left

    assert run(str(data_dir), dialogs=dialogs) == 1  # exits before any window or event loop
    (_title, message), = dialogs.errors
    assert "\n" not in message
    assert "previous-20260101-000000" in message and "no new register was created" in message
    assert not (data_dir / REGISTER_FILE).exists()
    assert not dialogs.infos


def test_startup_on_a_damaged_register_is_refused_in_one_line(qtbot, dialogs, tmp_path: Path) -> None:
    from dermadesk.ui.app import run

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    junk = b"not a database " * 600
    (data_dir / REGISTER_FILE).write_bytes(junk)
    assert run(str(data_dir), dialogs=dialogs) == 1
    (_title, message), = dialogs.errors
    assert "\n" not in message and f"{REGISTER_FILE} is damaged" in message and "restore" in message
    assert (data_dir / REGISTER_FILE).read_bytes() == junk  # nothing written over it
