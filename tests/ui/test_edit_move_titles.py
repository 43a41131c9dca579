"""Edit capture and Move capture name the capture in their titles as the delete question does: with its time where
the lesion has another capture that day ("Edit capture of 5 Jan 2026 14:40"), its date alone where not. Real window,
real register, real files, the real dialogs (closed unanswered)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.captures import CaptureMeta, import_files
from tests.services.test_camera_dates import exif_jpeg
from tests.ui.helpers import add_patient


def titles_of(window, dialogs, row: int) -> list[str]:
    """The titles of Edit capture..., Move capture to lesion... and the delete question, for the timeline's ``row``."""
    seen: list[str] = []
    dialogs.fillers.extend([lambda d: seen.append(d.windowTitle()) and False] * 2)  # each closed with Cancel
    window.timeline.setCurrentRow(row)
    for action in ("edit_capture", "move_capture", "delete_capture"):
        window.corrections.actions[action].trigger()
    return [*seen, dialogs.questions[-1][0]]


def test_edit_and_move_titles_name_the_capture_with_its_time_as_delete_does(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    reg = window.session.register
    pid = add_patient(window, dialogs)
    lid = reg.lesions.add("t", pid, "anterior torso").id
    reg.lesions.add("t", pid, "posterior torso")  # somewhere to move it to
    for name, stamp, seed in (("morning", "2026:01:05 09:15:00", 1), ("afternoon", "2026:01:05 14:40:00", 2)):
        import_files(reg, "t", lid, [exif_jpeg(tmp_path / f"{name}.jpg", stamp, seed)], compare=False)
    later = exif_jpeg(tmp_path / "later.jpg", "2026:03:01 10:00:00", 3)
    import_files(reg, "t", lid, [later], CaptureMeta(taken_at="2026-03-01"), compare=False)
    window.refresh(pid)
    window.show_lesion(lid)
    assert titles_of(window, dialogs, 1) == [
        "Edit capture of 5 Jan 2026 14:40",  # two that day: its time, as the delete question names it
        "Move capture of 5 Jan 2026 14:40 to another lesion",
        "Delete capture of 5 Jan 2026 14:40",
    ]
    assert titles_of(window, dialogs, 2) == [
        "Edit capture of 1 Mar 2026",  # the only one of its day: its date
        "Move capture of 1 Mar 2026 to another lesion",
        "Delete capture of 1 Mar 2026",
    ]
    assert len(reg.captures.for_lesion(lid)) == 3  # nothing changed, nothing deleted


def test_move_says_what_moving_does_as_edit_does(qtbot, register) -> None:
    """Edit capture says a change makes comparisons stale; Move said nothing of what moving does."""
    from PySide6.QtWidgets import QLabel

    from dermadesk.domain.records import Capture
    from dermadesk.ui.correction_dialogs import MoveCaptureDialog

    p = register.patients.add("u", "M-1", "Move Words")
    here, there = (register.lesions.add("u", p.id, site) for site in ("anterior torso", "posterior torso"))
    capture = Capture(id=1, lesion_id=here.id, taken_at="2026-01-02", image_sha256="0" * 64, width=90, height=60,
                      file_size=1, image_format="JPEG")  # fmt: skip
    dialog = MoveCaptureDialog(capture, [here, there])
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "wrong lesion" in text and "compared with their baselines again" in text
    assert "Edit > Undo moves it back" in text
