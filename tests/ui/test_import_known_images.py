"""The import dialog says which chosen images are already in the register ("1 of 3 images is already in the
register and will be skipped."), by content hash as the import checks, before Import is pressed: the refusal came
only after the user had confirmed "3 will be stored as taken on ...". Where no image chosen is new, no dialog asks:
a message says so. Real window, real register, real files."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, click_body, wait_import


def _lesion_with_a_capture(qtbot, window, dialogs, tmp_path: Path) -> tuple[int, Path]:
    """A lesion whose one capture is ``old.jpg``, taken 2026-01-10: (the lesion, that file)."""
    add_patient(window, dialogs)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    old = tmp_path / "old.jpg"
    old.write_bytes(lesion_jpeg(seed=1))
    lesion_id = window.selection.lesion_id
    import_files(window.session.register, "t", lesion_id, [old], CaptureMeta(taken_at="2026-01-10"))
    return lesion_id, old


def _new(tmp_path: Path, *seeds: int) -> list[Path]:
    files = []
    for seed in seeds:
        files.append(tmp_path / f"new{seed}.jpg")
        files[-1].write_bytes(lesion_jpeg(seed=seed))
    return files


def test_the_dialog_says_how_many_are_in_the_register_before_import(qtbot, window, dialogs, tmp_path) -> None:
    lesion_id, old = _lesion_with_a_capture(qtbot, window, dialogs, tmp_path)
    again = tmp_path / "again.jpg"  # the same bytes as new2.jpg, chosen twice
    new2, new3 = _new(tmp_path, 2, 3)
    again.write_bytes(new2.read_bytes())
    seen: dict[str, object] = {}

    def look(dialog) -> bool:
        seen["title"], seen["known"] = dialog.windowTitle(), dialog.known.text()
        seen["known shown"] = not dialog.known.isHidden()  # its row shown (the row is hidden where none is)
        seen["rows"] = [dialog.dates.item(i).text() for i in range(dialog.dates.count())]
        dialog.taken.set_iso("2026-01-10")  # the old capture's day: the same-day warning counts the new ones only
        seen["warning"] = dialog.same_day.text()
        return True

    dialogs.files.append([str(new2), str(old), str(new3), str(again)])
    dialogs.fillers.append(look)
    window.c.import_images()
    result = wait_import(qtbot, window)
    assert seen["known"] == (
        "1 of 4 images is already in the register and will be skipped. 1 is the same image as another chosen file: "
        "imported once."
    )
    assert seen["known shown"] and seen["title"] == "Import 4 images (2 will be skipped)"
    rows = seen["rows"]
    assert isinstance(rows, list) and len(rows) == 4
    assert rows[0].startswith(
        "✗ old.jpg: will be skipped, this image is already in this lesion (the capture of 10 Jan 2026, from old.jpg)"
    )
    assert rows[1] == "✗ again.jpg: will be skipped, same image as new2.jpg; imported once"
    assert rows[2].startswith("new2.jpg: 2026-") and rows[3].startswith("new3.jpg: 2026-")
    assert "already has a capture taken on 2026-01-10" in str(seen["warning"])
    assert "3 of these images" not in str(seen["warning"])  # the skipped ones are not counted as stored
    assert [c.original_name for c in result.captures] == ["new2.jpg", "new3.jpg"]  # as the dialog said
    assert len(window.session.register.captures.for_lesion(lesion_id)) == 3


def test_nothing_new_is_said_at_once_with_no_dialog_to_confirm(qtbot, window, dialogs, tmp_path) -> None:
    lesion_id, old = _lesion_with_a_capture(qtbot, window, dialogs, tmp_path)
    other = window.session.register.lesions.add("t", window.selection.patient_id, "anterior torso").id
    elsewhere = _new(tmp_path, 4)[0]
    import_files(window.session.register, "t", other, [elsewhere], CaptureMeta(taken_at="2026-01-11"))
    asked: list[object] = []
    dialogs.files.append([str(old), str(elsewhere)])
    dialogs.fillers.append(lambda dialog: asked.append(dialog) or True)
    window.c.import_images()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert asked == []  # no import dialog: there is nothing to confirm
    ((title, message),) = dialogs.infos
    assert title == "Nothing to import"
    lines = message.splitlines()
    assert lines[0] == "The images chosen are already in the register: nothing was imported."
    assert lines[1].startswith("• old.jpg: this image is already in this lesion (the capture of 10 Jan 2026, from")
    assert lines[2].startswith("• new4.jpg: the same image is the capture of 11 Jan 2026 in Lesion 2 · ")
    assert len(window.session.register.captures.for_lesion(lesion_id)) == 1 and not window.session.runner.running


def test_new_images_only_leave_the_line_out(qtbot, window, dialogs, tmp_path) -> None:
    _lesion_with_a_capture(qtbot, window, dialogs, tmp_path)
    seen: list[bool] = []
    dialogs.files.append([str(f) for f in _new(tmp_path, 5, 6)])
    dialogs.fillers.append(lambda dialog: seen.append(dialog.known.isHidden() and not dialog.known.text()) or False)
    window.c.import_images()
    qtbot.waitUntil(lambda: bool(seen), timeout=30000)
    assert seen == [True] and dialogs.infos == []


def test_the_notice_after_the_import_counts_what_the_dialog_named(qtbot, window, dialogs, tmp_path) -> None:
    """The files the dialog named before Import was pressed (in this lesion, in another, chosen twice) were named
    again, each with its reason, in the notice at the end: now counted there in one line."""
    lesion_id, old = _lesion_with_a_capture(qtbot, window, dialogs, tmp_path)
    other = window.session.register.lesions.add("t", window.selection.patient_id, "anterior torso").id
    elsewhere, new2 = _new(tmp_path, 4, 2)
    import_files(window.session.register, "t", other, [elsewhere], CaptureMeta(taken_at="2026-01-11"))
    again = tmp_path / "again.jpg"
    again.write_bytes(new2.read_bytes())
    dialogs.files.append([str(new2), str(old), str(elsewhere), str(again)])
    dialogs.fillers.append(lambda dialog: True)
    window.c.import_images()
    result = wait_import(qtbot, window)
    qtbot.waitUntil(lambda: bool(dialogs.infos or dialogs.warnings), timeout=30000)
    assert [c.original_name for c in result.captures] == ["new2.jpg"]
    ((title, message),) = dialogs.infos or dialogs.warnings  # an info: nothing new was refused
    assert title == "Import finished: 3 files skipped" and dialogs.warnings == [] and dialogs.details == []
    assert message == (
        "1 image imported.\n\nAs said before the import, 2 images already in the register were skipped; 1 file was "
        "the same image as another chosen file (imported once)."
    )
    assert len(window.session.register.captures.for_lesion(lesion_id)) == 2
