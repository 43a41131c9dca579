"""The app's lesion report (File > Save lesion report) after an import is undone and after a date is edited and
undone (Edit > Undo): its "Change since" is the reported visit against the baseline as they are now, never the
newest stored comparison (a deleted capture's, or one made with the date edited since)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, saved_report_text, wait_import

BASE, FOLLOW = "2026-05-10", "2026-11-22"


@pytest.fixture
def grown(qtbot, window, dialogs, tmp_path: Path) -> int:
    """One lesion: the baseline and a follow-up grown by ~70 % (SIGNIFICANT, 196 days), compared at import."""
    reg = window.session.register
    pid = add_patient(window, dialogs)
    lid = reg.lesions.add("t", pid, "anterior torso", "chest").id
    for name, scale, day in (("base", 1.0, BASE), ("grown", 1.3, FOLLOW)):
        f = tmp_path / f"{name}.jpg"
        f.write_bytes(lesion_jpeg(seed=40, scale=scale))
        import_files(reg, "t", lid, [f], CaptureMeta(taken_at=day))
    window.refresh(pid)
    window.show_lesion(lid)
    return lid


def assert_visit_2_significant(text: str) -> None:
    assert f"Visit of {human_date(FOLLOW)} (the latest of 2 captures of lesion 1)" in text
    assert f"Change since {human_date(BASE)} (196 days): SIGNIFICANT" in text
    assert "NOT SIGNIFICANT" not in text and "shrank" not in text and "82 days" not in text


def test_report_after_an_import_is_undone(qtbot, window, dialogs, grown: int, tmp_path: Path) -> None:
    third = tmp_path / "third.jpg"
    third.write_bytes(lesion_jpeg(seed=40, scale=0.9))
    window.c.import_paths(grown, [str(third)], ask=False)
    assert len(wait_import(qtbot, window).captures) == 1
    assert "NOT SIGNIFICANT" in saved_report_text(qtbot, window, dialogs, tmp_path / "with-third.pdf")
    window.corrections.stack.undo()  # "Import 1 capture": capture 3 deleted
    assert [c.id for c in window.session.register.captures.for_lesion(grown)] == [1, 2]
    assert_visit_2_significant(saved_report_text(qtbot, window, dialogs, tmp_path / "undone.pdf"))


def test_report_after_a_date_edit_is_undone(qtbot, window, dialogs, grown: int, tmp_path: Path) -> None:
    window.timeline.setCurrentRow(0)
    assert window.selection.capture_id == 1

    def redate(d) -> bool:
        d.taken.set_iso("2026-09-01")
        return True

    dialogs.fillers.append(redate)
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.actions["edit_capture"].trigger()
    assert "Change since 1 Sep 2026 (82 days)" in saved_report_text(qtbot, window, dialogs, tmp_path / "moved.pdf")
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.stack.undo()
    assert window.session.register.captures.get(1).taken_at == BASE
    assert_visit_2_significant(saved_report_text(qtbot, window, dialogs, tmp_path / "undone.pdf"))
