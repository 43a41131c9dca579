"""``dermadesk transfer import --take N / --keep N``: a capture's review changed on both sides is ONE numbered
conflict (its decision and clinician notes together), numbered in the preview's order among the other fields'
conflicts; answering it moves both. Real registers, a real package, the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.test_cli_transfer import run
from tests.transfer_data import day_only, fill, move, set_by

FIRST = "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (left scapula) of patient P-1"  # as named here
REVIEW_CONFLICT = (
    f"conflict 2: {FIRST}: review (decision and clinician notes, answered together) changed on both sides (here: "
    f"decision 'refer', clinician notes 'refer to derm'{set_by('dr.x')}; in the package: decision 'excise', clinician "
    f"notes 'excise: growth'{set_by('dr.x')}; last agreed: decision 'monitor', clinician notes 'watch the "
    "border'); left as it is here until answered (keep this register's review, or take the package's: its decision "
    "and clinician notes together)"
)


def _captures(data_dir: Path) -> list[tuple[str | None, str]]:
    """P-1's captures' reviews (decision, clinician notes), oldest first."""
    with Register(data_dir) as reg:
        lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
        return [(c.decision, c.clinician_notes) for c in reg.captures.for_lesion(lesion.id)]


def _three_conflicts(tmp_path: Path) -> tuple[str, str]:
    """A clinic and a field laptop both changed P-1's lesion label (conflict 1), its first capture's review (conflict
    2: decision and notes on both) and its second capture's decision (conflict 3: no notes on either side): (the
    clinic's data folder, the laptop's package)."""
    clinic, field, package = tmp_path / "clinic", tmp_path / "field", tmp_path / "in.ddtx"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=2)
    move(clinic, field, package)
    for where, label, review, decision in (
        (clinic, "left scapula", ("refer", "refer to derm"), "monitor"),
        (field, "upper back", ("excise", "excise: growth"), "discharge"),
    ):
        with Register(where) as reg:
            lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
            first, second = reg.captures.for_lesion(lesion.id)
            reg.lesions.update("dr.x", lesion.id, label=label)
            reg.captures.review("dr.x", first.id, *review)
            reg.captures.review("dr.x", second.id, decision, "")
    with Register(field) as reg:
        export_patients(reg, package, None, overwrite=True)
    return str(clinic), str(package)


def test_the_review_is_one_numbered_conflict_and_take_n_moves_both(capsys, tmp_path: Path) -> None:
    clinic, package = _three_conflicts(tmp_path)
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--dry-run")
    numbered = [line.split(":")[0] for line in out.splitlines() if line.startswith("conflict ")]
    assert code == 0 and numbered == ["conflict 1", "conflict 2", "conflict 3"] and REVIEW_CONFLICT in day_only(out)
    assert "conflict 3: capture of 15 Feb 2025 (P-1-0-1.jpg), lesion 1 (left scapula) of patient P-1: decision " in out
    assert out.splitlines()[-2].endswith(
        "; a capture's review is one conflict: its decision, re-check interval and clinician notes are kept or "
        "taken together"
    )
    assert " present   3 conflicts to answer (conflicts 1, 2, 3 below)" in out

    code, out, _ = run(capsys, "--data-dir", clinic, "--json", "transfer", "import", package, "--dry-run")
    rows = json.loads(out)["field_conflicts"]
    assert [(r["number"], r["field"], r["fields"]) for r in rows] == [
        (1, "label", ["label"]),
        (2, "review", ["decision", "clinician_notes"]),
        (3, "decision", ["decision"]),
    ]
    assert (rows[1]["here"], rows[1]["package"]) == (
        {"decision": "refer", "clinician_notes": "refer to derm"},
        {"decision": "excise", "clinician_notes": "excise: growth"},
    )

    code, out, err = run(
        capsys, "--data-dir", clinic, "transfer", "import", package, "--take", "2", "--keep", "3", "--yes"
    )
    assert code == 1 and "conflict 1: lesion 1" in out and "conflict 2:" not in out and "conflict 3:" not in out
    assert (
        " present   updates 1 record; 3 conflicts: 1 to answer, 1 keeps this register's value, 1 takes the package's "
        "(conflict 1 below)" in out
    )
    assert (
        f"will update: {FIRST}: review: decision 'refer' → 'excise', clinician notes 'refer to derm' → 'excise: "
        f"growth' (changed on both sides: the package's review, {set_by('dr.x')[3:]}, taken whole, as "
        "answered)" in day_only(out)
    )
    assert "kept this register's value for 1 field changed on both sides, not answered" in err
    assert _captures(Path(clinic)) == [("excise", "excise: growth"), ("monitor", "")]  # both fields, from conflict 2

    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--dry-run")  # left: the label
    assert [line.split(": ")[1] for line in out.splitlines() if line.startswith("conflict ")] == [
        "lesion 1 (left scapula, left posterior torso; 'upper back' in the package) of patient P-1"
    ]


@pytest.mark.parametrize("how", [["--keep", "2"], ["--conflicts", "keep"]])
def test_keep_n_keeps_the_whole_review_and_says_so(capsys, tmp_path: Path, how: list[str]) -> None:
    clinic, package = _three_conflicts(tmp_path)
    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, *how, "--yes")
    assert _captures(Path(clinic)) == [("refer", "refer to derm"), ("monitor", "")]
    assert (
        f"note: {FIRST}: review kept as it is here (decision 'refer', clinician notes 'refer to derm'"
        f"{set_by('dr.x')}), as answered: the package's review (decision 'excise', clinician notes 'excise: growth'"
        f"{set_by('dr.x')}) is recorded as seen" in day_only(out)
    )
    if how[0] == "--keep":
        assert code == 1 and "conflict 1: lesion 1" in out and "conflict 3: capture" in out
        assert out.strip().endswith(
            "kept this register's value for 1 review (decision and clinician notes) changed on both sides, as answered"
        )
        assert "kept this register's value for 2 fields changed on both sides, not answered" in err
    else:
        assert code == 0 and err == "" and "conflict " not in out
        assert out.strip().endswith(
            "kept this register's value for 2 fields and 1 review (decision and clinician notes) changed on both "
            "sides, as answered"
        )
    with Register(Path(clinic)) as reg:  # one answer row for the review: both package values seen
        rows = [e for e in reg.audit.entries("capture") if e.action == "import-update" and (e.after or {}).get("kept")]
        kept = [(e.after or {})["kept"] for e in rows]
        assert {"decision": "excise", "clinician_notes": "excise: growth"} in kept
