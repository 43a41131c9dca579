"""In the app, two captures of one day are told apart by their time wherever one is named: the timeline's tooltip,
the question before a delete, the assessment panel's change line. Real window, real register, real files."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.captures import CaptureMeta, import_files
from tests.services.test_camera_dates import exif_jpeg
from tests.ui.helpers import add_patient


def test_two_captures_of_one_day_are_named_with_their_time(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    pid = add_patient(window, dialogs)
    lid = reg.lesions.add("t", pid, "anterior torso").id
    for name, stamp, seed in (("morning", "2026:01:05 09:15:00", 1), ("afternoon", "2026:01:05 14:40:00", 2)):
        import_files(reg, "t", lid, [exif_jpeg(tmp_path / f"{name}.jpg", stamp, seed)], compare=False)
    later = exif_jpeg(tmp_path / "later.jpg", "2026:03:01 10:00:00", 3)
    import_files(reg, "t", lid, [later], CaptureMeta(taken_at="2026-03-01"))  # compared with the morning's
    window.refresh(pid)
    window.show_lesion(lid)
    timeline = window.timeline
    assert [timeline.item(i).toolTip() for i in range(timeline.count())] == [
        "Capture 1 of 3, 5 Jan 2026 09:15: morning.jpg",
        "Capture 2 of 3, 5 Jan 2026 14:40: afternoon.jpg",
        "Capture 3 of 3: later.jpg",  # the only one of its day: its date under the thumbnail says which
    ]
    timeline.setCurrentRow(2)
    qtbot.waitUntil(lambda: window.assessment.change.isVisible(), timeout=10000)
    assert "Change since 5 Jan 2026 09:15: " in window.assessment.change.text()
    timeline.setCurrentRow(1)
    window.corrections.actions["delete_capture"].trigger()  # asked, answered No
    ((title, question),) = dialogs.questions
    assert title == "Delete capture of 5 Jan 2026 14:40"  # its time, as the question names it: two that day
    assert question.startswith("Delete the capture of 5 Jan 2026 14:40 (afternoon.jpg)?")
    assert len(reg.captures.for_lesion(lid)) == 3
