"""Importing files through the import dialog reads and decodes each file once: the dialog's background reading
decodes it (so a file cut short is named before the import), and the import uses those bytes and pixels instead
of reading and decoding the file again. Every refusal still says what it said, duplicates are still found by
content, and a cancel keeps what was saved. Counted with spies around the real functions, on real files and a
real register."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import dermadesk.services.captures as captures
from dermadesk.domain.dates import human_date
from dermadesk.main import main
from dermadesk.services.captures import CaptureMeta, import_files, read_file_facts
from dermadesk.services.progress import CancelToken
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_decode import _encode, _png_header_only


class Calls:
    """Wraps ``module.name`` (the real function, called through) and counts its calls per file name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> None:
        self.per_file: Counter[str] = Counter()
        real = getattr(module, name)

        def spy(source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
            self.per_file[name or Path(source).name] += 1
            return real(source, name, *args, **kwargs)

        monkeypatch.setattr(module, name, spy)


def _rotated_jpeg() -> bytes:
    """80x40 pixels, shown 40 wide and 80 high (EXIF orientation 6), with a camera date."""
    arr = np.zeros((40, 80, 3), np.uint8)
    arr[:, :40] = (255, 0, 0)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8769)[0x9003] = "2025:03:04 10:11:12"
    return _encode(Image.fromarray(arr), "JPEG", exif=exif, quality=95)


def _visit(folder: Path) -> list[Path]:
    """A visit's files: good ones of every kind the decoder turns to RGB, the same image twice, and bad ones."""
    folder.mkdir()
    ramp16 = (np.tile(np.arange(64, dtype=np.uint16), (48, 1)) * 1000).astype(np.uint16)
    made = {
        "rotated.jpg": _rotated_jpeg(),
        "grey16.png": _encode(Image.fromarray(ramp16), "PNG"),
        "grey.png": _encode(Image.fromarray(np.tile(np.arange(64, dtype=np.uint8) * 4, (48, 1))), "PNG"),
        "plain.jpg": lesion_jpeg(1),
        "same.jpg": lesion_jpeg(1),  # the same bytes under another name
        "cut.jpg": lesion_jpeg(2)[:-700],  # its header whole, its pixels cut short
        "huge.png": _png_header_only(30000, 30000),  # a decompression bomb's header
        "anim.jpg": _encode(Image.new("P", (64, 64)), "GIF"),  # a GIF named .jpg
        "letter.jpg": b"Dear colleague, ...",
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in made]


@pytest.fixture
def lesion_id(register: Register) -> int:
    return register.lesions.add("t", register.patients.add("t", "DEC-1", "Decode Once").id, "head/neck").id


