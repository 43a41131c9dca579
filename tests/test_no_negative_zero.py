"""A change that rounds to zero is written "+0", never "-0": "area -0.0%" in ``compare`` and "area -0%, diameter
-0%" in the printed report read as a lesion that shrank. One helper (``dermadesk.domain.text.signed``) writes every
signed change; checked here on the command line and in a real PDF read back with pypdf."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.domain.text import signed
from dermadesk.main import main
from tests.conftest import lesion_jpeg


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "value, places, written",
    [
        (-0.04, 1, "+0.0"),
        (-0.04, 0, "+0"),
        (-0.4, 0, "-0.4"),  # under 1 %: to one decimal
        (-0.0, 0, "+0"),
        (0.0, 1, "+0.0"),
        (-0.6, 0, "-0.6"),
        (-1.4, 0, "-1"),
        (-0.06, 1, "-0.1"),
        (44.2, 0, "+44"),
        (-3.46, 1, "-3.5"),
    ],
)
def test_a_change_is_rounded_before_its_sign_is_written(value: float, places: int, written: str) -> None:
    assert signed(value, places) == written


def test_compare_of_two_files_writes_no_negative_zero(capsys, tmp_path: Path) -> None:
    """The same lesion, the follow-up turned a fraction of a degree: the area changed by -0.04 %."""
    baseline, follow_up = tmp_path / "baseline.jpg", tmp_path / "follow-up.jpg"
    baseline.write_bytes(lesion_jpeg(seed=2))
    follow_up.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=2), 320, 240, angle=0.004)))
    code, out, _ = run(capsys, "compare", str(baseline), str(follow_up), "--no-assess", "--json")
    assert code == 0 and -0.05 < json.loads(out)["area_change_percent"] < 0  # rounds to 0.0 from below
    code, out, _ = run(capsys, "compare", str(baseline), str(follow_up), "--no-assess")
    # said once, in the reason (the figures line under it gives the colour difference only)
    assert code == 0 and "(interval unknown): area +0%, diameter +0%\nΔE " in out, out
    assert out.count("area ") == 1 and "-0%" not in out and "-0.0" not in out


def test_lesion_report_writes_no_negative_zero(capsys, data_dir: Path, tmp_path: Path) -> None:
    """A follow-up a fifth of a percent smaller: the report's change figures and its outlined-area line."""
    files = []
    for name, scale in (("base", 1.0), ("follow", 0.998)):
        files.append(tmp_path / f"{name}.jpg")
        files[-1].write_bytes(lesion_jpeg(seed=2, scale=scale))
    run(capsys, "patient", "add", "--mrn", "Z-1", "--name", "Zero Change")
    run(capsys, "lesion", "add", "--patient", "Z-1", "--site", "anterior torso")
    for path, day in zip(files, ("2026-01-10", "2026-04-10")):
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(path))[0] == 0
    code, out, _ = run(capsys, "compare", "1", "2", "--json")
    figures = json.loads(out)
    assert -0.5 < figures["area_change_percent"] < 0 and -0.5 < figures["diameter_change_percent"] < 0
    pdf = tmp_path / "report.pdf"
    assert run(capsys, "report", "--lesion", "1", "--out", str(pdf))[0] == 0
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages)
    area, diameter = (signed(figures[f"{what}_change_percent"]) for what in ("area", "diameter"))
    # under 1 %: to one decimal ("area -0.4%, diameter -0.3%"), never "-0%" nor "+0%" for a change measured
    # said once, in the reason (the figures line under it gives the colour difference only)
    assert "NOT SIGNIFICANT" in text and text.count(f"area {area}%, diameter {diameter}%") == 1 and "colour ΔE" in text
    outlined = re.search(r"(?:frame|px) \(([-+][\d.]+)%\)", text)  # the outlined-area line too
    assert outlined and float(outlined[1]) != 0 and "-0%" not in text and "-0.0%" not in text


def test_change_figures_leave_out_what_was_not_measured() -> None:
    """``compare``/``capture add`` write a missing colour difference as nothing, never "ΔE 0.0" (no colour change)."""
    from dermadesk.cli.output import change_figures

    assert change_figures({"area_change_percent": -0.04, "diameter_change_percent": 2.0, "delta_e": 1.24}) == (
        "area +0.0%, diameter +2.0%, ΔE 1.2"
    )
    assert change_figures({"area_change_percent": 12.5, "diameter_change_percent": None, "delta_e": None}) == (
        "area +12.5%"
    )
    assert change_figures({"area_change_percent": None, "delta_e": 3.0}) == ""
