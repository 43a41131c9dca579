"""The command line says every comparison a correction makes again, its pair named by date as ``compare`` names it:
``capture edit`` the comparison with the baseline and the one with the reviewed capture (the app refreshes both; the
command printed the first alone, without its captures), and ``transfer import`` those it makes again for the capture
dates or scales a package corrected (--json: ``compared_again``). A real SQLite register, real packages, the real
commands, real synthetic images compared by the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.services import tracking
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.services.test_review_compares import late_imports
from tests.services.test_since_review import DAYS, GROWN
from tests.services.test_transfer_corrections import corrected_on_the_laptop, ids_by_day
from tests.test_cli import run


def test_capture_edit_says_both_comparisons_made_again(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lid, base, reviewed, later = late_imports(reg, tmp_path, DAYS[:3], GROWN * GROWN)
        reg.captures.review("t", reviewed, "monitor", "")
        tracking.compare_since_review(reg, "t", reviewed)
    code, out, err = run(capsys, "capture", "edit", str(later), "--mm-per-px", "0.025")
    with Register(data_dir) as reg:
        with_base, with_reviewed = reg.comparisons.for_lesion(lid)[-2:]
        assert reg.audit.entries("comparison", with_reviewed.id)[0].action == COMPARED_ACTION
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"capture {later} (30 Mar 2026): scale 0.02 mm per pixel → 0.025 mm per pixel",
        f"lesion {lid}: capture {base} (5 Jan 2026) → capture {later} (30 Mar 2026) compared again with the baseline: "
        f"{with_base.verdict.upper()} ({with_base.reasons[0]}) (comparison {with_base.id})",
        f"lesion {lid}: capture {reviewed} (16 Feb 2026) → capture {later} (30 Mar 2026) compared again with the "
        f"reviewed capture: {with_reviewed.verdict.upper()} ({with_reviewed.reasons[0]}) "
        f"(comparison {with_reviewed.id})",
    ]
    code, out, _ = run(capsys, "capture", "edit", str(later), "--mm-per-px", "0.025")
    assert code == 0 and out.splitlines()[1:] == []  # nothing changed: nothing compared again


def test_capture_edit_json_holds_the_comparisons_made_again(capsys, data_dir: Path, tmp_path: Path) -> None:
    with Register(data_dir) as reg:
        lid, base, reviewed, later = late_imports(reg, tmp_path, DAYS[:3], GROWN * GROWN)
        reg.captures.review("t", reviewed, "monitor", "")
        tracking.compare_since_review(reg, "t", reviewed)
    code, out, err = run(capsys, "--json", "capture", "edit", str(later), "--mm-per-px", "0.025")
    doc = json.loads(out)  # one document: the edit and the comparisons it made again
    with Register(data_dir) as reg:
        stored = reg.comparisons.for_lesion(lid)[-2:]
    assert code == 0 and err == "" and doc["after"]["mm_per_px"] == 0.025
    assert [(c["id"], c["baseline_capture_id"], c["followup_capture_id"]) for c in doc["compared_again"]] == [
        (c.id, c.baseline_capture_id, c.followup_capture_id) for c in stored
    ]
    assert {c["baseline_capture_id"] for c in doc["compared_again"]} == {base, reviewed}
    code, out, _ = run(capsys, "--json", "capture", "edit", str(later), "--mm-per-px", "0.025")
    assert code == 0 and json.loads(out)["compared_again"] == []  # nothing changed: nothing compared again


def test_transfer_import_compares_again_what_the_package_corrected_and_says_so(capsys, tmp_path: Path) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"mm_per_px": 0.025})
    package = tmp_path / "back.ddtx"
    with Register(laptop) as reg:
        export_patients(reg, package, None)
    lid, here = ids_by_day(clinic)
    base, later = here[DAYS[0]], here[DAYS[2]]
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    with Register(clinic) as reg:
        row = reg.comparisons.for_lesion(lid)[-1]
    assert code == 0 and err == "" and (row.baseline_capture_id, row.followup_capture_id) == (base, later)
    assert (
        f"\n  compared again, as the package corrected the date or scale of their captures: lesion {lid}\n"
        f"  lesion {lid}: capture {base} (5 Jan 2026) → capture {later} (30 Mar 2026) compared again with the "
        f"baseline: SIGNIFICANT ({row.reasons[0]}) (comparison {row.id})\n" in out
    )


def test_transfer_import_json_holds_the_rows_compared_again(capsys, tmp_path: Path) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"mm_per_px": 0.025})
    package = tmp_path / "back.ddtx"
    with Register(laptop) as reg:
        export_patients(reg, package, None)
    _, here = ids_by_day(clinic)
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes", "--json")
    doc = json.loads(out)
    [row] = doc["compared_again"]
    assert code == 0 and doc["applied"] and doc["compared_since_review"] == []
    assert (row["baseline_capture_id"], row["followup_capture_id"]) == (here[DAYS[0]], here[DAYS[2]])
    assert row["metrics"]["scales"] == {"baseline": 0.025, "followup": 0.02}
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes", "--json")
    assert code == 0 and json.loads(out)["compared_again"] == []  # nothing new: nothing compared again
