"""Correcting a capture's mm per pixel in the app (Edit > Edit capture, then Edit > Undo): the Assessment tab's
change line, the referral prompt and the saved lesion report follow the comparison made with the scales as they
are now, and agree with each other after the correction and after its undo. A real register, synthetic images of
a lesion on skin without texture (aligned on the outline, the zoom taken from both recorded scales)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.services.captures import CaptureMeta, import_files
from tests.services.test_scale_corrections import MM, smooth_blob
from tests.ui.helpers import add_patient, saved_report_text

BASE, FOLLOW = "2026-01-10", "2026-03-10"


@pytest.fixture
def zoomed(qtbot, window, dialogs, tmp_path: Path) -> int:
    """The follow-up (60 px across where the baseline is 50) recorded at the baseline's 0.02 mm per pixel, though
    it was taken closer: SIGNIFICANT growth until its scale is corrected."""
    reg = window.session.register
    pid = add_patient(window, dialogs)
    lid = reg.lesions.add("t", pid, "anterior torso", "chest").id
    for name, radius, day in (("base", 50, BASE), ("follow", 60, FOLLOW)):
        f = tmp_path / f"{name}.png"
        f.write_bytes(smooth_blob(radius))
        import_files(reg, "t", lid, [f], CaptureMeta(taken_at=day, mm_per_px=MM))
    window.refresh(pid)
    window.show_lesion(lid)
    window.timeline.setCurrentRow(1)
    return lid


def report_verdict(qtbot, window, dialogs, target: Path) -> str:
    text = saved_report_text(qtbot, window, dialogs, target)
    assert f"Change since {human_date(BASE)} (59 days): " in text
    return "NOT SIGNIFICANT" if "NOT SIGNIFICANT" in text else "SIGNIFICANT" if "SIGNIFICANT" in text else "?"


def change_line(window) -> str:
    text = window.assessment.change.text()
    return "NOT SIGNIFICANT" if "NOT SIGNIFICANT" in text else "SIGNIFICANT" if "SIGNIFICANT" in text else "?"


def test_change_line_prompt_and_report_agree_after_a_scale_correction_and_its_undo(
    qtbot, window, dialogs, zoomed: int, tmp_path: Path
) -> None:
    reg = window.session.register
    follow_id = window.selection.capture_id
    assert follow_id == reg.captures.for_lesion(zoomed)[1].id
    assert change_line(window) == "SIGNIFICANT"
    assert report_verdict(qtbot, window, dialogs, tmp_path / "before.pdf") == "SIGNIFICANT"

    def rescale(d) -> bool:
        d.mm_per_px.setValue(MM * 50 / 60)
        return True

    dialogs.fillers.append(rescale)
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.actions["edit_capture"].trigger()
    assert reg.captures.get(follow_id).mm_per_px == pytest.approx(MM * 50 / 60, abs=1e-4) and not dialogs.errors
    assert change_line(window) == "NOT SIGNIFICANT"
    assert not window.referral_prompt.isVisibleTo(window)
    assert report_verdict(qtbot, window, dialogs, tmp_path / "corrected.pdf") == "NOT SIGNIFICANT"

    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.stack.undo()
    assert reg.captures.get(follow_id).mm_per_px == MM
    assert change_line(window) == "SIGNIFICANT"
    assert "SIGNIFICANT change" in window.referral_prompt.text.text()
    assert report_verdict(qtbot, window, dialogs, tmp_path / "undone.pdf") == "SIGNIFICANT"
