"""The command line says every comparison a correction makes again, its pair named by date as ``compare`` names it:
``capture edit`` the comparison with the baseline and the one with the reviewed capture (the app refreshes both; the
command printed the first alone, without its captures), and ``transfer import`` those it makes again for the capture
dates or scales a package corrected (--json: ``compared_again``). A real SQLite register, real packages, the real
commands, real synthetic images compared by the real pipeline."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from dermadesk.services import register_ops as ops
from dermadesk.services import tracking
from dermadesk.services.stored_comparisons import current_comparisons
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.services.test_review_compares import late_imports
from tests.services.test_since_review import DAYS, GROWN
from tests.services.test_transfer_corrections import corrected_on_the_laptop, ids_by_day
from tests.services.test_transfer_review_compares import MRN, add, send
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
        f"Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {later} (30 Mar 2026) compared again with the "
        f"baseline: {with_base.verdict.upper()} ({with_base.reasons[0]}) (comparison {with_base.id})",
        f"Lesion 1 (id {lid}): capture {reviewed} (16 Feb 2026) → capture {later} (30 Mar 2026) compared again with "
        f"the reviewed capture: {with_reviewed.verdict.upper()} ({with_reviewed.reasons[0]}) "
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
        brought, row = reg.comparisons.for_lesion(lid)[-2:]  # the grown capture's, compared again there; then here
    assert code == 0 and err == "" and (row.baseline_capture_id, row.followup_capture_id) == (base, later)
    assert (
        f"\n  compared again, as the package corrected the date or scale of their captures: Lesion 1 (id {lid})\n"
        f"  Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {here[DAYS[1]]} (16 Feb 2026) compared again at "
        f"workstation {socket.gethostname()} with the baseline: {brought.verdict.upper()} ({brought.reasons[0]}) "
        f"(comparison {brought.id})\n"
        f"  Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {later} (30 Mar 2026) compared again with the "
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


def baseline_redated_on_the_laptop(tmp_path: Path) -> tuple[Path, Path]:
    """The walkthrough's case: the clinic's baseline (dated 1 Jun 2025 by mistake) and grown capture sent to the
    laptop, which corrects the baseline's date to 5 Jan 2026 and compares again, as the app does; nothing new at the
    clinic since. (clinic, package back)."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        add(reg, lid, tmp_path, 1.0, "2025-06-01", 0)
        add(reg, lid, tmp_path, GROWN, DAYS[1], 1)
    send(clinic, laptop, tmp_path)
    there_lid, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        ops.edit_capture(reg, "dr field", there["2025-06-01"], {"taken_at": DAYS[0]})
        tracking.refresh_lesions(reg, "dr field", [there_lid])
        export_patients(reg, tmp_path / "back.ddtx", None)
    return clinic, tmp_path / "back.ddtx"


def test_transfer_import_names_the_comparisons_the_package_made_again(capsys, tmp_path: Path) -> None:
    # the package brought the comparison made again there: nothing is compared here, and the import said only
    # "compared again ...: lesion 1", no comparison named
    clinic, package = baseline_redated_on_the_laptop(tmp_path)
    lid, _ = ids_by_day(clinic)
    with Register(clinic) as reg:
        before = {c.id for c in reg.comparisons.for_lesion(lid)}
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    _, here = ids_by_day(clinic)  # by the dates corrected
    with Register(clinic) as reg:
        [row] = [c for c in current_comparisons(reg, lid) if c.id not in before]  # the package's, current here
        assert len(reg.comparisons.for_lesion(lid)) == len(before) + 1  # nothing compared here
    assert (
        code == 0 and err == "" and (row.baseline_capture_id, row.followup_capture_id) == (here[DAYS[0]], here[DAYS[1]])
    )
    assert out.splitlines()[-2:] == [
        f"  compared again, as the package corrected the date or scale of their captures: Lesion 1 (id {lid})",
        f"  Lesion 1 (id {lid}): capture {here[DAYS[0]]} (5 Jan 2026) → capture {here[DAYS[1]]} (16 Feb 2026) "
        f"compared again at workstation {socket.gethostname()} with the baseline: SIGNIFICANT ({row.reasons[0]}) "
        f"(comparison {row.id})",
    ]
    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--yes")
    doc = json.loads(out)  # again: nothing new, nothing compared or brought
    assert code == 0 and doc["compared_again"] == [] and doc["compared_again_there"] == []


def test_transfer_import_json_holds_the_comparisons_brought(capsys, tmp_path: Path) -> None:
    clinic, package = baseline_redated_on_the_laptop(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--yes")
    _, here = ids_by_day(clinic)
    doc = json.loads(out)
    [row] = doc["compared_again_there"]
    assert code == 0 and doc["applied"] and doc["compared_again"] == []
    assert (row["baseline_capture_id"], row["followup_capture_id"], row["verdict"]) == (
        here[DAYS[0]],
        here[DAYS[1]],
        "significant",
    )


def test_transfer_import_says_both_the_comparisons_brought_and_those_made_here(capsys, tmp_path: Path) -> None:
    # the laptop corrected the baseline's date and compared its grown capture again; the clinic's later capture,
    # which the laptop never had, is compared again here
    clinic, laptop = corrected_on_the_laptop(tmp_path, {"taken_at": "2025-12-22"})
    package = tmp_path / "back.ddtx"
    with Register(laptop) as reg:
        export_patients(reg, package, None)
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    lid, here = ids_by_day(clinic)
    with Register(clinic) as reg:
        current = {(c.baseline_capture_id, c.followup_capture_id): c for c in current_comparisons(reg, lid)}
    brought, made = current[(here["2025-12-22"], here[DAYS[1]])], current[(here["2025-12-22"], here[DAYS[2]])]
    assert code == 0 and err == "" and brought.id < made.id
    lines = out.splitlines()
    start = lines.index(
        f"  compared again, as the package corrected the date or scale of their captures: Lesion 1 (id {lid})"
    )
    assert [line.split(" with the baseline: ")[0] for line in lines[start + 1 :]] == [
        f"  Lesion 1 (id {lid}): capture {here['2025-12-22']} (22 Dec 2025) → capture {here[DAYS[1]]} (16 Feb 2026) "
        f"compared again at workstation {socket.gethostname()}",
        f"  Lesion 1 (id {lid}): capture {here['2025-12-22']} (22 Dec 2025) → capture {here[DAYS[2]]} (30 Mar 2026) "
        "compared again",
    ]
    assert lines[-1].endswith(f"(comparison {made.id})") and lines[-2].endswith(f"(comparison {brought.id})")
