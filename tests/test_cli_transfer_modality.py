"""``transfer import`` of a package whose capture was corrected to clinical on the other workstation (``capture edit
--modality``): the preview names the change, the import brings it and says it with the capture's assessment now (the
one made there for a clinical image: NOT ASSESSABLE) or, where none came with it, that its assessment is out of date
and how to assess it; ``lesion show``, ``patient show`` and ``assess`` here give no tier for it. Real registers, real
packages, the real commands, the tiny ONNX model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.inference.registry import install_model
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run
from tests.test_cli_lesion_show_recorded import NONE
from tests.test_cli_modality_correction import OUT_OF_DATE, capture_lines

MODEL = ("--model", "tiny-test", "--device", "cpu")
WILL_UPDATE = (
    "modality 'dermoscopic' → 'clinical' (changed in the package since the two registers last agreed, not here)"
)
BROUGHT = "  capture 2 (3 Mar 2026): modality dermoscopic → clinical, as corrected in the package; "
WITH_ITS_OWN = "; then its assessment is the one made in the package for a clinical image: NOT ASSESSABLE, no risk tier"
OUT_OF_DATE_AHEAD = (
    "; then its assessment (made for a dermoscopic image) is out of date: no risk tier shows until it is assessed "
    "again after the import"
)


@pytest.fixture
def sites(capsys, tmp_path: Path, tiny_model_dir: Path) -> tuple[str, str]:
    """Workstation A's patient M-1 with lesion 1: capture 1 (3 Feb 2026) and capture 2 (3 Mar 2026, grown), each
    assessed MONITOR, sent to workstation B (which has the model too). (A, B) data folders."""
    a, b = str(tmp_path / "A"), str(tmp_path / "B")
    for folder in (a, b):
        install_model(tiny_model_dir / "tiny-test.json", Path(folder))
    run(capsys, "--data-dir", a, "patient", "add", "--mrn", "M-1", "--name", "Mo Dality")
    run(capsys, "--data-dir", a, "lesion", "add", "--patient", "M-1", "--site", "upper extremity")
    for name, scale, day in (("a", 1.0, "2026-02-03"), ("b", 1.3, "2026-03-03")):
        image = tmp_path / f"{name}.jpg"
        image.write_bytes(lesion_jpeg(seed=0, scale=scale))
        code, out, err = run(capsys, "--data-dir", a, "capture", "add", "--lesion", "1", "--taken", day, *MODEL,
                             str(image))  # fmt: skip
        assert code == 0 and "MONITOR" in out, err
    code, _, err = export_import(capsys, tmp_path, a, b)
    assert code == 0, err
    return a, b


def export_import(capsys, tmp_path: Path, a: str, b: str, *more: str) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", b, *more, "transfer", "import", exported(capsys, tmp_path, a), "--yes")


def exported(capsys, tmp_path: Path, a: str) -> str:
    """A's patients in a package (not encrypted): its path."""
    package = str(tmp_path / "week.ddtx")
    code, _, err = run(capsys, "--data-dir", a, "transfer", "export", package, "--no-encrypt", "--overwrite")
    assert code == 0, err
    return package


def previewed(capsys, tmp_path: Path, a: str, b: str) -> str:
    """``transfer import --dry-run`` into B of A's package: its line on capture 2's update."""
    code, out, err = run(capsys, "--data-dir", b, "transfer", "import", exported(capsys, tmp_path, a), "--dry-run")
    [line] = [line for line in out.splitlines() if line.startswith("will update: capture of 3 Mar 2026")]
    assert code == 0 and "dry run: nothing was written" in out, err
    return line


def test_a_capture_corrected_to_clinical_and_assessed_there_gives_no_tier_here(
    capsys, tmp_path: Path, sites: tuple[str, str]
) -> None:
    a, b = sites
    code, out, err = run(capsys, "--data-dir", a, "capture", "edit", "2", "--modality", "clinical", *MODEL)
    assert code == 0 and "NOT ASSESSABLE" in out, err
    ahead = previewed(capsys, tmp_path, a, b)
    assert ahead.endswith(WILL_UPDATE + WITH_ITS_OWN)  # said before importing
    with Register(Path(b)) as reg:
        assert reg.captures.get(2).modality == "dermoscopic"  # a dry run: nothing written
    code, out, err = export_import(capsys, tmp_path, a, b)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert "  to update:       1 capture" in lines
    assert ahead in lines
    assert BROUGHT + "its assessment for a clinical image: NOT ASSESSABLE, no risk tier" in lines
    with Register(Path(b)) as reg:
        assert reg.captures.get(2).modality == "clinical"
    _, shown, _ = run(capsys, "--data-dir", b, "lesion", "show", "1")
    said = capture_lines(shown, "capture 2 (3 Mar 2026)")
    assert said[0] == "    modality clinical" + NONE  # as corrected in the package
    assert said[1].strip().startswith("NOT ASSESSABLE, no risk tier") and "MONITOR" not in "\n".join(said)
    _, patient, _ = run(capsys, "--data-dir", b, "patient", "show", "M-1")
    assert "MONITOR" not in patient and "⚠ CHANGED" in patient  # the change flag, no tier
    code, out, _ = run(capsys, "--data-dir", b, "assess", "--capture", "2", *MODEL)  # for a clinical image here too
    assert code == 0 and "capture 2 (3 Mar 2026): NOT ASSESSABLE, no risk tier" in out and "MONITOR" not in out


def test_brought_without_an_assessment_it_says_it_is_out_of_date_and_back_the_tier_returns(
    capsys, tmp_path: Path, sites: tuple[str, str]
) -> None:
    a, b = sites
    code, _, err = run(capsys, "--data-dir", a, "capture", "edit", "2", "--modality", "clinical", "--model", "none")
    assert code == 0 and "not assessed again" in err
    code, out, err = export_import(capsys, tmp_path, a, b)
    assert code == 0 and err == "" and BROUGHT + OUT_OF_DATE in out.splitlines()
    assert any(line.endswith(WILL_UPDATE + OUT_OF_DATE_AHEAD) for line in out.splitlines())  # the preview said it
    _, shown, _ = run(capsys, "--data-dir", b, "lesion", "show", "1")
    lines = capture_lines(shown, "capture 2 (3 Mar 2026)")
    assert (
        lines[0] == "    modality clinical" + NONE
        and lines[1].strip() == OUT_OF_DATE
        and "MONITOR" not in "\n".join(lines)
    )
    code, out, _ = export_import(capsys, tmp_path, a, b)
    assert code == 0 and "nothing new to import" in out and BROUGHT not in out  # said once, when brought

    run(capsys, "--data-dir", a, "capture", "edit", "2", "--modality", "dermoscopic", "--model", "none")
    back = previewed(capsys, tmp_path, a, b)
    assert "modality 'clinical' → 'dermoscopic'" in back  # its tier made here before stands again
    assert back.endswith("; then its assessment is the one made here before for a dermoscopic image: tier MONITOR")
    code, out, err = export_import(capsys, tmp_path, a, b, "--json")
    assert code == 0 and err == ""  # corrected back: its assessment made for a dermoscopic image is current again
    assert json.loads(out)["modality_corrected"] == [
        {"capture_id": 2, "before": "clinical", "after": "dermoscopic", "out_of_date": False}
    ]
    _, shown, _ = run(capsys, "--data-dir", b, "lesion", "show", "1")
    said = capture_lines(shown, "capture 2 (3 Mar 2026)")
    assert said[0] == "    modality dermoscopic" + NONE and said[1].strip().startswith("tier MONITOR")
