"""A capture imported while no model could be used, assessed later in the app (Patient > Re-assess capture, Patient >
Assess unassessed captures): its comparison with the baseline, made with no tier, is compared again by the task
runner once the assessment is stored, never on the GUI thread, so what reads stored comparisons (the lesion report
here) says the tier rise; assessed again with the same outcome, nothing more is compared. Real window, real register,
the tiny ONNX model, comparisons made by the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction

import dermadesk.services.tracking as tracking
from dermadesk.domain.records import Assessment
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.stored_comparisons import latest_change
from dermadesk.ui.assess_all import MENU_TEXT
from dermadesk.ui.assessed_compare import TASK
from tests.conftest import lesion_jpeg
from tests.ui.helpers import ThreadRecorder, saved_report_text

RISE = "the model's risk tier rose from low to monitor, not counted as significant"
LOW = Assessment(  # the baseline's, as a model stored it at its import (the tiny model says MONITOR)
    model_name="tiny-test", model_version="0.0.1", provider="CPUExecutionProvider", probabilities={"nv": 0.95},
    top_class="nv", malignant_probability=0.05, melanoma_probability=0.01, risk_tier="low",
    recommendation="routine follow-up",
)  # fmt: skip


def unassessed_pair(window, tmp_path: Path) -> tuple[int, int, int]:
    """A lesion with a baseline (10 Jan 2026) and a follow-up (10 Mar 2026) imported with no model and compared as
    the app does, the follow-up shown: (lesion, baseline, follow-up)."""
    reg = window.session.register
    pid = reg.patients.add("t", "RA-1", "Re Assess", "1960-01-01", "female", "II").id
    lid = reg.lesions.add("t", pid, "anterior torso", "left chest").id
    ids = []
    for k, day in enumerate(("2026-01-10", "2026-03-10")):
        image = tmp_path / f"c{k}.jpg"
        image.write_bytes(lesion_jpeg(seed=3, scale=1.0 + 0.1 * k))
        ids.append(import_files(reg, "t", lid, [image], CaptureMeta(taken_at=day)).captures[0].id)
    [row] = reg.comparisons.for_lesion(lid)
    assert row.metrics["risk_tier"] == {"before": None, "after": None}
    window.refresh(pid)
    window.show_lesion(lid, ids[1])
    assert window.selection.capture_id == ids[1]
    return lid, ids[0], ids[1]


def tasks_of(qtbot, window, start: Any) -> list[Any]:
    """The tasks ``start()`` sets going, once they have all ended."""
    started: list[Any] = []
    window.session.runner.started.connect(started.append)
    start()
    qtbot.waitUntil(lambda: bool(started) and not window.session.runner.running, timeout=120000)
    window.session.runner.started.disconnect(started.append)
    return started


def test_re_assess_compares_again_on_a_worker_and_the_report_says_the_tier_rise(
    qtbot, window, dialogs, installed_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = window.session.register
    lid, base, later = unassessed_pair(window, tmp_path)
    reg.assessments.store("t", base, LOW)
    threads = ThreadRecorder(monkeypatch, tracking, "compare_captures")
    with qtbot.waitSignal(window.c.compared_again, timeout=120000):
        started = tasks_of(qtbot, window, window.reassess)
    assert [t.title for t in started] == ["Assessing", TASK.rstrip("…")]
    assert all(t.outcome == "done" for t in started)
    assert started[1].messages == ["comparing the capture of 10 Mar 2026 with the baseline"]
    assert threads.off_gui_thread and len(threads.threads) == 1  # compared on the worker, never the GUI thread
    row = latest_change(reg, later)
    assert row is not None and row.metrics["risk_tier"] == {"before": "low", "after": "monitor"}
    assert any(r.startswith(RISE) for r in row.reasons)
    assert RISE in saved_report_text(qtbot, window, dialogs, tmp_path / "report.pdf")  # the stored comparison
    assert not dialogs.errors and not dialogs.infos

    again = tasks_of(qtbot, window, window.reassess)  # MONITOR again: nothing to compare
    assert [t.title for t in again] == ["Assessing"] and len(threads.threads) == 1
    assert latest_change(reg, later) == row


def test_assess_unassessed_compares_the_captures_it_assessed(
    qtbot, window, dialogs, installed_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = window.session.register
    lid, base, later = unassessed_pair(window, tmp_path)
    threads = ThreadRecorder(monkeypatch, tracking, "compare_captures")
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Patient")
    action: QAction = next(a for a in menu.actions() if a.text() == MENU_TEXT)
    with qtbot.waitSignal(window.c.compared_again, timeout=120000):
        started = tasks_of(qtbot, window, action.trigger)
    assert [t.title for t in started] == ["Assessing 2 captures of RA-1", TASK.rstrip("…")]
    assert all(t.outcome == "done" for t in started) and threads.off_gui_thread
    row = latest_change(reg, later)
    assert row is not None and row.metrics["risk_tier"] == {"before": "monitor", "after": "monitor"}
    assert len(reg.comparisons.for_lesion(lid)) == 2 and not dialogs.errors


def test_comparing_again_cancelled_says_what_still_reads_the_tier_before(
    qtbot, window, dialogs, installed_model: Path, tmp_path: Path
) -> None:
    reg = window.session.register
    lid, base, later = unassessed_pair(window, tmp_path)
    [before] = reg.comparisons.for_lesion(lid)

    def cancel_comparing(task: Any) -> None:
        if task.title == TASK.rstrip("…"):
            task.cancel.cancel()  # as the status bar's Cancel button, before it compares anything

    window.session.runner.started.connect(cancel_comparing)
    with qtbot.waitSignal(window.c.compared_again, timeout=120000):
        started = tasks_of(qtbot, window, window.reassess)
    assert [t.outcome for t in started] == ["done", "cancelled"]
    assert reg.assessments.latest(later) is not None and reg.comparisons.for_lesion(lid) == [before]
    [(title, message)] = dialogs.infos
    assert title == "Comparing again: cancelled" and "Re-assess capture on it compares them" in message
