"""A lesion whose latest comparison with its baseline is SIGNIFICANT, nobody having answered it, is flagged "⚠ CHANGED"
in the lesion list and on the body map (the why in the tooltip), and the referral prompt offers "Mark lesion as
referred" whichever of its captures is selected, until a decision 'monitor' on that capture answers it or the lesion
is marked referred (real window, real register, comparisons made by the real pipeline on import, no model)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.services.test_significant_change import STILL, grown_lesion

SHOTS = os.environ.get("DERMADESK_SHOTS")  # a folder: a screenshot at 1280x720 to look at


def shown_changed(window, tmp_path: Path) -> tuple[int, int, int, str]:
    """The grown lesion on screen with its baseline selected: (lesion, baseline, follow-up, the change's words)."""
    reg = window.session.register
    lid = grown_lesion(reg, Path(tmp_path))
    reg.lesions.update("t", lid, body_view="front", body_x=0.5, body_y=0.35)
    base, follow = (c.id for c in reg.captures.for_lesion(lid))
    reason = reg.comparisons.for_lesion(lid)[-1].reasons[0]
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, base)
    return lid, base, follow, f"significant change on 3 Mar 2026 ({reason})"


def test_the_list_body_map_and_prompt_say_it_until_a_decision_monitor_answers_it(window, dialogs, tmp_path) -> None:
    reg = window.session.register
    lid, base, follow, note = shown_changed(window, tmp_path)
    if SHOTS:
        window.resize(1280, 720)
        QApplication.processEvents()
        window.grab().save(f"{SHOTS}/changed.png")
    row = window.lesions.list.item(0)
    assert row.text().startswith("⚠ CHANGED") and f"{note}; {STILL}" in row.toolTip()
    bm = window.lesions.body_map
    bm.resize(400, 400)
    assert bm.flags[lid] == ("⚠ CHANGED", f"{note}; {STILL}")
    assert f"⚠ CHANGED: {note}" in bm.marker_tip(bm.to_widget("front", 0.5, 0.35))
    prompt = window.referral_prompt
    assert window.selection.capture_id == base  # the baseline: the change is another capture's
    assert prompt.isVisible() and prompt.text.text() == f"{note}; {STILL}"
    window.show_lesion(lid, follow)
    assert prompt.isVisible() and prompt.text.text() == f"SIGNIFICANT change; {STILL}"
    window.assessment.decision.setCurrentText("monitor")
    window.assessment.notes.setPlainText("reviewed: even growth, benign pattern")
    window.assessment.save.click()
    assert reg.captures.get(follow).decision == "monitor" and dialogs.questions == []
    assert not prompt.isVisible() and not window.lesions.list.item(0).text().startswith("⚠")
    assert lid not in bm.flags
    window.show_lesion(lid, base)
    assert not prompt.isVisible()


def test_marking_the_lesion_referred_ends_the_flag(window, tmp_path) -> None:
    reg = window.session.register
    lid, _, _, _ = shown_changed(window, tmp_path)
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED")
    window.referral_prompt.button.click()  # Mark lesion as referred (one click, undoable)
    assert reg.lesions.get(lid).status == "referred" and not window.referral_prompt.isVisible()
    assert not window.lesions.list.item(0).text().startswith("⚠") and lid not in window.lesions.body_map.flags
    window.corrections.stack.undo()  # Edit > Undo: monitoring again, the change stands again
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED") and window.referral_prompt.isVisible()
