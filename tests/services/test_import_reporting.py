"""Import says what it did: every skipped file named with the reason, a file given twice imported once,
no "assessed with" line when nothing was assessed, and Ctrl-C reports exactly what was saved."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image

import dermadesk.services.captures as captures
from dermadesk.main import main
from dermadesk.services.captures import import_files
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


@pytest.fixture
def lesion_id(register: Register) -> int:
    return register.lesions.add("t", register.patients.add("t", "IMP-1", "Import Person").id, "head/neck").id


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "visit"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(lesion_jpeg(1))
    (folder / "sub" / "b.png").write_bytes(lesion_jpeg(2))  # a JPEG named .png still decodes
    (folder / "copy-of-a.jpg").write_bytes(lesion_jpeg(1))  # the same bytes under another name
    buf = io.BytesIO()
    Image.new("P", (64, 64)).save(buf, "GIF")
    (folder / "anim.gif").write_bytes(buf.getvalue())
    (folder / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / "notes.txt").write_text("visit notes")
    if os.name != "nt":
        (folder / "gone.jpg").symlink_to(folder / "deleted.jpg")
    return folder


def test_every_skipped_file_is_named_with_its_reason(register: Register, lesion_id: int, mixed_folder: Path) -> None:
    result = import_files(register, "t", lesion_id, [mixed_folder, mixed_folder / "a.jpg"], compare=False)
    assert sorted(c.original_name for c in result.captures) == ["a.jpg", "b.png"]
    reasons = sorted(reason for _, reason in result.skipped)
    expected = ["a.jpg: given twice; imported once", "anim.gif: GIF files are not supported",
                "copy-of-a.jpg: same image as a.jpg; imported once", "logo.svg: SVG drawings are not supported",
                "notes.txt: not an image file type DermaDesk reads (.txt)"]
    if os.name != "nt":
        expected.append("gone.jpg: broken link")
    assert reasons == sorted(expected)
    assert result.errors == []


def test_cli_names_skipped_files_and_warns_for_the_duplicate(capsys, register: Register, lesion_id: int,
                                                             mixed_folder: Path) -> None:
    code = main(["capture", "add", "--lesion", str(lesion_id), "--no-assess", str(mixed_folder / "a.jpg"),
                 str(mixed_folder / "a.jpg")])
    out, err = capsys.readouterr()
    assert code == 0 and out.count("capture ") == 1
    assert "dermadesk: warning: skipped a.jpg: given twice; imported once" in err
    code = main(["capture", "add", "--lesion", str(lesion_id), "--no-assess", "--json", str(mixed_folder)])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["skipped"].split(":")[0] for r in rows if "skipped" in r} >= {"anim.gif", "logo.svg", "notes.txt"}


def test_no_assessed_with_line_when_every_file_failed(capsys, installed_model: Path, register: Register,
                                                      lesion_id: int, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_text("not an image")
    assert main(["capture", "add", "--lesion", str(lesion_id), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "assessed with" not in out and "bad.jpg: not an image file" in err
    good = tmp_path / "good.jpg"
    good.write_bytes(lesion_jpeg(5))
    assert main(["capture", "add", "--lesion", str(lesion_id), str(good)]) == 0
    assert "assessed with tiny-test@0.0.1 on" in capsys.readouterr().out


def test_ctrl_c_reports_the_captures_saved(capsys, register: Register, lesion_id: int, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    files = []
    for i in range(5):
        files.append(tmp_path / f"img{i}.jpg")
        files[-1].write_bytes(lesion_jpeg(10 + i))
    real, calls = captures.import_capture, [0]

    def interrupted_third(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(captures, "import_capture", interrupted_third)
    code = main(["capture", "add", "--lesion", str(lesion_id), "--no-assess", *map(str, files)])
    out, err = capsys.readouterr()
    assert code == 130
    assert "interrupted: 2 captures saved before the interruption (ids: 1, 2)" in err
    assert out.count("capture ") == 2
    with Register(register.data_dir) as reg:
        assert [c.original_name for c in reg.captures.for_lesion(lesion_id)] == ["img0.jpg", "img1.jpg"]


def test_a_full_disk_stops_the_import_and_says_what_was_saved(capsys, register: Register, lesion_id: int,
                                                              tmp_path: Path, monkeypatch) -> None:
    import errno

    from dermadesk.storage.images import ImageStore

    files = []
    for i in range(3):
        files.append(tmp_path / f"visit{i}.jpg")
        files[-1].write_bytes(lesion_jpeg(40 + i))
    put, calls = ImageStore.put, []

    def full_on_the_second(store: ImageStore, data: bytes) -> str:  # the fault: the disk fills up mid-import
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(store.root / ".incoming-x"))
        return put(store, data)

    monkeypatch.setattr(ImageStore, "put", full_on_the_second)
    result = import_files(register, "t", lesion_id, files)
    assert [c.original_name for c in result.captures] == ["visit0.jpg"]
    assert result.errors == [
        (str(files[1]), "visit1.jpg: not saved, the data folder cannot be written (No space left on device)")
    ]
    assert result.skipped == [(str(files[2]), "visit2.jpg: not tried after that")] and len(calls) == 2
    assert [c.original_name for c in register.captures.for_lesion(lesion_id)] == ["visit0.jpg"]

    calls.clear()  # the same files again from the command line: visit0 is there already, visit1 goes in
    code = main(["capture", "add", "--lesion", str(lesion_id), "--no-assess", *map(str, files)])
    out, err = capsys.readouterr()
    assert code == 1 and "(visit1.jpg, " in out and "visit0.jpg: this image is already in this lesion" in err
    assert "dermadesk: error: visit2.jpg: not saved, the data folder cannot be written (No space left" in err
