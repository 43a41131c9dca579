"""``compare`` says how the follow-up was aligned onto the baseline in plain words, as the Change tab's reasons say it
("aligned on the lesion outline (agreement 0.83)", "aligned on the skin around the lesion", "aligned by hand"), never
the method's code name ("registration lesion outline score 0.45", "features+ecc"); --json keeps the method's name and
its score. A real register and real image files, the real command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from tests.test_cli import run


def _figures(out: str) -> str:
    (line,) = [line for line in out.splitlines() if line.startswith("area ")]
    return line


def _images(tmp_path: Path, texture: float) -> tuple[Path, Path]:
    """The same lesion at two visits, grown by 30% in size, on skin with ``texture`` (0: smooth, nothing to align
    on but the lesion's outline)."""
    paths = []
    for name, scale in (("visit1.jpg", 1.0), ("visit2.jpg", 1.3)):
        path = tmp_path / name
        path.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=4, scale=scale, skin_texture=texture))))
        paths.append(path)
    return paths[0], paths[1]


@pytest.mark.parametrize(
    ("texture", "method", "words"),
    [
        (1.0, "features", "aligned on the skin around the lesion"),
        (0.0, "lesion outline", "aligned on the lesion outline"),
    ],
    ids=["textured skin", "smooth skin"],
)
def test_compare_says_how_the_images_were_aligned(capsys, tmp_path: Path, texture, method, words) -> None:
    a, b = _images(tmp_path, texture)
    code, out, _ = run(capsys, "compare", str(a), str(b), "--no-assess")
    line = _figures(out)
    assert code == 0 and re.search(rf"; {words} \(agreement \d\.\d\d\), follow-up view ", line), line
    assert "registration" not in out and "score" not in line and "features" not in line
    code, out, _ = run(capsys, "compare", str(a), str(b), "--no-assess", "--json")
    registration = json.loads(out)["registration"]
    assert code == 0 and registration["method"].startswith(method)  # the method's name, as before
    assert f"(agreement {registration['score']:.2f})" in line  # the same figure, in words


def test_compare_aligned_by_hand_says_so(capsys, tmp_path: Path) -> None:
    a, b = _images(tmp_path, 1.0)
    assert run(capsys, "patient", "add", "--mrn", "H-1", "--name", "Hana Hand")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "H-1", "--site", "posterior torso")[0] == 0
    for day, path in (("2026-01-05", a), ("2026-04-02", b)):
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(path))[0] == 0
    points = "60,60 60,60; 260,60 260,60; 160,200 160,200"
    code, out, _ = run(capsys, "compare", "1", "2", "--points", points)
    assert code == 0 and re.search(r"; aligned by hand \(agreement \d\.\d\d\), follow-up view ", _figures(out))
    assert "manual" not in _figures(out)
    code, out, _ = run(capsys, "compare", "1", "2", "--json")
    assert code == 0 and json.loads(out)["registration"]["method"] == "manual"
