"""A decision saved in the app on a capture after which later ones were imported: the later captures are compared
with the reviewed capture by the task runner, never on the GUI thread (no image decoded there), the progress naming
the reviewed capture by its date; once stored, the lesion list's ⚠ CHANGED reads that comparison (here it ends the
estimate's flag: 150 days apart, long-term rules). A notes-only save starts nothing. Real window, real register,
comparisons made by the real pipeline, no model."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import dermadesk.services.tracking as tracking
from dermadesk.services.since_review import COMPARED_ACTION
from tests.services.test_review_compares import LONG, late_imports
from tests.services.test_since_review import GROWN, pairs


def decoded_where(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(file name, on the GUI thread?) for every image the comparisons decode (the real decoder, called through)."""
    seen: list[tuple[str, bool]] = []
    real = tracking.decode_image

    def spy(data: bytes, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        seen.append((name or "", threading.current_thread() is threading.main_thread()))
        return real(data, name, *args, **kwargs)

    monkeypatch.setattr(tracking, "decode_image", spy)
    return seen


def shown_late(window, tmp_path: Path) -> tuple[int, int, int, int]:
    """The lesion of ``late_imports`` on screen, its grown (to be reviewed) capture selected."""
    reg = window.session.register
    lid, base, reviewed, later = late_imports(reg, Path(tmp_path), LONG, GROWN * 1.2**0.5)
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, reviewed)
    assert window.selection.capture_id == reviewed
    return lid, base, reviewed, later


def test_the_decision_compares_the_later_capture_on_a_worker_and_the_flag_follows(
    qtbot, window, dialogs, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = window.session.register
    lid, _, reviewed, later = shown_late(window, tmp_path)
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED")  # +52 % since the baseline, not answered
    decodes = decoded_where(monkeypatch)
    started: list[Any] = []
    when_started: list[str] = []  # the list's flag as the task starts: the decision saved, the estimate shown

    def on_start(task: Any) -> None:
        started.append(task)
        when_started.append(window.lesions.list.item(0).text())

    window.session.runner.started.connect(on_start)
    window.assessment.decision.setCurrentText("monitor")
    window.assessment.notes.setPlainText("reviewed: even growth, benign pattern")
    with qtbot.waitSignal(window.c.review_compared, timeout=120000) as done:
        window.assessment.save.click()
    assert done.args == [lid] and reg.captures.get(reviewed).decision == "monitor"
    [task] = started
    assert task.outcome == "done" and "comparing with the reviewed capture of 13 Jul 2025" in task.messages
    assert when_started[0].startswith("⚠ CHANGED")  # the estimate: +21 % since the review by short-term thresholds
    assert {name for name, _ in decodes} == {f"{LONG[1]}.jpg", f"{LONG[2]}.jpg"}
    assert not any(on_gui for _, on_gui in decodes)  # every image decoded on the worker, none on the GUI thread
    row = reg.comparisons.for_lesion(lid)[-1]
    assert (row.baseline_capture_id, row.followup_capture_id, row.verdict) == (reviewed, later, "not significant")
    assert reg.audit.entries("comparison", row.id)[0].action == COMPARED_ACTION
    assert "CHANGED" not in window.lesions.list.item(0).text()  # the stored comparison read: nothing new since
    assert not window.referral_prompt.isVisible() and dialogs.errors == []


def test_notes_alone_start_no_comparison(qtbot, window, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    reg = window.session.register
    lid, _, reviewed, later = shown_late(window, tmp_path)
    started: list[Any] = []
    window.session.runner.started.connect(started.append)
    window.assessment.notes.setPlainText("seen; photographed again in 3 months")
    window.assessment.save.click()
    assert reg.captures.get(reviewed).clinician_notes.startswith("seen") and started == []
    assert (reviewed, later) not in pairs(reg, lid)


def test_comparing_again_after_a_correction_says_both_comparisons_with_progress(
    qtbot, window, dialogs, tmp_path
) -> None:
    """A scale corrected on the later capture: the task that compares again says what it does, with the baseline and
    then with the reviewed capture, its bar moving (it was 'Comparing with the baseline again' with no progress)."""
    reg = window.session.register
    lid, base, reviewed, later = shown_late(window, tmp_path)
    reg.captures.review("t", reviewed, "monitor", "")
    tracking.compare_since_review(reg, "t", reviewed)
    window.show_lesion(lid, later)
    assert window.selection.capture_id == later
    started: list[Any] = []
    bar: list[float] = []

    def on_start(task: Any) -> None:
        started.append(task)
        task.signals.progress.connect(lambda fraction, _text: bar.append(fraction))

    window.session.runner.started.connect(on_start)
    dialogs.fillers.append(lambda d: d.mm_per_px.setValue(0.025) or True)
    window.corrections.actions["edit_capture"].trigger()
    qtbot.waitUntil(lambda: bool(started) and not window.session.runner.running, timeout=120000)
    [task] = [t for t in started if t.title == "Comparing the captures again"]
    assert task.outcome == "done" and task.messages == [
        "comparing the capture of 10 Dec 2025 with the baseline",
        "comparing with the reviewed capture of 13 Jul 2025",
    ]
    assert bar == [0.0, 0.5]  # one comparison in two done when the second is said
    assert pairs(reg, lid)[(reviewed, later)] == "not significant" and not dialogs.errors
