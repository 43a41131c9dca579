"""The referral prompt and the lesion list keep an URGENT result nobody acted on in sight when a later capture
of the lesion is not assessable (real window, real register, no model)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from tests.services.test_standing import EARLIER, NOTE, lesion_with_results, urgent_then_grey

SHOTS = os.environ.get("DERMADESK_SHOTS")  # a folder: a screenshot at 1280x720 to look at
ANSWER = (  # an URGENT or REFER result: referring, the decision its advice calls for, offered first
    "answer it with a decision (refer, monitor, discharge) on the 10 Mar 2026 capture or a later one, "
    "or mark the lesion referred or "
    "excised"
)


def test_a_later_not_assessable_capture_keeps_the_urgent_prompt_and_flag(window, tmp_path) -> None:
    reg = window.session.register
    lid = urgent_then_grey(reg, Path(tmp_path))
    pid = reg.lesions.get(lid).patient_id
    latest = reg.captures.for_lesion(lid)[-1].id
    window.refresh(pid)
    window.show_lesion(lid, latest)
    if SHOTS:
        window.resize(1280, 720)
        QApplication.processEvents()
        window.grab().save(f"{SHOTS}/standing.png")
    prompt = window.referral_prompt
    assert prompt.isVisible() and prompt.text.text() == f"{NOTE}; status still 'monitoring' — {ANSWER}"
    assert prompt.go.isVisible()  # the capture a decision answers it on
    row = window.lesions.list.item(0)
    assert row.text().startswith("⚠ URGENT") and NOTE in row.toolTip()
    prompt.button.click()  # acted on: the prompt and the flag go
    assert reg.lesions.get(lid).status == "referred" and not prompt.isVisible()
    assert not window.lesions.list.item(0).text().startswith("⚠")
    assert window.lesions.list.item(0).data(Qt.ItemDataRole.UserRole) == lid


def test_a_result_stored_while_the_list_is_shown_flags_the_lesion_in_place(window, tmp_path) -> None:
    """An URGENT result arriving (a re-assessment done) flags its lesion without rebuilding the list."""
    reg = window.session.register
    lid = urgent_then_grey(reg, Path(tmp_path))
    first = reg.captures.for_lesion(lid)[0].id
    reg.lesions.update("t", lid, status="referred")
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, first)
    assert not window.lesions.list.item(0).text().startswith("⚠")
    reg.lesions.update("t", lid, status="monitoring")  # e.g. changed on another workstation, then re-assessed
    window.c.assessed.emit(first)
    assert window.lesions.list.item(0).text().startswith("⚠ URGENT")
    assert window.referral_prompt.isVisible() and window.selection.capture_id == first


def test_a_later_refer_result_keeps_the_undecided_urgent_one_in_the_prompt_and_flag(window, tmp_path) -> None:
    """URGENT on 10 Mar, REFER on 2 Jun: the list says URGENT and the prompt names it until a clinician records a
    decision on the URGENT capture (Assessment tab), then the REFER result is what is left to act on."""
    reg = window.session.register
    lid = lesion_with_results(reg, Path(tmp_path), ["urgent", "refer"])
    first, latest = (c.id for c in reg.captures.for_lesion(lid))
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, latest)
    prompt = window.referral_prompt
    assert prompt.isVisible() and prompt.text.text() == f"REFER result; {EARLIER}; status still 'monitoring' — {ANSWER}"
    assert (
        window.lesions.list.item(0).text().startswith("⚠ URGENT") and EARLIER in window.lesions.list.item(0).toolTip()
    )
    window.show_lesion(lid, first)
    view = window.assessment
    assert view.capture is not None and view.capture.id == first
    view.decision.setCurrentText("monitor")
    view.save.click()
    assert reg.captures.get(first).decision == "monitor"
    assert window.lesions.list.item(0).text().startswith("⚠ REFER")  # the REFER result still waits for action
    window.show_lesion(lid, latest)
    assert prompt.isVisible() and prompt.text.text() == "REFER result; status still 'monitoring'"


def test_a_significant_change_of_a_not_assessable_capture_still_names_the_result_that_stands(window, tmp_path) -> None:
    """REFER on 10 Mar, then a capture the model could not assess but whose change is SIGNIFICANT: the prompt says
    both (a tester saw only "SIGNIFICANT change")."""
    reg = window.session.register
    lid = lesion_with_results(reg, Path(tmp_path), ["refer", None])
    first, latest = reg.captures.for_lesion(lid)
    reg.comparisons.add("t", lid, first.id, latest.id, 84, "significant", ["area grew by 40%"],
                        {"scales": {"baseline": None, "followup": None}}, None)  # fmt: skip
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, latest.id)
    note = "latest capture not assessable; last assessable result: REFER on 10 Mar 2026"
    assert window.referral_prompt.text.text() == f"SIGNIFICANT change; {note}; status still 'monitoring' — {ANSWER}"
