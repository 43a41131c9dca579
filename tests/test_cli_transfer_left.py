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
from tests.services.test_transfer_left import corrected_assessed_and_decided, corrected_back_on_the_laptop
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
    start = lines.index(
        "  the package corrected the date or scale of captures of Lesion 1 (id 1): nothing to compare again"
    )
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
