"""The same image imported twice into one lesion is refused with a clear reason, by the service and by
``dermadesk capture add``; once that capture is deleted, the image may come in again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.main import main
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import DuplicateImage, import_files, refuse_duplicate
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def test_the_same_bytes_twice_in_one_lesion_are_skipped_with_the_reason(register: Register, tmp_path: Path) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "DUP-1", "Dup Person").id, "head/neck").id
    first, copy = tmp_path / "first.jpg", tmp_path / "copy.jpg"
    first.write_bytes(lesion_jpeg(3))
    copy.write_bytes(first.read_bytes())
    assert len(import_files(register, "t", lid, [first], compare=False).captures) == 1
    again = import_files(register, "t", lid, [copy], compare=False)
    assert again.captures == [] and again.errors == []
    assert again.skipped == [
        (str(copy), f"copy.jpg: this image is already in this lesion (the capture of "
         f"{human_date(register.captures.get(1).taken_at)}, from first.jpg); not imported again")
    ]  # fmt: skip
    with pytest.raises(DuplicateImage, match="already in this lesion"):
        refuse_duplicate(register, lid, first.read_bytes(), "pasted")
    ops.delete_capture(register, "t", 1)  # deleted: the image may be imported again
    assert len(import_files(register, "t", lid, [copy], compare=False).captures) == 1


def test_capture_add_warns_about_the_duplicate(data_dir: Path, tmp_path: Path, capsys) -> None:
    image = tmp_path / "lesion.jpg"
    image.write_bytes(lesion_jpeg(4))
    base = ["--data-dir", str(data_dir)]
    assert main([*base, "patient", "add", "--mrn", "DUP-2", "--name", "Cli Person"]) == 0
    assert main([*base, "lesion", "add", "--patient", "DUP-2", "--site", "head/neck"]) == 0
    assert main([*base, "capture", "add", "--lesion", "1", str(image)]) == 0
    capsys.readouterr()
    assert main([*base, "capture", "add", "--lesion", "1", str(image)]) == 1  # nothing imported: an error
    err = capsys.readouterr().err
    today = human_date(dt.date.today().isoformat())
    assert f"lesion.jpg: this image is already in this lesion (the capture of {today}, from" in err
    assert "not imported again" in err
    assert err.strip().splitlines()[-1] == "dermadesk: error: nothing imported: 1 file skipped"


def test_capture_add_with_one_new_image_beside_a_duplicate_exits_0(data_dir: Path, tmp_path: Path, capsys) -> None:
    old, new = tmp_path / "old.jpg", tmp_path / "new.jpg"
    old.write_bytes(lesion_jpeg(4))
    new.write_bytes(lesion_jpeg(5))
    base = ["--data-dir", str(data_dir)]
    main([*base, "patient", "add", "--mrn", "DUP-3", "--name", "Cli Person"])
    main([*base, "lesion", "add", "--patient", "DUP-3", "--site", "head/neck"])
    assert main([*base, "capture", "add", "--lesion", "1", "--no-assess", str(old)]) == 0
    capsys.readouterr()
    assert main([*base, "capture", "add", "--lesion", "1", "--no-assess", "--json", str(old)]) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "already in this lesion" in rows[0]["skipped"]
    assert rows[-1] == {"error": "nothing imported: 1 file skipped"}
    assert main([*base, "capture", "add", "--lesion", "1", "--no-assess", str(old), str(new)]) == 0
    out, err = capsys.readouterr()
    today = human_date(dt.date.today().isoformat())  # both taken today: each named with its place that day
    assert f"capture 2 ({today}, 2 of 2 that day) added (new.jpg" in out and "error" not in err
    # worded once new.jpg was in, not before: "the capture of <today>" alone would no longer tell which
    assert f"old.jpg: this image is already in this lesion (the capture of {today}, 1 of 2 that day, from" in err
