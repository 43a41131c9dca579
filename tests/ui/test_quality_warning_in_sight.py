"""A new user at 150 % on a 1280x720 screen (853x480 in the window's own pixels) saw "Risk tier: LOW" in large type
while the image's quality warning ("the lesion reaches the edge") lay about 12 lines down the details, and the
timeline said just "low". The warning now stands in a few words right under the tier, the timeline marks the
capture, and the disclaimer's short form is under the image; a NOT ASSESSABLE capture keeps its own handling."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.contract import DISCLAIMER
from dermadesk.domain.records import Assessment
from dermadesk.ui.assessment_view import SHORT_DISCLAIMER
from tests.ui.helpers import add_patient, settled, wait_import
from tests.ui.test_layout import lesion_with
from tests.ui.test_layout_panes import wholly_shown
from tests.ui.test_small_screen import in_sight, scroll_areas

EDGE = "the lesion reaches the edge of the image: capture the whole lesion so that its growth can be followed"
WARN = {"status": "warn", "checks": [{"name": "framing", "status": "warn", "value": 0.2, "message": EDGE}]}
PASS = {"status": "pass", "checks": [{"name": "framing", "status": "pass", "value": 0.0, "message": "in view"}]}
LOW = Assessment(
    model_name="m",
    model_version="1",
    provider="CPU",
    probabilities={"nv": 0.9, "mel": 0.02, "bkl": 0.08},
    top_class="nv",
    malignant_probability=0.03,
    melanoma_probability=0.02,
    risk_tier="low",
    recommendation="Routine care, re-check in about 12 months.",
    quality=WARN,
)
FIELDS = ("model_name", "model_version", "provider", "probabilities", "top_class", "malignant_probability")
MORE = ("melanoma_probability", "risk_tier", "recommendation", "quality", "status", "status_reasons")


def stored(window, capture_id: int, a: Assessment) -> None:
    """``a`` stored as the capture's assessment, as the engine's would be."""
    window.session.register.assessments.add("t", capture_id, **{k: getattr(a, k) for k in FIELDS + MORE})


def shown_with(qtbot, window, tmp_path: Path, size: tuple[int, int], latest: Assessment) -> list[int]:
    """A lesion of two captures at ``size``: the first assessed LOW with a passing quality check, the latest with
    ``latest``; the latest shown (as after an import)."""
    window.resize(*size)
    lid = lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    first, last = (c.id for c in window.session.register.captures.for_lesion(lid))
    stored(window, first, dataclasses.replace(LOW, quality=PASS))
    stored(window, last, latest)
    window.show_lesion(lid, last)
    qtbot.waitUntil(lambda: window.assessment.capture is not None and window.assessment.capture.id == last)
    settled(qtbot, window)
    return [first, last]


@pytest.mark.parametrize("size", [(853, 480), (1280, 720)])
def test_a_quality_warning_is_in_sight_right_under_the_tier(qtbot, window, tmp_path: Path, size) -> None:
    shown_with(qtbot, window, tmp_path, size, LOW)
    view = window.assessment
    line = view.quality_line
    assert "Risk tier: LOW" in view.tier.text()
    assert line.text() == "<b>⚠ Image quality:</b> lesion reaches the edge" and EDGE in line.toolTip()
    assert scroll_areas(line) == [window.centralWidget()]  # not in the details that scroll
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # and the window does not scroll
    qtbot.waitUntil(lambda: wholly_shown(line) and wholly_shown(view.tier))  # laid out: a condition, no delay
    assert in_sight(line) and in_sight(view.tier)
    tier_bottom = view.tier.mapTo(view, QPoint(0, view.tier.height())).y()
    top = line.mapTo(view, QPoint(0, 0)).y()
    assert tier_bottom <= top <= tier_bottom + 8  # right under the tier, nothing between them
    assert line.mapTo(view, QPoint(0, 0)).x() == view.tier.mapTo(view, QPoint(0, 0)).x()  # under its first words
    # the details keep the whole sentence with what to do, and the review keeps its room
    assert f"⚠ IMAGE QUALITY WARN: {EDGE}" in view.warnings.text()
    assert wholly_shown(view.save) and view.notes.height() >= 2 * view.notes.fontMetrics().lineSpacing()
    assert view.scroll.viewport().height() >= 3 * view.tier_detail.fontMetrics().lineSpacing()
    # the disclaimer's short form, in sight under the image; the whole in its tooltip and at the end of the details
    assert view.disclaimer.text() == SHORT_DISCLAIMER and view.disclaimer.toolTip() == DISCLAIMER
    assert wholly_shown(view.disclaimer) and in_sight(view.disclaimer)


def test_the_timeline_notes_a_capture_whose_quality_check_warned_in_words(qtbot, window, tmp_path: Path) -> None:
    """Walkthrough 24: "LOW ⚠" used the mark of a lesion that needs attention for an image-quality note; the caption
    says "LOW · quality?" now, its tooltip what that stands for and the check's sentence."""
    shown_with(qtbot, window, tmp_path, (853, 480), LOW)
    timeline = window.timeline
    first, last = timeline.item(0), timeline.item(1)
    assert first.text().endswith("\nLOW") and "quality" not in first.toolTip()  # a passing check: no note
    assert last.text().endswith("\nLOW · quality?") and "⚠" not in last.text()
    assert last.toolTip() == f'Capture 2 of 2: l2-1.jpg\nImage quality warning ("quality?" under the tier):\n{EDGE}'
    metrics = timeline.fontMetrics()  # the widest tier with the note whole in its cell, with room to spare
    for compact in (True, False):
        timeline.set_compact(compact)
        rect = timeline.visualItemRect(timeline.item(1))
        assert metrics.horizontalAdvance("MONITOR · quality?") + 12 <= rect.width(), compact


