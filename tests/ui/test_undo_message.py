"""The status bar says what an undo or redo did once the comparison it started is made again and shown on
the Change tab: "Undone: Edit capture; comparison updated", not a bare "Comparing with baseline: done"."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient


def idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=30000)


def test_undo_and_redo_stay_said_after_the_comparison_they_start(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    pid = add_patient(window, dialogs)
    lid = reg.lesions.add("t", pid, "anterior torso", "chest").id
    for i, day in enumerate(("2026-01-10", "2026-04-10")):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=5, width=160, height=120, scale=1.0 + 0.3 * i))
        import_files(reg, "t", lid, [f], CaptureMeta(taken_at=day), compare=False)
    window.refresh(pid)
    window.show_lesion(lid)
    window.timeline.setCurrentRow(1)
    window.tabs.setCurrentWidget(window.comparison)  # the Change tab compares again after each correction
    idle(qtbot, window)
    started: list[str] = []
    window.session.runner.started.connect(lambda task: started.append(task.name))
    dialogs.fillers.append(lambda d: d.taken.set_iso("2026-02-10") or True)
    window.corrections.actions["edit_capture"].trigger()
    idle(qtbot, window)
    bar = window.statusBar()
    for step, said in ((window.corrections.stack.undo, "Undone"), (window.corrections.stack.redo, "Redone")):
        started.clear()
        step()
        idle(qtbot, window)
        assert "Comparing with baseline" in started  # the Change tab's own comparison ran after the undo's
        assert bar.currentMessage() == f"{said}: Edit capture; comparison updated"
    assert not dialogs.errors
