"""Edit > Edit capture... with another modality: the assessment made for the modality the capture had is out of date,
so the capture is assessed again for its modality now by the task runner, never on the GUI thread, and the panel shows
the new result (a clinical capture: NOT ASSESSABLE, the tiny model being validated on dermoscopic images only); its
undo assesses it again too. A cancelled or failed re-assessment leaves no tier made for the modality it had before on
screen: the panel says the assessment is out of date and what to do. Real window, real register, the tiny ONNX model;
fakes only to inject the cancel and the failure."""

from __future__ import annotations

from pathlib import Path

import pytest

import dermadesk.services.assessment as assessment
from dermadesk.domain.errors import Cancelled, ModelError
from dermadesk.services.assessment import make_assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.modality_reassess import TASK
from tests.conftest import lesion_jpeg
from tests.ui.helpers import ThreadRecorder


@pytest.fixture
def shown(window, installed_model: Path, data_dir: Path, tmp_path: Path) -> int:
    """A lesion's only capture (10 Mar 2026), dermoscopic, assessed MONITOR by the tiny model, shown: its id."""
    reg = window.session.register
    assess, _ = make_assess_fn(data_dir, None, "cpu")
    pid = reg.patients.add("t", "MO-1", "Mo Dality", "1960-01-01", "female", "II").id
    lid = reg.lesions.add("t", pid, "anterior torso", "left chest").id
    image = tmp_path / "c.jpg"
    image.write_bytes(lesion_jpeg(seed=3))
    [capture] = import_files(reg, "t", lid, [image], CaptureMeta(taken_at="2026-03-10"), assess).captures
    window.refresh(pid)
    window.show_lesion(lid, capture.id)
    assert window.selection.capture_id == capture.id and "MONITOR" in window.assessment.tier.text()
    return capture.id


def edit_modality(qtbot, window, dialogs, modality: str) -> list:
    """Edit capture... with ``modality``, Save: the tasks it started, once all have ended."""

    def fill(d) -> bool:
        d.modality.setCurrentText(modality)
        return True

    started: list = []
    window.session.runner.started.connect(started.append)
    dialogs.fillers.append(fill)
    window.corrections.actions["edit_capture"].trigger()
    qtbot.waitUntil(lambda: bool(started) and not window.session.runner.running, timeout=120000)
    window.session.runner.started.disconnect(started.append)
    return started


def test_edit_to_clinical_assesses_again_on_a_worker_and_the_panel_says_not_assessable(
    qtbot, window, dialogs, shown: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = window.session.register
    threads = ThreadRecorder(monkeypatch, assessment, "assess_capture")
    started = edit_modality(qtbot, window, dialogs, "clinical")
    mine = [t for t in started if t.title == TASK.rstrip("…")]
    assert len(mine) == 1 and mine[0].outcome == "done"
    assert threads.off_gui_thread and len(threads.threads) == 1  # assessed on the worker, never the GUI thread
    now = reg.assessments.latest(shown)
    assert now is not None and (now.modality, now.status, now.risk_tier) == ("clinical", "not assessable", None)
    qtbot.waitUntil(lambda: "NOT ASSESSABLE" in window.assessment.tier.text())
    assert "MONITOR" not in window.assessment.tier.text()
    assert "MONITOR" not in window.timeline.currentItem().text()
    assert not dialogs.errors and not dialogs.warnings

    window.corrections.stack.undo()  # back to dermoscopic: assessed again for it, a tier again
    qtbot.waitUntil(lambda: len(threads.threads) == 2 and not window.session.runner.running, timeout=120000)
    assert reg.captures.get(shown).modality == "dermoscopic"
    assert (reg.assessments.latest(shown).modality, reg.assessments.latest(shown).risk_tier) == (
        "dermoscopic",
        "monitor",
    )
    qtbot.waitUntil(lambda: "MONITOR" in window.assessment.tier.text())


def test_a_cancelled_re_assessment_shows_no_tier_from_before(
    qtbot, window, dialogs, shown: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cancelled(*_args, **_kwargs):
        raise Cancelled("cancelled")

    monkeypatch.setattr(assessment, "assess_capture", cancelled)  # the user's Cancel, as the task sees it
    started = edit_modality(qtbot, window, dialogs, "clinical")
    assert [t.outcome for t in started if t.title == TASK.rstrip("…")] == ["cancelled"]
    assert window.session.register.assessments.latest(shown) is None  # nothing current: the tier was made before
    tier, detail = window.assessment.tier.text(), window.assessment.tier_detail.text()
    assert "Assessment out of date" in tier and "MONITOR" not in tier
    assert "made for a dermoscopic image, the capture is now clinical" in detail and "Re-assess capture" in detail
    assert "MONITOR" not in window.timeline.currentItem().text() and "MONITOR" not in window.lesions.list.item(0).text()
    caption = window.timeline.currentItem()  # as the panel says it (walkthrough 24: the caption said "not assessed")
    assert caption.text() == "10 Mar 2026\nout of date"
    assert caption.toolTip().endswith(
        "\nAssessment out of date: it was made for a dermoscopic image, the capture is now clinical; "
        "assess it again (Patient > Re-assess capture)."
    )
    [(title, message)] = dialogs.infos
    assert title == "Assessing again: cancelled" and "shows no risk tier" in message


def test_no_model_leaves_the_assessment_out_of_date_and_says_so(
    qtbot, window, dialogs, shown: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused() -> None:
        raise ModelError("the model file is damaged")

    monkeypatch.setattr(window.c.models, "load", refused)
    started = edit_modality(qtbot, window, dialogs, "clinical")
    assert [t.outcome for t in started if t.title == TASK.rstrip("…")] == ["done"]
    assert "Assessment out of date" in window.assessment.tier.text()
    assert "MONITOR" not in window.assessment.tier.text()
    assert window.timeline.currentItem().text().endswith("\nout of date")  # the caption says it too
    [(title, message)] = dialogs.warnings
    assert title == "Capture not assessed again" and message.startswith("The model file is damaged.")
    assert "shows no risk tier until it is assessed for its modality now" in message
