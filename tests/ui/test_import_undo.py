"""An import and a patient's deletion are on the undo stack (each undo and redo audited), and the same image
imported twice into one lesion is refused with a clear message (into another lesion: refused as before), before
any import dialog asks."""

from __future__ import annotations

from pathlib import Path

from dermadesk.domain.dates import human_date
from dermadesk.services import register_ops as ops
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, click_body, wait_import


def _lesion(qtbot, window, dialogs) -> int:
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.5, 0.3)
    return window.selection.lesion_id


def _import(qtbot, window, dialogs, files: list[Path]):
    dialogs.files.append([str(f) for f in files])
    dialogs.fillers.append(lambda d: True)
    window.c.import_images()
    return wait_import(qtbot, window)


def _images(tmp_path: Path, n: int) -> list[Path]:
    files = []
    for i in range(n):
        p = tmp_path / f"cap{i}.jpg"
        p.write_bytes(lesion_jpeg(seed=70 + i))
        files.append(p)
    return files


def test_the_same_image_twice_into_one_lesion_is_refused_with_a_clear_message(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    add_patient(window, dialogs)
    lid = _lesion(qtbot, window, dialogs)
    first = _images(tmp_path, 1)[0]
    assert len(_import(qtbot, window, dialogs, [first]).captures) == 1 and not dialogs.infos
    copy = tmp_path / "renamed copy.jpg"
    copy.write_bytes(first.read_bytes())  # another name, the same bytes
    title, message = _refused(qtbot, window, dialogs, [copy])  # said at once: no import dialog to confirm first
    assert len(window.session.register.captures.for_lesion(lid)) == 1
    assert title == "Nothing to import"
    day = human_date(window.session.register.captures.for_lesion(lid)[0].taken_at)
    assert f"renamed copy.jpg: this image is already in this lesion (the capture of {day}, from" in message
    assert "from cap0.jpg); not imported again" in message
    # into another lesion of the patient: refused too, naming where it already is
    reg = window.session.register
    window.show_lesion(ops.add_lesion(reg, "test", reg.lesions.get(lid).patient_id, "upper extremity").id)
    title, message = _refused(qtbot, window, dialogs, [copy])
    assert title == "Nothing to import" and f"the same image is the capture of {day} in Lesion 1 · " in message
    assert len(reg.captures.for_lesion(window.selection.lesion_id)) == 0


def _refused(qtbot, window, dialogs, files: list[Path]) -> tuple[str, str]:
    """The message of an import refused before its dialog (the dialog's answer left unused)."""
    said = len(dialogs.infos)
    dialogs.files.append([str(f) for f in files])
    window.c.import_images()
    qtbot.waitUntil(lambda: len(dialogs.infos) > said, timeout=30000)
    assert not window.session.runner.running  # no import started
    return dialogs.infos[-1]


def test_an_import_is_undone_and_redone_audited(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    add_patient(window, dialogs)
    lid = _lesion(qtbot, window, dialogs)
    result = _import(qtbot, window, dialogs, _images(tmp_path, 2))
    ids = [c.id for c in result.captures]
    stack = window.corrections.stack
    assert stack.undoText() == "Import 2 captures"
    stack.undo()
    assert reg.captures.for_lesion(lid) == [] and window.timeline.count() == 0
    assert all(reg.captures.get(i).deleted_at is not None for i in ids)
    assert all(reg.audit.entries("capture", i)[0].action == "delete" for i in ids)
    stack.redo()
    assert [c.id for c in reg.captures.for_lesion(lid)] == ids and window.timeline.count() == 2
    assert all(reg.audit.entries("capture", i)[0].action == "restore" for i in ids)
    assert window.selection.capture_id == ids[-1]


def test_deleting_a_patient_is_undone_and_redone_audited(qtbot, window, dialogs) -> None:
    reg = window.session.register
    pid = add_patient(window, dialogs)
    dialogs.confirms.append(True)
    window.delete_patient()
    stack = window.corrections.stack
    assert reg.patients.get(pid).deleted_at is not None and window.patients.model.rowCount() == 0
    assert stack.undoText() == "Delete patient UI-1" and window.selection.patient_id is None
    stack.undo()
    assert reg.patients.get(pid).deleted_at is None and window.patients.model.rowCount() == 1
    assert window.selection.patient_id == pid
    stack.redo()
    assert reg.patients.get(pid).deleted_at is not None and window.selection.patient_id is None
    assert [e.action for e in reg.audit.entries("patient", pid)][:3] == ["delete", "restore", "delete"]
    # Patient > Restore patient is on the stack too
    window.show_deleted.trigger()
    window.patients.select_patient(pid)
    window.restore_patient()
    assert reg.patients.get(pid).deleted_at is None and stack.undoText() == "Restore patient UI-1"
    stack.undo()
    assert reg.patients.get(pid).deleted_at is not None


def test_the_same_clipboard_pasted_twice_into_one_lesion_is_refused(qtbot, window, dialogs) -> None:
    from PySide6.QtGui import QColor, QGuiApplication, QImage

    add_patient(window, dialogs)
    lid = _lesion(qtbot, window, dialogs)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(180, 120, 90))
    QGuiApplication.clipboard().setImage(image)
    window.c.paste_image()
    assert len(wait_import(qtbot, window).captures) == 1
    window.c.paste_image()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=30000)
    title, message = dialogs.errors[-1]
    assert title == "Paste failed" and "the pasted image: this image is already in this lesion" in message
    assert len(window.session.register.captures.for_lesion(lid)) == 1
