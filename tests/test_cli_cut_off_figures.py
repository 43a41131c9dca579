"""``compare`` and ``capture add`` print a lesion cut off by the frame with less of it in view as "13.0% less area
where both images show the lesion, diameter not known (it reaches the edge of an image)", never "area -13.0%" beside a
verdict that says it may have grown beyond the edge, nor the diameter of the part in view as the lesion's; with more
of it in view "35.0% more area where both images show the lesion", never "area +35.0%" nor "area grew"; a lesion not
cut off keeps "area -36.0%" and "area shrank by 36%". A real register, the real commands, synthetic images (the lesion
grown beyond the frame as tests/analysis/test_cut_off_growth.py makes it)."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import pytest

from tests.analysis.test_cut_off_growth import off_the_right_edge, pale_centred
from tests.conftest import lesion_jpeg
from tests.test_cli import run

EDGE = "% less area where both images show the lesion, diameter not known (it reaches the edge of an image)"


def two_captures(capsys: pytest.CaptureFixture, tmp_path: Path, images: list[Path]) -> str:
    """A patient's lesion with ``images`` added as captures 1 and 2 (90 days apart): what adding the second said."""
    run(capsys, "patient", "add", "--mrn", "E-1", "--name", "Edge Case")
    run(capsys, "lesion", "add", "--patient", "E-1", "--site", "posterior torso")
    said = ""
    for image, day in zip(images, ("2026-01-05", "2026-04-05")):
        code, said, _ = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(image))
        assert code == 0, said
    return said


def test_a_lesion_cut_off_by_the_frame_says_where_its_area_was_measured(capsys, data_dir: Path, tmp_path: Path) -> None:
    images = []
    for growth in (0.0, 0.2):  # grown 20 % beyond the frame: 13 % less of it where both images show it
        images.append(tmp_path / f"grown-{growth}.png")
        cv2.imwrite(str(images[-1]), cv2.cvtColor(pale_centred(growth), cv2.COLOR_RGB2BGR))
    added = two_captures(capsys, tmp_path, images)
    (change,) = [line for line in added.splitlines() if "change since the baseline" in line]
    assert re.search(r"SIGNIFICANT \(13% less area where both images show the lesion\); 13\.0" + re.escape(EDGE) + ", ",
                     change), change  # fmt: skip
    code, out, _ = run(capsys, "compare", "1", "2")
    assert code == 0 and "verdict: SIGNIFICANT" in out
    (figures,) = [line for line in out.splitlines() if "; aligned" in line]
    assert figures.startswith("13.0" + EDGE + ", ΔE "), figures
    for said in (added, out):
        assert "shrank" not in said and "area -" not in said and "diameter -" not in said, said


def test_more_of_a_cut_off_lesion_in_view_says_where_it_was_measured(capsys, data_dir: Path, tmp_path: Path) -> None:
    images = []
    for growth in (0.0, 0.4):  # grown 40 %: more of it where both images show it, some beyond the right edge
        images.append(tmp_path / f"right-{growth}.png")
        cv2.imwrite(str(images[-1]), cv2.cvtColor(off_the_right_edge(growth), cv2.COLOR_RGB2BGR))
    code, out, _ = run(capsys, "compare", "--interval-days", "90", "--no-assess", *map(str, images))
    assert code == 0 and "verdict: SIGNIFICANT" in out, out
    (figures,) = [line for line in out.splitlines() if "; aligned" in line]
    more = re.match(r"(\d+\.\d)% more area where both images show the lesion, diameter not known \(it reaches the edge "
                    r"of an image\), ΔE ", figures)  # fmt: skip
    assert more and f"  - {float(more[1]):.0f}% more area where both images show the lesion" in out, out
    assert "area +" not in out and "grew" not in out and "diameter +" not in out, out


def test_a_lesion_not_cut_off_still_shrank(capsys, data_dir: Path, tmp_path: Path) -> None:
    images = []
    for scale in (1.0, 0.8):
        images.append(tmp_path / f"scale-{scale}.jpg")
        images[-1].write_bytes(lesion_jpeg(seed=40, scale=scale))
    added = two_captures(capsys, tmp_path, images)
    code, out, _ = run(capsys, "compare", "1", "2")
    (figures,) = [line for line in out.splitlines() if "; aligned" in line]
    assert code == 0 and re.match(r"area -\d+\.\d%, diameter -", figures), figures
    assert "  - area shrank by " in out and "area -" in added and "shrank" in added
    assert "where both images show" not in out + added
