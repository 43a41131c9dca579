"""``dermadesk transfer export`` says what the package holds with the captures' images and the assessments' heat
maps counted apart: "3 captures, 2 assessments, 1 comparison, with 3 images and 2 heat maps" (it said "and 5
images"), and --json gives both counts. A real register, a real package, the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
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


def test_a_not_assessable_results_heat_map_is_packed_not_counted_and_imported_as_it_was(
    capsys, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    """The engine stores a heat map with a NOT ASSESSABLE result (here: a clinical image, the model validated on
    dermoscopic ones) that the app never shows ("No heat map"): the export counts 1 heat map for 2 assessments (it said
    "2 heat maps"), yet packs it, so that the receiving register holds the same records and files and shows the same."""
    field, package = tmp_path / "field", tmp_path / "p.ddtx"
    run(capsys, "patient", "add", "--mrn", "H-1", "--name", "Heat Map")
    run(capsys, "lesion", "add", "--patient", "H-1", "--site", "head/neck")
    for seed, modality in ((1, "dermoscopic"), (2, "clinical")):
        image = tmp_path / f"{modality}.jpg"
        image.write_bytes(lesion_jpeg(seed=seed))
        assert (
            run(capsys, "capture", "add", "--lesion", "1", "--device", "cpu", "--modality", modality, str(image))[0]
            == 0
        )
    with Register(data_dir) as reg:
        sent = {c: reg.assessments.latest(c) for c in (1, 2)}
    assert sent[1].status == "assessed" and sent[2].status == "not assessable"
    assert sent[1].cam_sha256 and sent[2].cam_sha256  # both stored; the second never shown
    code, out, _ = run(capsys, "transfer", "export", str(package), "--no-encrypt")
    assert code == 0 and ", 2 captures, 2 assessments, 1 comparison, with 2 images and 1 heat map, to " in out

    assert run(capsys, "--data-dir", str(field), "transfer", "import", str(package), "--yes")[0] == 0
    with Register(field) as reg:
        got = {c: reg.assessments.latest(c) for c in (1, 2)}
        assert all(reg.images.exists(a.cam_sha256 or "") for a in got.values())
    assert {c: (a.status, a.cam_sha256) for c, a in got.items()} == {
        c: (a.status, a.cam_sha256) for c, a in sent.items()
    }
    assert run(capsys, "--data-dir", str(field), "db", "check")[0] == 0  # no heat map file missing
    here, there = run(capsys, "lesion", "show", "1")[1], run(capsys, "--data-dir", str(field), "lesion", "show", "1")[1]
    assert "NOT ASSESSABLE, no risk tier" in there and there.splitlines()[2:] == here.splitlines()[2:]


def test_a_heat_map_made_before_a_modality_correction_is_packed_not_counted_and_imported_as_it_was(
    capsys, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    """A capture assessed, then corrected to clinical and assessed again (NOT ASSESSABLE), shows no heat map: the one
    made for a dermoscopic image before is superseded. The export counts 1 heat map for the 2 captures (it said "2
    heat maps"), yet packs both files: the receiving register's db check finds none missing, it shows the same, and
    sent on again it counts the same."""
    field, package = tmp_path / "field", tmp_path / "p.ddtx"
    run(capsys, "patient", "add", "--mrn", "H-2", "--name", "Heat Map")
    run(capsys, "lesion", "add", "--patient", "H-2", "--site", "head/neck")
    for seed in (1, 2):
        image = tmp_path / f"{seed}.jpg"
        image.write_bytes(lesion_jpeg(seed=seed))
        assert run(capsys, "capture", "add", "--lesion", "1", "--device", "cpu", str(image))[0] == 0
    code, _, err = run(capsys, "capture", "edit", "2", "--modality", "clinical", "--device", "cpu")
    assert code == 0 and err == ""
    with Register(data_dir) as reg:
        made = reg.assessments.for_capture(2)
        assert [(a.modality, a.status) for a in made] == [("dermoscopic", "assessed"), ("clinical", "not assessable")]
        assert all(a.cam_sha256 for a in made) and reg.assessments.latest(2) == made[-1]  # neither shown now
    code, out, _ = run(capsys, "transfer", "export", str(package), "--no-encrypt")
    assert code == 0 and ", 2 captures, 3 assessments, 2 comparisons, with 2 images and 1 heat map, to " in out

    assert run(capsys, "--data-dir", str(field), "transfer", "import", str(package), "--yes")[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(field), "db", "check")
    assert code == 0 and "missing 0" in out  # every heat map file the rows name is there
    with Register(field) as reg:
        assert [a.cam_sha256 for a in reg.assessments.for_capture(2)] == [a.cam_sha256 for a in made]
    here, there = run(capsys, "lesion", "show", "1")[1], run(capsys, "--data-dir", str(field), "lesion", "show", "1")[1]
    assert "    modality clinical" in there and there.splitlines()[2:] == here.splitlines()[2:]
    code, out, _ = run(capsys, "--data-dir", str(field), "transfer", "export", str(tmp_path / "on"), "--no-encrypt")
    assert code == 0 and ", with 2 images and 1 heat map, to " in out
