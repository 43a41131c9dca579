"""A ⚠ CHANGED flag estimated since the reviewed capture (the decision saved, the later capture not compared with it
yet): ``patient show`` and ``lesion show`` say it is not confirmed and name the command that confirms it, with the real
ids; that command, run as printed, stores the comparison and the flag then reads it (here it confirms the change: the
flag stands, no longer an estimate). A real register, the real commands, real synthetic images."""

from __future__ import annotations

import re
from pathlib import Path

from dermadesk.storage.register import Register
from tests.services.test_review_compares import late_review
from tests.services.test_since_review import DAYS, GROWN, pairs
from tests.test_cli import run


def flag_lines(capsys, *commands: tuple[str, ...]) -> list[str]:
    lines = []
    for command in commands:
        code, out, err = run(capsys, *command)
        assert code == 0 and err == ""
        lines.append(next(line for line in out.splitlines() if line.strip().startswith("⚠ CHANGED:")).strip())
    return lines


def test_the_flag_names_the_compare_command_and_running_it_confirms_the_change(
    capsys, data_dir: Path, tmp_path: Path
) -> None:
    with Register(data_dir) as reg:
        lid, _, reviewed, later = late_review(reg, tmp_path, DAYS[:3], GROWN * GROWN)
        mrn = reg.patients.get(reg.lesions.get(lid).patient_id).mrn
    shown = flag_lines(capsys, ("patient", "show", mrn), ("lesion", "show", str(lid)))
    assert shown[0] == shown[1]
    assert shown[0].startswith("⚠ CHANGED: significant change on 30 Mar 2026, not confirmed yet (estimated: area ")
    assert (
        f"; to confirm it, compare the 30 Mar 2026 capture with the reviewed capture (dermadesk compare {reviewed} "
        f"{later}); status still 'monitoring'"
    ) in shown[0]
    assert "Patient >" not in shown[0]  # the app's menu is not the command line's

    command = re.search(r"\(dermadesk (compare \d+ \d+)\)", shown[0]).group(1).split()  # type: ignore[union-attr]
    code, out, err = run(capsys, *command)
    assert code == 0 and "verdict: SIGNIFICANT" in out
    with Register(data_dir) as reg:
        assert pairs(reg, lid)[(reviewed, later)] == "significant"
    [now] = flag_lines(capsys, ("lesion", "show", str(lid)))
    assert now.startswith("⚠ CHANGED: significant change on 30 Mar 2026 (area grew by ")
    assert "since the reviewed capture of 16 Feb 2026" in now
    assert not any(words in now for words in ("not confirmed", "estimated", "dermadesk compare"))
