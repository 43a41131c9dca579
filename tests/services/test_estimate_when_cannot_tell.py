"""After a review, a later capture's ⚠ CHANGED is estimated from the two comparisons with the baseline where its own
comparison with the reviewed capture cannot tell: the note says it is an estimate and that the direct comparison
cannot tell (before, it read as a finding). A real SQLite register, synthetic images compared by the real pipeline;
the direct comparison's verdict is set to 'cannot tell' in the file (a pair the pipeline could not align)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.attention import lesion_flag
from dermadesk.services.standing import significant_change
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS, GROWN, add, reviewed_lesion


def test_a_change_estimated_where_the_direct_comparison_cannot_tell_says_so(register: Register, tmp_path: Path) -> None:
    lid, _, reviewed = reviewed_lesion(register, tmp_path)
    grown = add(register, lid, tmp_path, GROWN * GROWN, DAYS[2])
    register.database.conn.execute(
        "UPDATE comparisons SET verdict = 'cannot tell' WHERE baseline_capture_id = ? AND followup_capture_id = ?",
        (reviewed, grown),
    )
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == grown and change.reviewed is not None
    assert change.cannot_tell_since and not change.unconfirmed  # stored, but it cannot tell
    assert change.note.startswith("significant change on 30 Mar 2026 (estimated: area grew by 2")
    assert "since the reviewed capture of 16 Feb 2026; compared with each other: cannot tell)" in change.note
    flag, why = lesion_flag(register, lid)
    assert flag == "⚠ CHANGED" and "estimated: " in why and "cannot tell" in why


def test_a_change_the_direct_comparison_finds_is_no_estimate(register: Register, tmp_path: Path) -> None:
    lid, _, _ = reviewed_lesion(register, tmp_path)
    add(register, lid, tmp_path, GROWN * GROWN, DAYS[2])
    change = significant_change(register, lid)
    assert change is not None and not change.cannot_tell_since and not change.unconfirmed
    assert "estimated" not in change.note and "cannot tell" not in change.note