def test_a_capture_without_a_quality_warning_shows_no_warning_line(qtbot, window, tmp_path: Path) -> None:
    shown_with(qtbot, window, tmp_path, (853, 480), dataclasses.replace(LOW, quality=PASS))
    view = window.assessment
    assert view.quality_line.isHidden() and not view.warnings.isVisibleTo(view)
    assert view.disclaimer.isVisibleTo(view)  # with a tier: the short disclaimer


def test_a_not_assessable_capture_keeps_its_reasons_and_gets_no_tier_or_quality_line(
    qtbot, window, tmp_path: Path
) -> None:
    failed = {"status": "fail", "checks": [{"name": "focus", "status": "fail", "value": 3.0, "message": "blurred"}]}
    declined = dataclasses.replace(
        LOW,
        risk_tier=None,
        recommendation=None,
        status="not assessable",
        status_reasons=["the image failed the quality check (blurred): take it again"],
        quality=failed,
    )
    shown_with(qtbot, window, tmp_path, (853, 480), declined)
    view = window.assessment
    assert "NOT ASSESSABLE" in view.tier.text() and "Risk tier" not in view.tier.text()
    assert view.quality_line.isHidden()  # no tier to qualify: its reasons say it, as before
    assert "take it again" in view.tier_detail.text() and "⚠ IMAGE QUALITY FAIL: blurred" in view.warnings.text()
    assert view.disclaimer.isHidden()  # "an estimate" beside no estimate: not shown
    assert window.timeline.item(1).text().endswith("\nNOT ASSESSABLE")  # no quality note beside it


def test_an_edge_capture_assessed_by_a_real_model_shows_its_warning(
    qtbot, window, dialogs, installed_model: Path, tmp_path: Path
) -> None:
    """Imported and assessed as a user would (the tiny test model): the lesion reaches the image's left edge."""
    add_patient(window, dialogs)
    lid = window.session.register.lesions.add("t", window.selection.patient_id, "posterior torso").id
    window.refresh(window.selection.patient_id)
    window.show_lesion(lid)
    picture = tmp_path / "edge.jpg"
    picture.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=6), 320, 240, center=(40, 120))))
    window.c.import_paths(lid, [str(picture)], ask=False)
    wait_import(qtbot, window)
    view = window.assessment
    qtbot.waitUntil(lambda: "Risk tier" in view.tier.text(), timeout=30000)
    assert view.quality_line.isVisibleTo(view) and "lesion reaches the edge" in view.quality_line.text()
    assert window.timeline.item(0).text().endswith(" · quality?")
