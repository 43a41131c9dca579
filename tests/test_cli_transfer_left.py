"""``transfer import`` says what its comparing left and what its corrections put back in use.

Ctrl-C in the corrections step (the tier step never ran): the warning names the comparisons made with the tiers before
the package's assessments as not made again, the lesion with comparisons still to make, and how to finish it; the
same import again imports nothing twice, and its preview and result say it compares what the first left. A package
that brings a scale back to the one the stored comparisons were made with: a line for each comparison in use again,
as ``capture edit`` says one (--json: ``in_use_again``). Real registers, real packages, the tiny ONNX models, the
real command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import dermadesk.services.transfer as transfer
from dermadesk.storage.register import Register
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_since_review import DAYS
from dermadesk.services.transfer import export_patients
from tests.services.test_transfer_assessed_compares import assessed_on_the_laptop
from tests.services.test_transfer_left import (
    cancel_at,
    corrected_assessed_and_decided,
    corrected_back_and_another,
    corrected_back_on_the_laptop,
    decided_with_two_later,
    imported,
)
from tests.services.test_transfer_review_compares import REVIEWED, ids_by_day
from tests.test_cli import run

LEFT = (
    "Still to compare: Lesion 1 (id 1); import the same package again to finish (nothing is imported twice; what is "
    "left is compared)"
)


def test_ctrl_c_in_the_corrections_names_what_is_left_and_the_same_import_again_finishes_it(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clinic, package = corrected_assessed_and_decided(tmp_path, tiny_model_dir, low_model)
    real = transfer.compare_again

    def interrupted(register: Any, actor: str, outcome: Any, progress: Any, cancel: Any) -> None:
        def pressed(_: float, message: str) -> None:  # Ctrl-C as the corrections step compares a pair
            if message == REVIEWED:
                raise KeyboardInterrupt

        real(register, actor, outcome, pressed, cancel)

    with monkeypatch.context() as patched:
        patched.setattr(transfer, "compare_again", interrupted)
        code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    assert code == 130 and "compared again, as the package brought assessments" not in out  # the tier step: not run
    assert err == (
        "dermadesk: interrupted: the import is done, but the captures whose dates or scales it corrected were not all "
        "compared again (a capture may show no change line until it is), and the comparisons made with the risk tiers "
        "before its assessments were not all made again (the change line and the flag may read the tier before), and "
        "the later captures were not all compared with the reviewed capture (the flag estimates the change since it "
        f"until they are). {LEFT}\n"
    )
    lid, here = ids_by_day(clinic)
    with Register(clinic) as reg:
        rows = len(reg.comparisons.for_lesion(lid))

    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert "  to compare:      Lesion 1 (id 1) (left by an earlier import of this package)" in lines  # the preview
    assert (
        "nothing new to import; compared what an earlier import of this package left to compare: Lesion 1 (id 1)"
        in (lines)
    )
    said = "  compared again, as the package brought assessments that give their captures other risk tiers: Lesion 1"
    assert f"{said} (id 1)" in lines
    with Register(clinic) as reg:
        assert len(reg.comparisons.for_lesion(lid)) == rows + 2  # with the reviewed capture, and for the tiers

    code, out, _ = run(capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(package), "--yes")
    doc = json.loads(out)
    assert code == 0 and not doc["applied"] and doc["left_by_earlier_import"] == [] and doc["compared_again"] == []


def test_the_import_says_the_comparisons_its_correction_put_back_in_use(capsys, tmp_path: Path, data_dir: Path) -> None:
    clinic, package = corrected_back_on_the_laptop(tmp_path, clinic=data_dir)
    lid, here = ids_by_day(clinic)
    base, grown, later = (here[day] for day in DAYS[:3])
    with Register(clinic) as reg:
        first = {
            (r.baseline_capture_id, r.followup_capture_id): r
            for r in reg.comparisons.for_lesion(lid)
            if r.metrics["scales"]["baseline"] == 0.02
        }
    code, out, err = run(capsys, "transfer", "import", str(package), "--yes")
    lines = out.splitlines()
    assert code == 0 and err == ""
    start = lines.index(  # each lesion under what happened to it: none compared again, its comparisons back in use
        "  stored comparisons in use again, as the package brought back the date or scale they were made with: "
        "Lesion 1 (id 1)"
    )
    assert not any(line.startswith("  compared again") or "nothing to compare again" in line for line in lines)
    for k, (pair, day) in enumerate((((base, grown), "16 Feb 2026"), ((base, later), "30 Mar 2026"))):
        row = first[pair]
        assert lines[start + 1 + k] == (
            f"  Lesion 1 (id 1): capture {base} (5 Jan 2026) → capture {pair[1]} ({day}) compared before with the "
            f"baseline, in use again: SIGNIFICANT ({row.reasons[0]}) (comparison {row.id})"
        )


def test_json_holds_the_comparisons_in_use_again(capsys, tmp_path: Path, data_dir: Path) -> None:
    clinic, package = corrected_back_on_the_laptop(tmp_path, clinic=data_dir)
    _, here = ids_by_day(clinic)
    code, out, err = run(capsys, "--json", "transfer", "import", str(package), "--yes")
    doc = json.loads(out)  # one document
    assert code == 0 and err == "" and doc["compared_again"] == [] and doc["left_to_compare"] == []
    assert [(c["baseline_capture_id"], c["followup_capture_id"], c["verdict"]) for c in doc["in_use_again"]] == [
        (here[DAYS[0]], here[DAYS[1]], "significant"),
        (here[DAYS[0]], here[DAYS[2]], "significant"),
    ]


def test_each_corrected_lesion_is_said_under_what_happened_to_it(capsys, tmp_path: Path, data_dir: Path) -> None:
    """T-8's lesion (id 1) compared again, T-9's (id 2) only its stored comparisons back in use: each line names its
    own lesions (it read 'compared again, ...: Lesion 1 (id 1), Lesion 1 (id 2)')."""
    clinic, package, other = corrected_back_and_another(tmp_path, clinic=data_dir)
    lid, _ = ids_by_day(clinic)
    code, out, err = run(capsys, "transfer", "import", str(package), "--yes")
    lines = out.splitlines()
    assert code == 0 and err == "" and (other, lid) == (1, 2)
    again = lines.index(
        "  compared again, as the package corrected the date or scale of their captures: Lesion 1 (id 1)"
    )
    back = lines.index(
        "  stored comparisons in use again, as the package brought back the date or scale they were made with: "
        "Lesion 1 (id 2)"
    )
    assert again < back and all("compared again with the baseline" in line for line in lines[again + 1 : back])
    assert len(lines[again + 1 : back]) == 1 and lines[again + 1].startswith("  Lesion 1 (id 1): ")
    rest = lines[back + 1 :]
    assert len(rest) == 2 and all(line.startswith("  Lesion 1 (id 2): ") and "in use again" in line for line in rest)


def test_the_comparison_the_package_brought_is_named_with_its_verdict(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """A package with the assessments and the comparison the laptop made: the import names that comparison, where it
    was made and its verdict (it said 'imported 2 assessments, 1 comparison' only; --json: compared_there)."""
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)
        host = reg.database.query("SELECT hostname FROM workstations WHERE is_self = 1")[0][0]
    lid, here = ids_by_day(clinic)
    base, grown = here[DAYS[0]], here[DAYS[1]]
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(tmp_path / "back.ddtx"), "--yes")
    with Register(clinic) as reg:
        [row] = [
            r for r in reg.comparisons.for_lesion(lid) if r.metrics["risk_tier"] == {"before": "low", "after": "low"}
        ]
    assert code == 0 and err == ""
    assert out.splitlines()[out.splitlines().index("imported 2 assessments, 1 comparison") + 1] == (
        f"  Lesion 1 (id {lid}): capture {base} (5 Jan 2026) → capture {grown} (16 Feb 2026) compared at workstation "
        f"{host} with the baseline: {row.verdict.upper()} ({row.reasons[0]}) (comparison {row.id})"
    )


def test_json_holds_the_comparison_the_package_brought(
    capsys,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    clinic, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)
    _, here = ids_by_day(clinic)
    code, out, _ = run(
        capsys, "--data-dir", str(clinic), "--json", "transfer", "import", str(tmp_path / "back.ddtx"), "--yes"
    )
    doc = json.loads(out)
    assert code == 0 and doc["compared_again_there"] == []
    assert [(r["baseline_capture_id"], r["followup_capture_id"]) for r in doc["compared_there"]] == [
        (here[DAYS[0]], here[DAYS[1]])
    ]


def test_patient_show_and_lesion_show_say_a_flag_is_not_confirmed_until_the_import_is_finished(
    capsys, tmp_path: Path
) -> None:
    """The import's comparing cancelled before the latest capture was compared with the reviewed capture: the flag
    line says the change is an estimate, not confirmed, and how to finish; importing the package again confirms it."""
    clinic, package = decided_with_two_later(tmp_path)
    token, progress = cancel_at(REVIEWED)  # before either later capture is compared with the reviewed capture
    assert imported(clinic, package, progress=progress, cancel=token).compare_stopped
    lid, _ = ids_by_day(clinic)
    shown = []
    for command in (("patient", "show", "T-9"), ("lesion", "show", str(lid))):
        code, out, err = run(capsys, "--data-dir", str(clinic), *command)
        assert code == 0 and err == ""
        shown.append(next(line for line in out.splitlines() if line.strip().startswith("⚠ CHANGED:")).strip())
    assert shown[0] == shown[1]
    assert shown[0].startswith(
        "⚠ CHANGED: significant change on 11 May 2026, not confirmed yet (estimated: area grew by "
    )
    assert (
        "since the reviewed capture of 16 Feb 2026); to confirm it, "
        "import field.ddtx again: it finishes comparing (nothing is imported twice); status still 'monitoring'"
    ) in shown[0]

    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    assert code == 0 and err == ""
    code, out, _ = run(capsys, "--data-dir", str(clinic), "patient", "show", "T-9")
    assert "not confirmed" not in out


def test_ctrl_c_between_comparisons_with_the_reviewed_capture_names_the_one_made(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C as the second later capture is to be compared with the reviewed capture: the first one's comparison,
    stored, is said (a line, and in the warning), not lost with the interrupt; what is left is named too."""
    clinic, package = decided_with_two_later(tmp_path)
    lid, here = ids_by_day(clinic)
    reviewed, later = here[DAYS[1]], here[DAYS[2]]
    real, seen = transfer.compare_since_import, []

    def interrupted(register: Any, actor: str, plan: Any, progress: Any, cancel: Any, *rest: Any) -> Any:
        def pressed(_: float, message: str) -> None:
            seen.append(message)
            if seen.count(REVIEWED) == 2:
                raise KeyboardInterrupt

        return real(register, actor, plan, pressed, cancel, *rest)

    monkeypatch.setattr(transfer, "compare_since_import", interrupted)
    code, out, err = run(capsys, "--data-dir", str(clinic), "transfer", "import", str(package), "--yes")
    with Register(clinic) as reg:
        [row] = [r for r in reg.comparisons.for_lesion(lid) if r.baseline_capture_id == reviewed]
    assert code == 130 and row.followup_capture_id == later
    assert (
        f"  capture {later} (30 Mar 2026) compared with the reviewed capture {reviewed} (16 Feb 2026): "
        f"{row.verdict.upper()} ({row.reasons[0]})"
    ) in out.splitlines()
    assert (
        f"until they are). Compared before the interrupt, and kept: Lesion 1 (id {lid}): capture {reviewed} "
        f"(16 Feb 2026) → capture {later} (30 Mar 2026). Still to compare: Lesion 1 (id {lid}); import the same "
        "package again"
    ) in err
