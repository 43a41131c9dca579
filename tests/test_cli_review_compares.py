"""``capture review``: a decision saved on a capture after which later ones were imported compares those with the
reviewed capture at once and says what each comparison found, so that ``patient show``'s flag reads it; a notes-only
save compares nothing; a decision cleared compares nothing where no reviewed capture is left. A real SQLite register,
the real command, real synthetic images compared by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.standing import significant_change
from dermadesk.storage.register import Register
from tests.services.test_review_compares import LONG, late_imports
from tests.services.test_since_review import DAYS, GROWN, pairs
from tests.test_cli import run


def test_a_late_decision_compares_the_later_capture_and_says_it(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lid, _, reviewed, later = late_imports(reg, tmp_path, DAYS[:3], GROWN * GROWN)
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--notes", "seen")
    assert code == 0 and out.count("\n") == 1  # notes alone: nothing to compare
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--decision", "monitor")
    with Register(data_dir) as reg:
        row = reg.comparisons.for_lesion(lid)[-1]
        assert (row.baseline_capture_id, row.followup_capture_id, row.verdict) == (reviewed, later, "significant")
        assert reg.audit.entries("comparison", row.id)[0].action == COMPARED_ACTION
        change = significant_change(reg, lid)  # what patient show's flag says
        assert change is not None and change.reasons[0] == f"{row.reasons[0]} since the reviewed capture of 16 Feb 2026"
    first, second = out.splitlines()
    assert code == 0 and first.endswith(": decision monitor (notes kept)")
    assert second == (
        f"  capture {later} (30 Mar 2026) compared with the reviewed capture {reviewed} (16 Feb 2026): SIGNIFICANT "
        f"({row.reasons[0]})"
    )
    assert "(area grew by 2" in second  # +25 % since the reviewed capture, not +56 % since the baseline


def test_a_decision_cleared_or_given_again_compares_nothing_more(capsys, data_dir: Path, tmp_path: Path) -> None:
    """Cleared: no reviewed capture is left before the later one, nothing to compare; 'monitor' again: the comparison
    made the first time is current and read again (not made twice); with --json the output is the capture alone."""
    with Register(data_dir) as reg:
        lid, base, reviewed, later = late_imports(reg, tmp_path, LONG, GROWN * 1.2**0.5)
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--decision", "monitor")
    assert (
        code == 0
        and f"capture {later} (10 Dec 2025) compared with the reviewed capture {reviewed} (13 Jul 2025)" in out
    )
    assert ": NOT SIGNIFICANT (no significant change under long-term rules (the visits are 150 days apart)" in out
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--decision", "none")
    assert code == 0 and out.count("\n") == 1 and "decision cleared" in out
    with Register(data_dir) as reg:
        stored = len(reg.comparisons.for_lesion(lid))
        change = significant_change(reg, lid)  # the change since the baseline stands, the stored pair not read
        assert change is not None and change.reviewed is None and change.capture.id == later
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--decision", "monitor", "--json")
    assert code == 0 and out.count("\n") == 1 and out.startswith("{")
    with Register(data_dir) as reg:
        assert (
            len(reg.comparisons.for_lesion(lid)) == stored and pairs(reg, lid)[(reviewed, later)] == "not significant"
        )
        assert pairs(reg, lid)[(base, later)] == "significant" and significant_change(reg, lid) is None
