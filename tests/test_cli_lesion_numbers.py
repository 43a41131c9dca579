"""The command line keeps lesion ids (what its commands take) and shows the patient's lesion number beside them."""

from __future__ import annotations

import json

import pytest

from dermadesk.main import main


def test_lesion_add_and_patient_show_give_the_id_and_the_patients_lesion_number(
    capsys: pytest.CaptureFixture,
) -> None:
    for mrn in ("A-1", "B-1"):
        assert main(["patient", "add", "--mrn", mrn, "--name", f"Patient {mrn}"]) == 0
    for mrn in ("A-1", "B-1", "B-1"):
        assert main(["lesion", "add", "--patient", mrn, "--site", "head/neck"]) == 0
    out = capsys.readouterr().out
    assert "lesion id 3 added to patient B-1: Lesion 2 · head/neck" in out
    assert main(["patient", "show", "B-1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("  id 2: Lesion 1 · head/neck") and lines[2].startswith("  id 3: Lesion 2 · head/neck")
    assert main(["patient", "show", "B-1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(item["lesion"]["id"], item["lesion"]["number"]) for item in shown["lesions"]] == [(2, 1), (3, 2)]


def test_patient_show_leaves_out_what_is_empty(capsys: pytest.CaptureFixture) -> None:
    """A lesion without a label reads "anterior torso monitoring" (was "anterior torso '' monitoring"); a label given
    is quoted; a patient with no sex recorded has no double space."""
    assert main(["patient", "add", "--mrn", "E-1", "--name", "Empty Label", "--birth-date", "1961-03-12"]) == 0
    assert main(["lesion", "add", "--patient", "E-1", "--site", "anterior torso"]) == 0
    assert main(["lesion", "add", "--patient", "E-1", "--site", "posterior torso", "--label", "left shoulder"]) == 0
    capsys.readouterr()
    assert main(["patient", "show", "E-1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "E-1 Empty Label born 12 Mar 1961"
    assert lines[1] == "  id 1: Lesion 1 · anterior torso, monitoring, 0 captures"
    assert lines[2] == "  id 2: Lesion 2 · left shoulder · posterior torso, monitoring, 0 captures"
