"""The lesion report's change figures ("area +36%, diameter +17%, colour ΔE 3.2") leave out a figure the stored
comparison has not (None): a row with an area change but no colour difference (as a row stored by another version
or brought in by a transfer can be) printed a report before, now it prints the line without it. Real SQLite
register, real PDF read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import write_lesion_report
from dermadesk.services.tracking import compare_captures
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def report_text(register: Register, lesion_id: int, out: Path) -> str:
    write_lesion_report(register, Settings(clinic_name="Figures clinic"), lesion_id, out)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages)


@pytest.fixture
def compared(register: Register, tmp_path: Path) -> tuple[int, dict]:
    """A lesion with a baseline and a follow-up grown by about a third, compared (stored); its lesion id and the
    stored row's metrics."""
    patient = register.patients.add("t", "F-1", "Fig Ures")
    lesion = register.lesions.add("t", patient.id, "anterior torso")
    for name, scale, day in (("base", 1.0, "2026-01-10"), ("grown", 1.15, "2026-03-10")):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(lesion_jpeg(seed=40, scale=scale))
        import_files(register, "t", lesion.id, [path], CaptureMeta(taken_at=day))
    a, b = (c.id for c in register.captures.for_lesion(lesion.id))
    row, _ = compare_captures(register, "t", a, b)
    assert row.metrics["area_change_percent"] > 10 and row.metrics["delta_e"] is not None
    return lesion.id, row.metrics


def store_with(register: Register, lesion_id: int, metrics: dict) -> None:
    """The pair's stored comparison again, with ``metrics``: the pair's comparison of record from now on."""
    last = register.comparisons.for_lesion(lesion_id)[-1]
    register.comparisons.add("t", lesion_id, last.baseline_capture_id, last.followup_capture_id, last.interval_days,
                             last.verdict, last.reasons, metrics, last.transform)  # fmt: skip


def test_a_comparison_without_a_colour_difference_prints_its_other_figures(
    register: Register, compared: tuple[int, dict], tmp_path: Path
) -> None:
    lesion_id, metrics = compared
    area, diameter = metrics["area_change_percent"], metrics["diameter_change_percent"]
    with_colour = report_text(register, lesion_id, tmp_path / "with-colour.pdf")
    assert f"area +{area:.0f}%, diameter +{diameter:.0f}%, colour ΔE {metrics['delta_e']:.1f}" in with_colour
    store_with(register, lesion_id, {**metrics, "delta_e": None})
    text = report_text(register, lesion_id, tmp_path / "no-colour.pdf")
    assert "Change since 10 Jan 2026 (59 days): SIGNIFICANT" in text
    assert f"area +{area:.0f}%, diameter +{diameter:.0f}%" in text and "ΔE" not in text


def test_a_comparison_with_only_an_area_figure_prints_the_area_alone(
    register: Register, compared: tuple[int, dict], tmp_path: Path
) -> None:
    lesion_id, metrics = compared
    store_with(register, lesion_id, {**metrics, "delta_e": None, "diameter_change_percent": None})
    text = report_text(register, lesion_id, tmp_path / "area-only.pdf")
    area = metrics["area_change_percent"]
    assert f"area +{area:.0f}%" in text and "ΔE" not in text and "diameter +" not in text


def test_a_change_under_1_percent_is_printed_to_one_decimal(
    register: Register, compared: tuple[int, dict], tmp_path: Path
) -> None:
    """An area change of -0.49 % printed "area -1%": now "-0.5%", as measured; a larger one in whole percent."""
    lesion_id, metrics = compared
    store_with(register, lesion_id, {**metrics, "area_change_percent": -0.49, "diameter_change_percent": 0.5})
    text = report_text(register, lesion_id, tmp_path / "small.pdf")
    assert f"area -0.5%, diameter +0.5%, colour ΔE {metrics['delta_e']:.1f}" in text and "-1%" not in text
    store_with(register, lesion_id, {**metrics, "area_change_percent": -12.3, "diameter_change_percent": 0.0})
    text = report_text(register, lesion_id, tmp_path / "whole.pdf")
    assert "area -12%, diameter +0%, colour ΔE" in text
