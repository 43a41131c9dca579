"""``capture add`` of several files, some refused, says how many came in before naming the refused ones ("imported
1 of 2 images; 1 refused:", then a line each): a folder with one good and one 300 MP image imported the good one
and exited 1 with the refusal's line only, never saying that the other came in. One file refused says its line
alone, as before; --json is unchanged. A real register, the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import lesion_jpeg
from tests.test_cli import run
from tests.test_decode import _png_header_only

REFUSED = (
    "dermadesk: error: scan.png: image is 20000x15000 = 300 megapixels, over the 50 MP limit; export a smaller copy, "
    "at most 50 MP, from the camera or an image editor, and import that"
)


@pytest.fixture
def lesion(capsys) -> str:
    assert run(capsys, "patient", "add", "--mrn", "C-1", "--name", "Cora Counted")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "C-1", "--site", "posterior torso")[0] == 0
    return "1"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """One good image and one of 300 megapixels (its header says so)."""
    folder = tmp_path / "visit"
    folder.mkdir()
    (folder / "good.jpg").write_bytes(lesion_jpeg(seed=7))
    (folder / "scan.png").write_bytes(_png_header_only(20000, 15000))
    return folder


def test_a_folder_with_one_refused_says_how_many_came_in(capsys, lesion: str, folder: Path) -> None:
    code, out, err = run(capsys, "capture", "add", "--lesion", lesion, "--no-assess", str(folder))
    assert code == 1 and "capture 1 (" in out and "added (good.jpg, 320x240)" in out
    assert err.splitlines() == ["dermadesk: error: imported 1 of 2 images; 1 refused:", REFUSED]


def test_skipped_files_are_counted_as_files(capsys, lesion: str, folder: Path) -> None:
    (folder / "notes.txt").write_text("taken with the new lens", encoding="utf-8")
    (folder / "other.png").write_bytes(_png_header_only(9000, 7000))
    code, _, err = run(capsys, "capture", "add", "--lesion", lesion, "--no-assess", str(folder))
    lines = err.splitlines()
    assert code == 1 and lines[0].startswith("dermadesk: warning: skipped notes.txt: ")
    assert lines[1] == "dermadesk: error: imported 1 of 4 files; 1 skipped, 2 refused:"
    assert lines[2].startswith("dermadesk: error: other.png: image is 9000x7000") and lines[3] == REFUSED


def test_nothing_imported_of_several_says_none_came_in(capsys, lesion: str, folder: Path) -> None:
    (folder / "good.jpg").unlink()
    (folder / "other.png").write_bytes(_png_header_only(9000, 7000))
    code, out, err = run(capsys, "capture", "add", "--lesion", lesion, "--no-assess", str(folder))
    assert code == 1 and out == "" and err.splitlines()[0] == "dermadesk: error: imported 0 of 2 images; 2 refused:"


def test_one_file_refused_says_its_line_alone(capsys, lesion: str, folder: Path) -> None:
    code, _, err = run(capsys, "capture", "add", "--lesion", lesion, "--no-assess", str(folder / "scan.png"))
    assert code == 1 and err.splitlines() == [REFUSED]


def test_json_is_unchanged(capsys, lesion: str, folder: Path) -> None:
    code, out, _ = run(capsys, "capture", "add", "--lesion", lesion, "--no-assess", "--json", str(folder))
    said = [json.loads(line) for line in out.splitlines()]  # an object a line
    assert code == 1 and not any("imported" in json.dumps(item) for item in said)
    assert [item["path"] for item in said if "error" in item] == [str(folder / "scan.png")]
