"""The patient summary's body map, as a referrer reads it: every lesion of the patient on a front and a back figure,
numbered as in the table, the numbers of lesions close together apart on their leader lines, a lesion that asks for
action told apart without colour, and the lesions without a map position named under it (the map drawn all the same
where none has one). Real register, PDFs read back with pypdf and rendered with pdftoppm."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from reportlab.graphics.shapes import Rect, String
from reportlab.lib.units import mm

from dermadesk.config import Settings
from dermadesk.domain.leaders import spread
from dermadesk.reports import body_map, summary_map
from dermadesk.reports.common import register_fonts
from dermadesk.reports.data import LesionRow
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import patient_summary_data, write_patient_summary
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.reports.test_report_body_map import DPI, render, words_at
from tests.services.test_standing import assess, pdf_text

MRN = "MAP-1"
# (site, label, view, x, y, tier): three on the chest close together, one on the back, one placed nowhere
LESIONS = (
    ("anterior torso", "chest, Mrs Mapp's mole", "front", 0.44, 0.30, "urgent"),
    ("anterior torso", "chest 2", "front", 0.45, 0.31, "low"),
    ("anterior torso", "chest 3", "front", 0.43, 0.305, None),
    ("posterior torso", "back", "back", 0.56, 0.25, "low"),
    ("palms/soles", "somewhere on a foot", None, None, None, None),
)


def mapped_patient(register: Register, tmp_path: Path) -> None:
    """The patient above; lesion 1's URGENT result nobody acted on flags it."""
    pid = register.patients.add("t", MRN, "Mapp Ada", "1960-02-03", "female", "II").id
    for i, (site, label, view, x, y, tier) in enumerate(LESIONS):
        lid = register.lesions.add("t", pid, site, label, body_view=view, body_x=x, body_y=y).id
        if tier is not None:
            image = tmp_path / f"c{i}.jpg"
            image.write_bytes(lesion_jpeg(seed=i, width=96, height=72))
            capture = import_files(register, "t", lid, [image], CaptureMeta(taken_at="2026-03-10"), compare=False)
            assess(register, capture.captures[0].id, tier)


def test_the_summary_maps_every_lesion_by_its_number(register: Register, tmp_path: Path) -> None:
    mapped_patient(register, tmp_path)
    pdf = write_patient_summary(register, Settings(), MRN, tmp_path / "summary.pdf")
    text = pdf_text(pdf.read_bytes())
    assert "FRONT (patient facing you)" in text and "BACK" in text
    assert "Not on the map (no body-map position recorded): Lesion 5 (palms/soles)" in text
    assert "⚠ URGENT Lesion 1" in text and "Lesion 2 chest 2 anterior" in text  # the flag the map's legend names
    assert "asks for action: an URGENT or REFER result" in text and "the table below says which" in text
    words = words_at(pdf)
    (front,) = [w for w in words if w[0].startswith("FRONT")]
    (back,) = [w for w in words if w[0] == "BACK"]
    numbers = {
        w[0]: w for w in words if w[0] in {"1", "2", "3", "4"} and w[2] > front[2]
    }  # the map's numbers, over its captions
    assert set(numbers) == {"1", "2", "3", "4"}  # lesion 5 has no place on it
    assert all(numbers[n][1] < back[1] - 20 for n in "123") and numbers["4"][1] > back[1]  # front left, back right
    heights = sorted(numbers[n][2] for n in "123")  # the chest's three, all on the patient's right (your left)
    assert min(np.diff(heights)) >= 8  # apart: each number readable
    pixels = render(pdf)
    k = DPI / 72
    top, bottom = pixels.shape[0] - int((front[2] + 75 * mm) * k), pixels.shape[0] - int(front[2] * k)
    drawn = pixels[top:bottom, : int(back[1] * k)]
    assert (np.abs(drawn - (0xE9, 0xD3, 0xC3)).sum(-1) < 30).sum() > 10_000  # the figure's skin is drawn
    x, y = int(numbers["1"][1] * k), pixels.shape[0] - int(numbers["1"][2] * k)
    box = pixels[y - int(6 * k) : y + int(2 * k), x - int(2 * k) : x + int(8 * k)]
    assert (box.mean(-1) < 90).mean() > 0.3  # lesion 1's number on a dark box: flagged in grey print too
    x, y = int(numbers["2"][1] * k), pixels.shape[0] - int(numbers["2"][2] * k)
    assert (pixels[y - int(6 * k) : y + int(2 * k), x - int(2 * k) : x + int(8 * k)].mean(-1) < 90).mean() < 0.3


