"""``capture review --decision monitor --recheck 12`` saves the clinician's re-check interval with the decision
(--json too); another decision refuses it and clears a stored one; left out, it is kept while the decision stays
'monitor'; ``lesion show`` / ``capture list`` say it beside the decision. A real SQLite register, the real command."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.storage.register import Register
from tests.test_cli import run
from tests.test_cli_review_keeps import capture  # noqa: F401  (the fixture: capture 1, no decision)


def stored(data_dir: Path) -> tuple[str | None, str, int | None]:
    with Register(data_dir) as reg:
        c = reg.captures.get(1)
        return c.decision, c.clinician_notes, c.recheck_months


def test_monitor_with_a_recheck_interval_is_saved_said_and_shown(capsys, capture, data_dir: Path) -> None:  # noqa: F811
    code, out, _ = run(capsys, "capture", "review", "1", "--decision", "monitor", "--recheck", "12", "--json")
    saved = json.loads(out)
    assert code == 0 and (saved["decision"], saved["recheck_months"]) == ("monitor", 12)
    assert stored(data_dir) == ("monitor", "", 12)
    code, out, _ = run(capsys, "capture", "review", "1", "--notes", "stable")  # left out: kept with 'monitor'
    assert code == 0 and "notes saved (decision and re-check interval kept)" in out
    assert stored(data_dir) == ("monitor", "stable", 12)
    code, out, _ = run(capsys, "capture", "review", "1", "--recheck", "12")
    assert code == 0 and "nothing changed" in out and "already has re-check in 12 months" in out
    for command in (("lesion", "show", "1"), ("capture", "list", "--lesion", "1")):
        code, out, _ = run(capsys, *command)
        assert code == 0 and "decision monitor, re-check in 12 months" in out
    code, out, _ = run(capsys, "lesion", "show", "1", "--json")
    assert json.loads(out)["captures"][0]["capture"]["recheck_months"] == 12
    code, out, _ = run(capsys, "capture", "review", "1", "--recheck", "none")
    assert code == 0 and "re-check interval cleared (the tier's interval applies)" in out
    assert stored(data_dir) == ("monitor", "stable", None)


def test_another_decision_refuses_the_interval_and_clears_the_stored_one(
    capsys,
    capture,  # noqa: F811
    data_dir: Path,
) -> None:
    assert run(capsys, "capture", "review", "1", "--decision", "monitor", "--recheck", "6")[0] == 0
    code, out, err = run(capsys, "capture", "review", "1", "--decision", "refer", "--recheck", "6")
    assert code != 0 and "goes with the decision 'monitor' only (the decision is 'refer')" in out + err
    assert stored(data_dir) == ("monitor", "", 6)  # refused: nothing written
    code, out, err = run(capsys, "capture", "review", "1", "--recheck", "72")
    assert code != 0 and "give 1 to 60 months" in out + err
    code, out, _ = run(capsys, "capture", "review", "1", "--decision", "refer")
    assert code == 0 and "decision refer and re-check interval cleared" in out
    assert stored(data_dir) == ("refer", "", None)
    code, out, err = run(capsys, "capture", "review", "1", "--recheck", "3")  # the decision kept is 'refer'
    assert code != 0 and "(the decision is 'refer')" in out + err
