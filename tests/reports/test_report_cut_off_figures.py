"""The lesion report's change figures for a lesion cut off by the frame with less of it in view say where the area
was measured and that its diameter is not known ("13% less area where both images show the lesion, diameter not known
(it reaches the edge of an image)"), as its reasons do, never "area -13%" nor the diameter of the part in view; a
lesion not cut off keeps "area -36%" under "area shrank by 36%". Its trend chart draws such values hollow and says
why under the chart, as the app's chart does (tests/ui/test_trend_partial_points.py). Real SQLite register,
synthetic images compared on import, the real PDF read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.reports.test_report_change_figures import report_text
from tests.services.test_cut_off_since_review import add_cut_off

DAYS = ("2026-01-05", "2026-04-05")  # 90 days apart: short-term rules


def new_lesion(register: Register) -> int:
    return register.lesions.add("t", register.patients.add("t", "E-1", "Edge Case").id, "anterior torso").id


def test_the_change_figures_of_a_lesion_cut_off_by_the_frame(register: Register, tmp_path: Path) -> None:
    lid = new_lesion(register)
    for growth, day in zip((0.0, 0.2), DAYS):  # grown 20 % beyond the frame: 13 % less of it in view
        add_cut_off(register, lid, tmp_path, growth, day)
    text = report_text(register, lid, tmp_path / "cut-off.pdf")
    assert "Change since 5 Jan 2026 (90 days): SIGNIFICANT" in text
    assert "• 13% less area where both images show the lesion •" in text
    assert re.search(
        r"13% less area where both images show the lesion, diameter not known \(it reaches the edge of an image\), "
        r"colour ΔE \d",
        text,
    ), text
    assert "13% less area where both images show the lesion; it reaches the edge of an image)." in text  # area line
    assert "shrank" not in text and "area -" not in text and "(-1" not in text and "diameter -" not in text
    # both areas in mm² measured where both images show the lesion (the baseline's too): hollow, and said why
    assert re.search(
        r"Hollow points \(5 Jan 2026 and 5 Apr 2026\): the lesion reaches the edge of an image, so the area there is "
        r"only where both images show the lesion\.",
        text,
    ), text


def test_the_change_figures_of_a_lesion_not_cut_off_keep_their_sign(register: Register, tmp_path: Path) -> None:
    lid = new_lesion(register)
    for scale, day in zip((1.0, 0.8), DAYS):
        path = tmp_path / f"{day}.jpg"
        path.write_bytes(lesion_jpeg(seed=40, scale=scale))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day))
    text = report_text(register, lid, tmp_path / "smaller.pdf")
    assert "• area shrank by " in text and re.search(r"area -\d+%, diameter -\d+%, colour ΔE \d", text), text
    assert "where both images show the lesion" not in text and "Hollow point" not in text
