"""The body map on paper, as a referrer reads it: the patient's R and L where the app shows them, the view named,
and a lesion's marker that leaves a face, a hand or a foot visible, its number beside the figure."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import String
from reportlab.lib.units import mm

from dermadesk.config import Settings
from dermadesk.domain.bodymap import SHAPES, patient_side
from dermadesk.reports import body_map
from dermadesk.reports.common import register_fonts
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import write_lesion_report
from dermadesk.storage.register import Register
from dermadesk.ui.body_map import SIDES
from tests.conftest import lesion_jpeg

HEIGHT = 55 * mm  # the figure's height in the report
DPI = 288  # 4 pixels a point
SKIN = (0xE9, 0xD3, 0xC3)


def need_pdftoppm() -> None:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")


def words_at(pdf: Path) -> list[tuple[str, float, float]]:
    """Each piece of text on page 1 with where it starts (points from the page's bottom left)."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((text.strip(), cm[4] + tm[4], cm[5] + tm[5]))

    PdfReader(str(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def render(pdf: Path) -> np.ndarray:
    """Page 1 as RGB pixels at ``DPI``."""
    need_pdftoppm()
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=True)
    return np.asarray(Image.open(pdf.with_suffix(".png")).convert("RGB")).astype(int)


def lesion_report(register: Register, tmp_path: Path, view: str, x: float, y: float) -> Path:
    p = register.patients.add("t", "BM-1", "Body Map", "1970-01-01", "female", "II")
    les = register.lesions.add("t", p.id, "palms/soles", "", body_view=view, body_x=x, body_y=y)
    image = tmp_path / "c.jpg"
    image.write_bytes(lesion_jpeg(4))
    import_files(register, "t", les.id, [image], CaptureMeta(taken_at="2026-01-02"))
    return write_lesion_report(register, Settings(), les.id, tmp_path / f"{view}.pdf")


@pytest.mark.parametrize("view, x", [("front", 0.86), ("back", 0.14)])  # the patient's left hand
def test_the_printed_body_map_says_which_side_is_the_patients_right(
    register: Register, tmp_path: Path, view: str, x: float
) -> None:
    pdf = lesion_report(register, tmp_path, view, x, 0.52)
    words = words_at(pdf)
    (r,) = [w for w in words if w[0] == "R"]
    (left,) = [w for w in words if w[0] == "L"]
    assert r[2] == left[2]  # on one line, above the figure
    seen = ("R", "L") if r[1] < left[1] else ("L", "R")
    assert seen == SIDES[view]  # as the app's body map writes them
    assert seen == tuple(patient_side(view, fx)[0].upper() for fx in (0.25, 0.75))  # and as the site text reads
    (number,) = [w for w in words if w[0] == "1" and left[2] > w[2] > 0]  # lesion 1's number, beside the figure
    assert (number[1] > left[1]) == (view == "front")  # out on the side of the patient's left hand
    text = " ".join(w[0] for w in words)
    assert ("FRONT (patient facing you)" in text) == (view == "front") and ("BACK" in text) == (view == "back")
    pixels = render(pdf)  # the letters are drawn in black, not only there as text
    for _, px, py in (r, left):
        row, col = pixels.shape[0] - int(py * DPI / 72), int(px * DPI / 72)
        assert (pixels[row - 30 : row + 2, col - 2 : col + 30].sum(-1) < 150).sum() > 30


def hidden_share(drawing_with: object, drawing_without: object, part: str, tmp_path: Path) -> tuple[float, bool]:
    """The share of a body part's skin the marker hides, and whether skin shows inside its ring."""
    pixels = []
    for name, d in (("with", drawing_with), ("without", drawing_without)):
        renderPDF.drawToFile(d, str(tmp_path / f"{name}.pdf"))
        pixels.append(render(tmp_path / f"{name}.pdf"))
    marked, plain = (np.abs(p - SKIN).sum(-1) < 30 for p in pixels)
    s = next(s for s in SHAPES if s.name == part)
    k, w = DPI / 72, HEIGHT / 2
    cx, cy = (body_map.MARGIN + (s.x + s.w / 2) * w) * k, (body_map.SIDE_BAND + (s.y + s.h / 2) * HEIGHT) * k
    rows, cols = np.mgrid[0 : plain.shape[0], 0 : plain.shape[1]]
    inside = ((cols - cx) / (s.w * w / 2 * k)) ** 2 + ((rows - cy) / (s.h * HEIGHT / 2 * k)) ** 2 <= 0.8
    part_skin = plain & inside
    ring_hole = np.hypot(cols - cx, rows - cy) < (body_map.MARKER_RADIUS - 0.6) * k
    hole_clear = bool((marked & ring_hole & ~(np.hypot(cols - cx, rows - cy) < 0.8 * k)).sum() > 10)
    return 1 - (marked & part_skin).sum() / part_skin.sum(), hole_clear


@pytest.mark.parametrize("view", ["front", "back"])
@pytest.mark.parametrize("part, most", [("head", 0.2), ("right hand", 0.5), ("left hand", 0.5), ("left foot", 0.5)])
def test_a_marker_leaves_the_face_hands_and_feet_visible(tmp_path: Path, view: str, part: str, most: float) -> None:
    """A filled disc hid 35 % of the head and 86 % of a hand; a ring shows the skin through it."""
    register_fonts()
    s = next(s for s in SHAPES if s.name == part)
    marked = body_map.body_map_drawing(view, s.x + s.w / 2, s.y + s.h / 2, label="12")
    hidden, hole_clear = hidden_share(marked, body_map.body_map_drawing(view, None, None), part, tmp_path)
    assert hidden <= most and hole_clear
    (number,) = [t for t in marked.contents if isinstance(t, String) and t.text == "12"]
    x0, _, x1, _ = number.getBounds()
    figure = (body_map.MARGIN, body_map.MARGIN + HEIGHT / 2)
    assert x1 <= figure[0] or x0 >= figure[1]  # beside the figure, not over it
    assert 0 <= x0 and x1 <= marked.width  # and on the drawing


def test_each_caption_is_right_under_its_picture(register: Register, tmp_path: Path) -> None:
    """The captions "Capture: ..." and "Body map" under their own pictures: in a row of their own they sat under the
    taller body map, far below the capture."""
    words = words_at(lesion_report(register, tmp_path, "back", 0.55, 0.3))
    capture_y = next(y for text, _, y in words if text.startswith("Capture: modality "))  # its first line
    back_y = next(y for text, _, y in words if text.startswith("BACK"))
    body_map_y = next(y for text, _, y in words if text == "Body map")
    assert capture_y > back_y + 10 * mm  # the capture (50 mm high) is shorter than the body map with its labels
    assert body_map_y < back_y
