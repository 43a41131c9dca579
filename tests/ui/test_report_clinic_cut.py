"""Saving a report whose clinic line is too long for its header even in the smallest face (helper 156): the status
bar says the report was saved and what of the clinic line it left out (the phone number, often), in the words the
command line uses, and where to shorten it; a clinic line printed whole adds nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.reports.test_clinic_line_shrinks import EXTREME, LONG, PHONE
from tests.ui.test_report_usability import one_lesion


def saved(qtbot, window, dialogs, target: Path, summary: bool = False) -> str:
    """The status bar's line once ``target`` is saved."""
    dialogs.saves.append(str(target))
    (window.reports.save_patient_summary if summary else window.reports.save_lesion_report)()
    qtbot.waitUntil(lambda: f" saved: {target}" in window.statusBar().currentMessage(), timeout=60000)
    return window.statusBar().currentMessage()


def test_the_save_says_what_of_the_clinic_line_the_report_left_out(qtbot, window, dialogs, tmp_path: Path) -> None:
    one_lesion(qtbot, window, dialogs, tmp_path)
    session = window.session
    session.save_settings(dataclasses.replace(session.settings, clinic_name=EXTREME))
    message = saved(qtbot, window, dialogs, tmp_path / "cut.pdf")
    assert message.startswith(f"Report saved: {tmp_path / 'cut.pdf'}. Note: the clinic line is too long for the report")
    assert message.endswith(f"{PHONE}' left out; shorten it in Edit > Settings")
    message = saved(qtbot, window, dialogs, tmp_path / "summary.pdf", summary=True)
    assert message.startswith("Summary saved: ") and f"{PHONE}' left out" in message
    session.save_settings(dataclasses.replace(session.settings, clinic_name=LONG))  # whole, in a smaller face
    assert saved(qtbot, window, dialogs, tmp_path / "whole.pdf") == f"Report saved: {tmp_path / 'whole.pdf'}"
