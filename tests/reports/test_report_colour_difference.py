"""The lesion report writes a comparison's colour difference to one decimal, as the command line does: the report
printed "colour ΔE 1" (the whole percent of the area and diameter beside it) where ``lesion show`` printed "ΔE 1.2"
for the same comparison, and a GP reading both took them for two measurements. One formatter writes it
(``domain.text.colour_difference``). Real data folder driven through the command line, real PDF read back with
pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.domain.text import change_figures, colour_difference
from dermadesk.main import main
from tests.conftest import lesion_jpeg


def run(capsys: pytest.CaptureFixture, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_report_and_lesion_show_write_the_same_colour_difference(
    capsys: pytest.CaptureFixture, data_dir: Path, tmp_path: Path
) -> None:
    run(capsys, "patient", "add", "--mrn", "C-1", "--name", "Colour Check")
    run(capsys, "lesion", "add", "--patient", "C-1", "--site", "anterior torso")
    for day, spec in (("2026-01-10", {}), ("2026-03-10", {"scale": 1.15, "core": (70, 40, 30)})):  # grown, darker
        path = tmp_path / f"{day}.jpg"
        path.write_bytes(lesion_jpeg(seed=40, **spec))
        run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(path))
    shown = re.search(r"ΔE (\d+\.\d)\b", run(capsys, "lesion", "show", "1"))
    assert shown, "lesion show gives the colour difference"
    pdf = tmp_path / "report.pdf"
    run(capsys, "report", "--lesion", "1", "--out", str(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages)
    assert re.search(rf"diameter [-+][\d.]+%, colour ΔE {re.escape(shown[1])}(?![\d.])", text), text
    assert not re.search(r"ΔE \d+(?![\d.])", text)  # never a whole number


@pytest.mark.parametrize("delta_e, written", [(0.6, "0.6"), (1.24, "1.2"), (1.4, "1.4"), (12.0, "12.0")])
def test_a_colour_difference_has_one_decimal_beside_whole_percent(delta_e: float, written: str) -> None:
    """0.6 and 1.4 were both "ΔE 1" beside whole percent; now as the command line writes them."""
    assert colour_difference(delta_e) == written
    assert change_figures(12.3, 4.4, delta_e, colour="colour ΔE") == f"area +12%, diameter +4%, colour ΔE {written}"
    assert change_figures(12.3, 4.4, delta_e, places=1) == f"area +12.3%, diameter +4.4%, ΔE {written}"