def test_each_file_is_read_and_decoded_once_and_refusals_say_what_they_said(
    register: Register, lesion_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _visit(tmp_path / "visit")
    with Register(tmp_path / "other") as other:  # the import alone (as the command line does), for its messages
        lesion = other.lesions.add("t", other.patients.add("t", "DEC-2", "Decode Alone").id, "head/neck")
        alone = import_files(other, "t", lesion.id, files, CaptureMeta(exif_first=True), compare=False)
    decodes = Calls(monkeypatch, captures, "decode_image")
    reads = Calls(monkeypatch, captures, "read_image_file")

    facts = read_file_facts(files)  # the dialog's background reading
    ahead = facts.hand_over()
    result = import_files(register, "t", lesion_id, files, CaptureMeta(exif_first=True), compare=False, ahead=ahead)

    assert reads.per_file == Counter({f.name: 1 for f in files})  # every file opened and read once
    passing_headers = ["rotated.jpg", "grey16.png", "grey.png", "plain.jpg", "same.jpg", "cut.jpg"]
    assert decodes.per_file == Counter({name: 1 for name in passing_headers})  # refused at the header: never
    assert ahead.decoded == {} and facts.decoded == {}  # no pixels kept once imported

    saved = {c.original_name: c for c in result.captures}
    assert sorted(saved) == ["grey.png", "grey16.png", "plain.jpg", "rotated.jpg"]
    assert (saved["rotated.jpg"].width, saved["rotated.jpg"].height) == (40, 80)  # upright, as shown
    assert saved["rotated.jpg"].taken_at.startswith("2025-03-04")  # its camera date, from the one decode
    assert (saved["grey16.png"].width, saved["grey16.png"].height, saved["grey16.png"].image_format) == (64, 48, "PNG")
    assert register.images.read(saved["plain.jpg"].image_sha256) == (tmp_path / "visit" / "plain.jpg").read_bytes()
    assert [r for _, r in result.skipped] == ["same.jpg: same image as plain.jpg; imported once"]
    assert result.errors == alone.errors  # word for word what the import alone says
    said = dict((Path(f).name, m) for f, m in result.errors)
    assert said["cut.jpg"].startswith("cut.jpg: image file is truncated or damaged; copy it again")
    assert said["huge.png"].startswith("huge.png: image is 30000x30000 = 900 megapixels, over the 50 MP limit")
    assert said["anim.jpg"].startswith("anim.jpg: GIF files are not supported")
    assert said["letter.jpg"].startswith("letter.jpg: not an image file")
    assert facts.problems == {f: m for f, m in result.errors}  # the dialog listed the same refusals


def test_an_image_already_in_the_lesion_is_found_by_its_content(
    register: Register, lesion_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, again = tmp_path / "first.jpg", tmp_path / "renamed.jpg"
    first.write_bytes(lesion_jpeg(3))
    again.write_bytes(lesion_jpeg(3))
    import_files(register, "t", lesion_id, [first], compare=False)
    decodes = Calls(monkeypatch, captures, "decode_image")
    result = import_files(register, "t", lesion_id, [again], compare=False, ahead=read_file_facts([again]).hand_over())
    assert result.captures == [] and decodes.per_file == Counter({"renamed.jpg": 1})
    assert result.skipped == [
        (str(again), "renamed.jpg: this image is already in this lesion (the capture of "
         f"{human_date(register.captures.for_lesion(lesion_id)[0].taken_at)}, from first.jpg); not imported again")
    ]  # fmt: skip


def test_files_past_the_memory_kept_are_read_and_decoded_again(
    register: Register, lesion_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = []
    for i in range(3):
        files.append(tmp_path / f"v{i}.jpg")
        files[-1].write_bytes(lesion_jpeg(10 + i))
    one = len(files[0].read_bytes()) + 240 * 320 * 3  # a file's bytes and its pixels
    monkeypatch.setattr(captures, "READ_AHEAD_BYTES", one + 10)  # room for the first file only
    decodes = Calls(monkeypatch, captures, "decode_image")
    facts = read_file_facts(files)
    assert list(facts.decoded) == [str(files[0])]
    result = import_files(register, "t", lesion_id, files, compare=False, ahead=facts.hand_over())
    assert [c.original_name for c in result.captures] == ["v0.jpg", "v1.jpg", "v2.jpg"]
    assert decodes.per_file == Counter({"v0.jpg": 1, "v1.jpg": 2, "v2.jpg": 2})


def test_a_cancel_keeps_the_captures_saved_and_lets_the_rest_go(
    register: Register, lesion_id: int, tmp_path: Path
) -> None:
    files = []
    for i in range(4):
        files.append(tmp_path / f"c{i}.jpg")
        files[-1].write_bytes(lesion_jpeg(20 + i))
    ahead = read_file_facts(files).hand_over()
    cancel = CancelToken()

    def progress(_: float, message: str) -> None:
        if message.startswith("importing c1.jpg"):
            cancel.cancel()  # pressed while the second file is imported: it is finished, the third not started

    result = import_files(register, "t", lesion_id, files, compare=False, progress=progress, cancel=cancel, ahead=ahead)
    assert result.cancelled and [c.original_name for c in result.captures] == ["c0.jpg", "c1.jpg"]
    assert [c.original_name for c in register.captures.for_lesion(lesion_id)] == ["c0.jpg", "c1.jpg"]
    assert ahead.decoded == {}  # the pixels of the files not imported are let go


def test_the_command_line_decodes_each_file_once(
    capsys, register: Register, lesion_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _visit(tmp_path / "visit")
    decodes = Calls(monkeypatch, captures, "decode_image")
    reads = Calls(monkeypatch, captures, "read_image_file")
    assert main(["capture", "add", "--lesion", str(lesion_id), "--no-assess", *map(str, files)]) == 1  # refusals
    err = capsys.readouterr().err
    assert "cut.jpg: image file is truncated or damaged" in err and "letter.jpg: not an image file" in err
    assert reads.per_file == Counter({f.name: 1 for f in files})
    assert decodes.per_file == Counter(
        {n: 1 for n in ["rotated.jpg", "grey16.png", "grey.png", "plain.jpg", "cut.jpg"]}
    )  # same.jpg is found the same image by its bytes before any decode
