"""A correction that puts a stored comparison back in use says so, with its verdict, as it says one made again: a
date corrected back to the one a comparison was made with brings that comparison's SIGNIFICANT back without
comparing anything (``capture edit`` printed only the date, --json ``compared_again`` [], while ``lesion show`` read
SIGNIFICANT again). The lines name the lesion as ``patient show`` does ("Lesion 1 (id 2)"), never by its database id
alone ("lesion 2"). A real SQLite register, real synthetic images compared by the real pipeline, the real commands."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.services.stored_comparisons import current_comparisons
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS, GROWN, add
from tests.test_cli import run

LATE = "2026-09-04"  # 231 days after the baseline: long-term rules, 25 % growth is no significant change


def grown_lesion(reg: Register, tmp_path: Path) -> tuple[int, int, int]:
    """Another patient's lesion first (so the lesion's id is 2 while it is its patient's Lesion 1), then a baseline and
    the lesion grown by 25 % 42 days later (SIGNIFICANT): (lesion, baseline, grown)."""
    reg.lesions.add("t", reg.patients.add("t", "O-1", "Other One").id, "head/neck")
    lid = reg.lesions.add("t", reg.patients.add("t", "G-1", "Grown Lesion").id, "upper extremity").id
    return lid, add(reg, lid, tmp_path, 1.0, DAYS[0]), add(reg, lid, tmp_path, GROWN, DAYS[1])


def test_a_date_corrected_back_says_the_comparison_in_use_again(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lid, base, grown = grown_lesion(reg, tmp_path)
        (first,) = reg.comparisons.for_lesion(lid)
    assert lid == 2 and first.verdict == "significant"
    code, out, err = run(capsys, "capture", "edit", str(grown), "--taken-at", LATE)
    with Register(data_dir) as reg:
        late = reg.comparisons.for_lesion(lid)[-1]
    assert code == 0 and err == "" and late.verdict == "not significant"
    assert out.splitlines()[1] == (
        f"Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {grown} (4 Sep 2026) compared again with the "
        f"baseline: NOT SIGNIFICANT ({late.reasons[0]}) (comparison {late.id})"
    )
    code, out, err = run(capsys, "capture", "edit", str(grown), "--taken-at", DAYS[1])
    with Register(data_dir) as reg:
        assert reg.comparisons.for_lesion(lid)[-1].id == late.id  # nothing compared: the first one is current again
        assert [r.id for r in current_comparisons(reg, lid)] == [first.id]
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"capture {grown} (16 Feb 2026): date taken 4 Sep 2026 → 16 Feb 2026",
        f"Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {grown} (16 Feb 2026) compared before with the "
        f"baseline, in use again: SIGNIFICANT ({first.reasons[0]}) (comparison {first.id})",
    ]
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    assert code == 0 and "SIGNIFICANT" in out and "NOT SIGNIFICANT" not in out  # what the line said is in use


def test_json_holds_the_comparison_in_use_again(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lid, base, grown = grown_lesion(reg, tmp_path)
        (first,) = reg.comparisons.for_lesion(lid)
    code, out, _ = run(capsys, "--json", "capture", "edit", str(grown), "--taken-at", LATE)
    doc = json.loads(out)
    assert code == 0 and [c["verdict"] for c in doc["compared_again"]] == ["not significant"]
    assert doc["in_use_again"] == []
    code, out, err = run(capsys, "--json", "capture", "edit", str(grown), "--taken-at", DAYS[1])
    doc = json.loads(out)  # the fields it had, and the comparison put back in use
    assert code == 0 and err == "" and doc["compared_again"] == [] and doc["after"]["taken_at"] == DAYS[1]
    assert [(c["id"], c["verdict"], c["followup_capture_id"]) for c in doc["in_use_again"]] == [
        (first.id, "significant", grown)
    ]


def test_a_restored_capture_says_its_comparison_in_use_again(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lid, base, grown = grown_lesion(reg, tmp_path)
        (first,) = reg.comparisons.for_lesion(lid)
    code, out, _ = run(capsys, "capture", "delete", str(grown))
    assert code == 0 and "in use again" not in out  # nothing comes back with a capture deleted
    code, out, err = run(capsys, "capture", "delete", str(grown), "--restore")
    assert code == 0 and err == ""
    assert out.splitlines()[1:] == [
        f"Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {grown} (16 Feb 2026) compared before with the "
        f"baseline, in use again: SIGNIFICANT ({first.reasons[0]}) (comparison {first.id})",
    ]


def test_a_warning_names_the_lesion_as_patient_show_does(capsys, data_dir: Path, tmp_path: Path) -> None:
    """A comparison that cannot be made again (an image gone from the store) warns, naming the lesion."""
    with Register(data_dir) as reg:
        lid, base, grown = grown_lesion(reg, tmp_path)
        for path in reg.images.root.rglob("*"):
            if path.is_file():
                path.unlink()
    code, _, err = run(capsys, "capture", "edit", str(grown), "--taken-at", DAYS[2])
    assert code == 0 and err.startswith(f"dermadesk: warning: Lesion 1 (id {lid}): comparisons not all redone: ")
