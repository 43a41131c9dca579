"""File > Import patients: a review conflict's Last agreed cell says the re-check interval agreed with a 'monitor'
decision where the interval is no part of the conflict (both sides' none now): "monitor, 6 months", as the conflict's
line says "last agreed: decision 'monitor', re-check in 6 months, ..." (it said "monitor" alone, the 6 months agreed
left out though the interval goes with the decision kept or taken). Real registers, a real package, real widgets."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.transfer import open_package, preview
from dermadesk.storage.register import Register
from dermadesk.ui.transfer_preview import ImportPreviewDialog
from tests.test_cli_transfer_review_words import _apart


def test_last_agreed_says_the_interval_agreed_with_the_decision(qtbot, tmp_path: Path) -> None:
    clinic, package = _apart(tmp_path)
    with Register(Path(clinic)) as reg, open_package(reg, Path(package), None) as opened:
        outcome = preview(reg, opened)
    [conflict] = outcome.plan.fields
    assert conflict.agreed["recheck_months"] == 6  # --json's last_agreed too
    dialog = ImportPreviewDialog(outcome)
    qtbot.addWidget(dialog)
    panel = dialog.conflict_answers
    assert panel is not None
    table = panel.table
    assert table.item(0, 1).text() == "decision +\nclinician notes"
    cell = table.item(0, 4)
    assert cell.text() == "monitor, 6 months\nwatch it"
    assert cell.toolTip().splitlines()[0] == "decision: monitor, 6 months"
