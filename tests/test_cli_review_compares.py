"""``capture review``: a decision saved on a capture after which later ones were imported compares those with the
reviewed capture at once and says what each comparison found, so that ``patient show``'s flag reads it; a notes-only
save compares nothing; a decision cleared compares nothing where no reviewed capture is left. A real SQLite register,
the real command, real synthetic images compared by the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files
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
    assert code == 0 and first.endswith(": decision monitor, re-check as the tier suggests (notes kept)")
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


def test_the_later_captures_are_named_as_every_command_names_them(capsys, data_dir: Path, tmp_path: Path) -> None:
    """Two later captures of one day: each line names its capture as ``capture_ref`` does ("30 Mar 2026, 2 of 2 that
    day"), never two alike "(30 Mar 2026)"."""
    with Register(data_dir) as reg:
        lid, _, reviewed, later = late_imports(reg, tmp_path, DAYS[:3], GROWN * GROWN)
        image = synthetic_lesion(LesionSpec(seed=7, scale=GROWN * GROWN), 320, 240)
        image[:4, :4] = 230  # another image of the same visit
        (tmp_path / "second.jpg").write_bytes(jpeg_bytes(image))
        meta = CaptureMeta(taken_at=DAYS[2], mm_per_px=0.02)
        second = import_files(reg, "t", lid, [tmp_path / "second.jpg"], meta).captures[0].id
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--decision", "monitor")
    lines = out.splitlines()[1:]
    assert code == 0 and [line.split(" compared with ")[0] for line in lines] == [
        f"  capture {later} (30 Mar 2026, 1 of 2 that day)",
        f"  capture {second} (30 Mar 2026, 2 of 2 that day)",
    ]
    assert all(f" compared with the reviewed capture {reviewed} (16 Feb 2026): " in line for line in lines)


def test_json_holds_the_comparisons_made(capsys, data_dir: Path, tmp_path: Path) -> None:
    """--json gives the capture as before, with the comparisons it made and stored, a row each; none when nothing
    changed."""
    with Register(data_dir) as reg:
        lid, _, reviewed, later = late_imports(reg, tmp_path, LONG, GROWN * GROWN)
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--decision", "monitor", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["id"] == reviewed and doc["decision"] == "monitor"  # the capture, as before
    [row] = doc["compared_since_review"]
    with Register(data_dir) as reg:
        stored = reg.comparisons.for_lesion(lid)[-1]
    assert (row["id"], row["baseline_capture_id"], row["followup_capture_id"]) == (stored.id, reviewed, later)
    assert row["verdict"] == stored.verdict and row["reasons"] == stored.reasons and row["interval_days"] == 150
    code, out, _ = run(capsys, "capture", "review", "--capture", str(reviewed), "--decision", "monitor", "--json")
    assert code == 0 and json.loads(out)["compared_since_review"] == []  # nothing changed: nothing compared