def test_the_deidentified_summary_maps_numbers_and_sites_only(register: Register, tmp_path: Path) -> None:
    mapped_patient(register, tmp_path)
    text = pdf_text(build_patient_summary(patient_summary_data(register, Settings(), MRN, deidentified=True)))
    assert "FRONT" in text and "Lesion 5 (palms/soles)" in text and "⚠ URGENT Lesion 1" in text
    assert "Mapp" not in text and "foot" not in text and "chest" not in text  # no name, no free-text label


def test_a_patient_without_map_positions_gets_the_map_and_why_it_is_empty(register: Register, tmp_path: Path) -> None:
    """Walkthrough 21: with no lesion placed the summary had no map, only a line of small print, easily read as a map
    left out. The figures are drawn all the same, a line beside them saying none is placed; the table names sites."""
    pid = register.patients.add("t", "NOMAP", "No Map").id
    register.lesions.add("t", pid, "head/neck", "")
    register.lesions.add("t", pid, "palms/soles", "")
    pdf = write_patient_summary(register, Settings(), "NOMAP", tmp_path / "nomap.pdf")
    text = pdf_text(pdf.read_bytes())
    assert "FRONT (patient facing you)" in text and "BACK" in text  # the map is there
    assert "No lesion placed on the map yet. None of this patient's lesions has a position recorded" in text
    assert "each lesion's site is in the table below" in text and "Not on the map" not in text  # said once
    assert "a lesion, numbered as in the table below" not in text  # no legend for markers there are none of
    assert "Lesion 1 head/neck" in text and "Lesion 2 palms/soles" in text  # the table names each lesion's site
    words = words_at(pdf)
    (front,) = [w for w in words if w[0].startswith("FRONT")]
    assert not [w for w in words if w[0] in {"1", "2"} and w[2] > front[2]]  # no number on the figures
    pixels, k = render(pdf), DPI / 72
    top, bottom = pixels.shape[0] - int((front[2] + 75 * mm) * k), pixels.shape[0] - int(front[2] * k)
    assert (np.abs(pixels[top:bottom] - (0xE9, 0xD3, 0xC3)).sum(-1) < 30).sum() > 10_000  # the figures' skin drawn


def test_numbers_of_lesions_close_together_keep_apart_on_the_figure() -> None:
    assert spread([50.0, 51.0, 52.0], 10, 0, 200) == [41.0, 51.0, 61.0]  # centred on the crowd
    assert spread([2.0, 1.0], 10, 4, 200) == [14.0, 4.0]  # kept on the drawing, in their order
    assert spread([100.0, 20.0], 10, 0, 200) == [100.0, 20.0]  # far apart: where their lesions are
    assert spread([5.0] * 5, 10, 0, 20) == [0.0, 5.0, 10.0, 15.0, 20.0]  # more than fit: squeezed in
    register_fonts()
    rows = patient_rows(30)
    drawing = summary_map.summary_map(rows)
    labels = [s for s in drawing.contents if isinstance(s, String) and s.text.isdigit()]
    assert sorted(int(s.text) for s in labels) == list(range(1, 31))
    flagged = [r for r in drawing.contents if isinstance(r, Rect) and r.fillColor == body_map.FLAG]
    assert len(flagged) == 10  # every third lesion's number on its dark box
    boxes = [s.getBounds() for s in labels] + [r.getBounds() for r in flagged]
    for i, a in enumerate(labels):  # no two numbers overlap
        for b in labels[i + 1 :]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a.getBounds(), b.getBounds()
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a.text, b.text)
    assert all(0 <= x0 and x1 <= drawing.width and 0 <= y0 and y1 <= drawing.height for x0, y0, x1, y1 in boxes)


def patient_rows(n: int) -> list[LesionRow]:
    """``n`` lesions crowded on the chest and the back, every third one flagged."""
    rows = []
    for i in range(n):
        view, x = ("front", 0.40 + (i % 3) * 0.1) if i % 2 else ("back", 0.6)
        flag = "⚠ CHANGED" if i % 3 == 0 else ""
        rows.append(LesionRow(i, "anterior torso", "", "monitoring", None, None, None, None, None, "", i + 1,
                              body_view=view, body_x=x, body_y=0.3 + 0.004 * i, flag=flag,
                              name=(f"Lesion {i + 1}", "anterior torso")))  # fmt: skip
    return rows
