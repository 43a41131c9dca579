"""``lesion show ID`` and ``capture list --lesion ID`` say what was recorded with each capture (its modality, which
decides whether the model assesses it at all; its polarisation, magnification and scale, as ``capture add`` and
``capture edit`` set them), worded as ``capture edit`` says a correction of them, on a line under the capture's; a
field nobody entered is "not recorded", as the lesion report and the app say it (it was left out: "modality clinical"
alone could not be told from a line cut short). --json holds them as stored. A real register, images not assessed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import lesion_jpeg
from tests.test_cli import run

NONE = ", polarisation not recorded, magnification not recorded, scale not recorded"  # after "modality ..."


def _capture(capsys, tmp_path: Path, name: str, day: str, *recorded: str) -> None:
    image = tmp_path / f"{name}.jpg"
    image.write_bytes(lesion_jpeg(seed=11 + len(list(tmp_path.iterdir())), scale=1.0))
    code, _, err = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, *recorded, str(image))
    assert code == 0, err


def test_each_capture_says_its_modality_polarisation_magnification_and_scale_or_that_none_was_recorded(
    capsys, data_dir: Path, tmp_path: Path
) -> None:
    run(capsys, "patient", "add", "--mrn", "R-1", "--name", "Rec Orded")
    run(capsys, "lesion", "add", "--patient", "R-1", "--site", "head/neck")
    _capture(capsys, tmp_path, "full", "2026-01-05", "--polarisation", "polarised", "--magnification", "10",
             "--mm-per-px", "0.021")  # fmt: skip
    _capture(capsys, tmp_path, "bare", "2026-02-05")
    _capture(capsys, tmp_path, "part", "2026-03-05", "--modality", "clinical", "--polarisation", "unknown", "--notes",
             "left arm")  # fmt: skip
    code, out, err = run(capsys, "lesion", "show", "1")
    lines = out.splitlines()
    assert (code, err) == (0, "")
    full, bare, part = (lines.index(f"  capture {i} ({d}) {n}.jpg") for i, d, n in
                        ((1, "5 Jan 2026", "full"), (2, "5 Feb 2026", "bare"), (3, "5 Mar 2026", "part")))  # fmt: skip
    assert (
        lines[full + 1]
        == "    modality dermoscopic, polarisation polarised, magnification ×10, scale 0.021 mm per pixel"
    )
    assert lines[bare + 1 : bare + 3] == [
        "    modality dermoscopic" + NONE,
        "    not assessed (dermadesk assess --capture 2)",
    ]
    assert lines[part + 1 : part + 3] == [
        "    modality clinical, polarisation unknown, magnification not recorded, scale not recorded",
        "    capture notes: left arm",
    ]
    assert run(capsys, "capture", "list", "--lesion", "1")[1] == out

    # corrected with capture edit: the list says it as it is now
    assert run(capsys, "capture", "edit", "1", "--polarisation", "none", "--magnification", "none")[0] == 0
    assert run(capsys, "capture", "edit", "2", "--mm-per-px", "0.05", "--modality", "clinical")[0] == 0
    assert run(capsys, "capture", "edit", "3", "--modality", "dermoscopic")[0] == 0
    lines = run(capsys, "capture", "list", "--lesion", "1")[1].splitlines()
    assert lines[full + 1] == (
        "    modality dermoscopic, polarisation not recorded, magnification not recorded, scale 0.021 mm per pixel"
    )
    assert lines[bare + 1] == (
        "    modality clinical, polarisation not recorded, magnification not recorded, scale 0.05 mm per pixel"
    )
    assert (
        lines[part + 1]
        == "    modality dermoscopic, polarisation unknown, magnification not recorded, scale not recorded"
    )

    shown = json.loads(run(capsys, "capture", "list", "--lesion", "1", "--json")[1])
    assert [
        {k: c["capture"][k] for k in ("id", "modality", "polarisation", "magnification", "mm_per_px")}
        for c in shown["captures"]
    ] == [
        {"id": 1, "modality": "dermoscopic", "polarisation": None, "magnification": None, "mm_per_px": 0.021},
        {"id": 2, "modality": "clinical", "polarisation": None, "magnification": None, "mm_per_px": 0.05},
        {"id": 3, "modality": "dermoscopic", "polarisation": "unknown", "magnification": None, "mm_per_px": None},
    ]
