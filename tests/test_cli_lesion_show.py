"""``lesion show ID`` (and ``capture list --lesion ID``): a lesion's captures in date order with the ids the other
commands take, each capture's stored result, its change since the baseline and its decision with who saved it; read
from the register only (no model run). ``patient show`` points to it. The tiny ONNX model, a real register."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run
from tests.test_cli_lesion_show_recorded import NONE


def _image(tmp_path: Path, name: str, scale: float) -> str:
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(lesion_jpeg(seed=40, scale=scale))
    return str(path)


@pytest.fixture
def lesion_of_three(capsys, installed_model: Path, data_dir: Path, tmp_path: Path) -> None:
    """Lesion 1 of C-1001: captures taken 5 Jan (assessed), 3 Mar (grown, assessed, decision monitor by Dr Ames)
    and 1 Jun (not assessed), imported out of date order (the June one first)."""
    run(capsys, "patient", "add", "--mrn", "C-1001", "--name", "Cara Lane")
    run(capsys, "lesion", "add", "--patient", "C-1001", "--site", "upper extremity", "--label", "arm")
    for day, name, scale, assess in (
        ("2026-06-01", "june", 1.3, False),
        ("2026-01-05", "base", 1.0, True),
        ("2026-03-03", "grown", 1.4, True),
    ):
        flags = ["--device", "cpu"] if assess else ["--no-assess"]
        code, _, _ = run(
            capsys, "capture", "add", "--lesion", "1", *flags, "--taken", day, _image(tmp_path, name, scale)
        )
        assert code == 0
    code, _, _ = run(capsys, "--operator", "Dr Ames", "capture", "review", "--capture", "3", "--decision", "monitor")
    assert code == 0


def test_lesion_show_lists_the_captures_in_date_order_with_ids_results_change_and_decision(
    capsys, lesion_of_three, data_dir: Path
) -> None:
    with Register(data_dir) as reg:
        stored = {c: reg.assessments.latest(c) for c in (1, 2, 3)}
        comparisons = len(reg.comparisons.for_lesion(1))
        audit = len(reg.audit.entries("capture", 3, limit=50))
    code, out, err = run(capsys, "lesion", "show", "1")
    lines = out.splitlines()
    assert code == 0 and err == ""
    flag = lines[1].split(":")[0].strip()  # "⚠ CHANGED" (the grown capture): it leads the name, as in the app's list
    assert flag.startswith("⚠ ")
    assert lines[0] == f"lesion id 1 of patient C-1001 Cara Lane: {flag} Lesion 1 · arm · upper extremity, monitoring"
    start = lines.index("3 captures, oldest first:")
    base, grown, june = lines[start + 1 : start + 6], lines[start + 6 : start + 11], lines[start + 11 : start + 16]
    a = stored[2]
    assert a is not None and a.risk_tier and stored[1] is None  # the June capture was never assessed
    # each with its modality under it (it decides whether the model assesses it), as capture edit says it
    assert [base.pop(1), grown.pop(1), june.pop(1)] == ["    modality dermoscopic" + NONE] * 3
    assert base[0] == "  capture 2 (5 Jan 2026) base.jpg"
    assert base[1] == (
        f"    tier {a.risk_tier.upper()}, malignant {a.malignant_probability:.0%} "
        f"(melanoma {a.melanoma_probability:.0%})"
    )
    assert base[2:] == ["    the baseline (the lesion's first capture)", "    no decision"]
    assert grown[0] == "  capture 3 (3 Mar 2026) grown.jpg" and grown[1].startswith("    tier ")
    assert grown[2].startswith("    change since the baseline, capture 2 (5 Jan 2026): SIGNIFICANT (")
    assert grown[3].startswith("    decision monitor, re-check as the tier suggests, by Dr Ames on ")
    assert june[:2] == ["  capture 1 (1 Jun 2026) june.jpg", "    not assessed (dermadesk assess --capture 1)"]
    assert (
        june[2].startswith("    change since the baseline, capture 2 (5 Jan 2026): ") and june[3] == "    no decision"
    )
    with Register(data_dir) as reg:  # read only: nothing assessed, compared or audited
        assert {c: reg.assessments.latest(c) for c in (1, 2, 3)} == stored
        assert len(reg.comparisons.for_lesion(1)) == comparisons
        assert len(reg.audit.entries("capture", 3, limit=50)) == audit
    assert run(capsys, "capture", "list", "--lesion", "1")[1] == out  # the same list from the capture group


def test_json_names_each_capture_with_its_stored_result_and_who_decided(capsys, lesion_of_three) -> None:
    code, out, _ = run(capsys, "lesion", "show", "1", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["lesion"]["id"] == 1 and shown["patient"]["mrn"] == "C-1001"
    assert shown["baseline_capture_id"] == 2
    assert [c["capture"]["id"] for c in shown["captures"]] == [2, 3, 1]
    assert [c["status"] for c in shown["captures"]] == ["assessed", "assessed", "not assessed"]
    assert [c["named"] for c in shown["captures"]] == [
        "capture 2 (5 Jan 2026)",
        "capture 3 (3 Mar 2026)",
        "capture 1 (1 Jun 2026)",
    ]
    base, grown, june = shown["captures"]
    assert base["change"] is None and grown["change"]["verdict"] == "significant" and june["assessment"] is None
    assert grown["decided_by"] == "Dr Ames" and grown["decided_at"] and base["decided_by"] is None
    assert json.loads(run(capsys, "capture", "list", "--lesion", "1", "--json")[1]) == shown


def test_not_assessable_and_not_compared_are_said_with_what_to_do(capsys, data_dir: Path, tmp_path: Path) -> None:
    from dermadesk.domain.records import Assessment

    run(capsys, "patient", "add", "--mrn", "N-1", "--name", "Not Yet")
    run(capsys, "lesion", "add", "--patient", "N-1", "--site", "head/neck")
    for day, name, scale in (("2026-01-05", "a", 1.0), ("2026-02-05", "b", 1.05)):
        code, _, _ = run(
            capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, _image(tmp_path, name, scale)
        )
        assert code == 0
    with Register(data_dir) as reg:
        with reg.database.transaction() as conn:  # none stored: as where comparing on import was not possible
            conn.execute("DELETE FROM comparisons")
        reg.assessments.store(
            "test",
            1,
            Assessment(
                model_name="tiny-test",
                model_version="0.0.1",
                provider="cpu",
                probabilities={},
                top_class="nv",
                malignant_probability=0.07,
                melanoma_probability=0.01,
                risk_tier=None,
                recommendation=None,
                status="not assessable",
                status_reasons=["image too blurred: retake it in focus"],
            ),
        )
    code, out, _ = run(capsys, "lesion", "show", "1")
    assert code == 0
    assert "    NOT ASSESSABLE, no risk tier: image too blurred: retake it in focus" in out.splitlines()
    assert "malignant 7%" not in out  # no chance shown for an image the model cannot back
    assert "    change since the baseline: not compared yet (dermadesk compare 1 2)" in out.splitlines()


def test_patient_show_points_to_it_and_an_empty_lesion_says_how_to_add(capsys, data_dir: Path, tmp_path: Path) -> None:
    run(capsys, "patient", "add", "--mrn", "P-1", "--name", "Point Er")
    run(capsys, "lesion", "add", "--patient", "P-1", "--site", "head/neck")
    run(capsys, "lesion", "add", "--patient", "P-1", "--site", "anterior torso")
    run(capsys, "capture", "add", "--lesion", "2", "--no-assess", _image(tmp_path, "x", 1.0))
    lines = run(capsys, "patient", "show", "P-1")[1].splitlines()
    assert lines[1] == "  id 1: Lesion 1 · head/neck, monitoring, 0 captures"
    assert lines[2] == "  id 2: Lesion 2 · anterior torso, monitoring, 1 capture (lesion show 2 for its captures)"
    code, out, _ = run(capsys, "lesion", "show", "1")
    assert code == 0 and out.splitlines()[1] == "no captures (add them with: dermadesk capture add --lesion 1 IMAGE...)"
    code, _, err = run(capsys, "lesion", "show", "9")
    assert code == 1 and "lesion 9 not found" in err
