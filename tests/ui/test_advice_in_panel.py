"""The assessment panel at 150 % on a 1280x720 screen (853x480 in the window's own pixels): a LOW tier beside a
SIGNIFICANT change nobody answered read, in bold, "Routine care, re-check in about 12 months" right above "Change
since 25 Aug 2026: SIGNIFICANT". The line under the tier now names the change and asks for a clinician's review; a
decision saved in the review box is named there at once; the tier stays LOW. A real window and register, captures
assessed by the tiny ONNX model (tests/services/test_advice.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services.test_advice import REVIEW, TWELVE, grown_lesion, write_low_model
from tests.ui.helpers import settled
from tests.ui.test_layout_panes import wholly_shown
from tests.ui.test_small_screen import in_sight


@pytest.fixture(scope="session")
def low_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_low_model(tmp_path_factory)


def shown(qtbot, window, data_dir: Path, manifest: Path, tmp_path: Path, capture: int) -> int:
    """The grown lesion's ``capture`` (0: the baseline, 1: the follow-up) on screen at 853x480."""
    window.resize(853, 480)
    reg = window.session.register
    lid = grown_lesion(reg, data_dir, manifest, tmp_path)
    cid = reg.captures.for_lesion(lid)[capture].id
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, cid)
    qtbot.waitUntil(lambda: window.assessment.capture is not None and window.assessment.capture.id == cid)
    settled(qtbot, window)
    return cid


def test_the_line_under_a_low_tier_names_the_change_until_a_decision_answers_it(
    qtbot, window, data_dir: Path, low_model: Path, tmp_path: Path
) -> None:
    cid = shown(qtbot, window, data_dir, low_model, tmp_path, 1)
    view = window.assessment
    tier, detail = view.tier.text(), view.tier_detail.text()
    assert "Risk tier: LOW" in tier and "SIGNIFICANT" in view.change.text()
    assert "Routine care by the model&#x27;s probabilities; but this lesion changed significantly since 25 Aug " in tier
    assert REVIEW in tier and "color:#c62828" in tier  # in red, as the SIGNIFICANT verdict below it
    assert TWELVE not in tier and "12 months" not in detail and "rests on this image alone" in detail
    qtbot.waitUntil(lambda: wholly_shown(view.tier))  # laid out: a condition, no delay
    assert in_sight(view.tier) and wholly_shown(view.save)  # the whole line in sight, the review keeps its room
    view.decision.setCurrentText("monitor")
    view.notes.setPlainText("growth reviewed: benign pattern")
    view.save.click()
    assert window.session.register.captures.get(cid).decision == "monitor"
    tier = view.tier.text()  # at once, the capture not chosen again: the date to book under the tier (helper 164),
    assert "<b>Next follow-up: " in tier and "(12 months)</b>" in tier  # the decision that answered the change below
    answered = "Clinician&#x27;s decision: monitor, after the significant change since 25 Aug 2026"
    assert answered in view.tier_detail.text()
    assert "Risk tier: LOW" in tier and REVIEW not in tier and "color:#c62828" not in tier
    view.decision.setCurrentText("")  # the decision cleared: the change stands again
    view.save.click()
    assert REVIEW in view.tier.text()


def test_the_baseline_names_the_change_seen_later(qtbot, window, data_dir: Path, low_model: Path, tmp_path) -> None:
    shown(qtbot, window, data_dir, low_model, tmp_path, 0)
    tier = window.assessment.tier.text()
    assert "Risk tier: LOW" in tier and TWELVE not in tier
    assert f"since 25 Aug 2026 (seen on 3 Nov 2026): {REVIEW}" in tier
