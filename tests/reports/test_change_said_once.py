"""A follow-up grown a little, 190 days after its baseline (a new user's report): the change since the baseline said
"area +2%, diameter +0.8%" in its reason, then again in the figures line under it, then "The verdict's area change:
+2%" beside the outlined pixels' "(+1%)", and the reader could not tell whether the lesion grew by 1 % or 2 %. Now
each figure is said once (the figures line gives what the reason does not: the colour difference) and the outlined
areas' change is named another measure, to one decimal. Real register and comparison of synthetic images, the PDF
read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dermadesk.config import Settings
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.explain import area_line
from dermadesk.services.reports import write_lesion_report
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg

REASON = "no significant change under long-term rules (the visits are 190 days apart): area +3%, diameter +2%"


def grown_a_little(register: Register, tmp_path: Path) -> int:
    """A lesion whose follow-up (18 Nov 2026) is 1.2 % wider than its baseline (12 May 2026), neither with a scale:
    the verdict's area change +2.54 % ("+3%"), the drawn outlines' +2.41 % ("+2%" when rounded alike). Its id."""
    patient = register.patients.add("t", "S-1", "Said Once")
    lesion = register.lesions.add("t", patient.id, "anterior torso")
    for name, scale, day in (("base", 1.0, "2026-05-12"), ("grown", 1.012, "2026-11-18")):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(lesion_jpeg(seed=40, scale=scale))
        import_files(register, "t", lesion.id, [path], CaptureMeta(taken_at=day))
    return lesion.id


AREA_LINE = re.compile(
    r"The verdict's area change: \+3% \(measured on the two images aligned\)\. Outlined area in pixels, another "
    r"measure \(the drawn outlines, in the baseline's frame\): baseline \d+ px → follow-up \d+ px \(\+2\.4%\)\. No "
    r"mm²: neither capture has a scale \(mm per pixel\); set it in Edit capture\."
)


def pdftotext(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed; .ci/run installs it")
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_the_report_says_each_change_figure_once_and_the_two_areas_apart(register: Register, tmp_path: Path) -> None:
    lesion_id = grown_a_little(register, tmp_path)
    pdf = tmp_path / "report.pdf"
    write_lesion_report(register, Settings(clinic_name="Said once clinic"), lesion_id, pdf)
    text = pdftotext(pdf)
    change = text.split("Change since 12 May 2026 (190 days): NOT SIGNIFICANT", 1)[1].split("Trend over visits")[0]
    assert change.startswith(f" • {REASON} colour ΔE 0.0 The verdict's area change")  # the figures once, ΔE after
    assert text.count("area +3%, diameter +2%") == 1 and "(+2%)" not in text  # never "+3%" then "(+2%)"
    assert AREA_LINE.search(change), change


def test_a_figures_line_the_reason_does_not_repeat_still_prints_whole(register: Register, tmp_path: Path) -> None:
    """A SIGNIFICANT change's reasons name the rule ("area grew by 30%"), not the figures line's words: the line
    stays whole under them (area, diameter and colour)."""
    patient = register.patients.add("t", "S-2", "Grown Lots")
    lesion = register.lesions.add("t", patient.id, "anterior torso")
    for name, scale, day in (("base", 1.0, "2026-01-10"), ("grown", 1.15, "2026-03-10")):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(lesion_jpeg(seed=40, scale=scale))
        import_files(register, "t", lesion.id, [path], CaptureMeta(taken_at=day))
    pdf = tmp_path / "grown.pdf"
    write_lesion_report(register, Settings(), lesion.id, pdf)
    text = pdftotext(pdf)
    assert "SIGNIFICANT" in text and re.search(r"area \+\d+%, diameter \+\d+%, colour ΔE \d+\.\d", text), text


def test_the_area_line_gives_the_outlined_change_to_one_decimal_only_beside_another_verdict_figure() -> None:
    """Built once (``explain.area_line``) for the Change tab and the report."""
    metrics = {"baseline": {"area_px": 8572, "area_mm2": None}, "followup": {"area_px": 8685, "area_mm2": None}}
    differs = area_line({**metrics, "area_change_percent": 2.0})  # the new user's "+2%" and "(+1%)"
    assert differs == (
        "The verdict's area change: +2% (measured on the two images aligned). Outlined area in pixels, another "
        "measure (the drawn outlines, in the baseline's frame): baseline 8572 px → follow-up 8685 px (+1.3%). No mm²: "
        "neither capture has a scale (mm per pixel); set it in Edit capture."
    )
    same = area_line({**metrics, "area_change_percent": 1.2})  # "+1%" both: one figure, whole percent
    assert same.startswith("Outlined area in pixels: baseline 8572 px → follow-up 8685 px, counted in the baseline's")
    assert "(+1%)" in same and "verdict's" not in same
