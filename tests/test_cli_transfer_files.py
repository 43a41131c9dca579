"""``dermadesk transfer export`` says what the package holds with the captures' images and the assessments' heat
maps counted apart: "3 captures, 2 assessments, 1 comparison, with 3 images and 2 heat maps" (it said "and 5
images"), and --json gives both counts. A real register, a real package, the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.storage.register import Register
from tests.services.test_transfer_files import three_captures_two_assessed
from tests.test_cli_transfer import run


def test_export_counts_images_and_heat_maps_apart(capsys, tmp_path: Path) -> None:
    clinic, package = tmp_path / "clinic", tmp_path / "p.ddtx"
    with Register(clinic) as reg:
        three_captures_two_assessed(reg)
    code, out, _ = run(capsys, "--data-dir", str(clinic), "transfer", "export", str(package), "--no-encrypt")
    assert code == 0 and out.startswith(
        "exported 1 patient, 1 lesion, 3 captures, 2 assessments, 1 comparison, with 3 images and 2 heat maps, to "
        f"{package} ("
    )
    code, out, _ = run(
        capsys, "--data-dir", str(clinic), "--json", "transfer", "export", str(package), "--no-encrypt", "--overwrite"
    )
    result = json.loads(out)
    assert code == 0 and (result["images"], result["heat_maps"]) == (3, 2)


def test_a_patient_with_no_captures_is_exported_without_a_file_count(capsys, tmp_path: Path) -> None:
    clinic, package = str(tmp_path / "clinic"), tmp_path / "p.ddtx"
    run(capsys, "--data-dir", clinic, "patient", "add", "--mrn", "N-1", "--name", "No Captures")
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "export", str(package), "--no-encrypt")
    assert code == 0 and out.startswith(
        f"exported 1 patient, 0 lesions, 0 captures, 0 assessments, 0 comparisons to {package} ("
    )
