"""An image with no usable EXIF date says why, in plain words; the header-only reader never raises, whatever
the file (corrupt, cut short, not an image, missing)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from dermadesk.analysis.decode import (
    DAMAGED_EXIF,
    NO_DATE_TAG,
    NO_EXIF,
    UNREADABLE_FILE,
    ExifDate,
    read_exif_date,
    read_taken_at,
)
from tests.conftest import lesion_jpeg


def jpeg_with(exif: Image.Exif | bytes | None) -> bytes:
    """A small lesion JPEG with this EXIF block (None: none at all)."""
    buf = io.BytesIO()
    extra = {} if exif is None else {"exif": exif}
    Image.open(io.BytesIO(lesion_jpeg(seed=4, width=96, height=72))).save(buf, "JPEG", **extra)
    return buf.getvalue()


def exif_tags(date: str | None = None, make: str | None = None) -> Image.Exif:
    exif = Image.Exif()
    if make is not None:
        exif[0x010F] = make
    if date is not None:
        exif.get_ifd(0x8769)[0x9003] = date  # DateTimeOriginal
    return exif


CASES = {
    "dated.jpg": (jpeg_with(exif_tags("2024:06:30 09:00:00")), ExifDate("2024-06-30T09:00:00")),
    "plain.jpg": (jpeg_with(None), ExifDate(None, NO_EXIF)),
    "camera.jpg": (jpeg_with(exif_tags(make="DermaCam")), ExifDate(None, NO_DATE_TAG)),
    "unset.jpg": (
        jpeg_with(exif_tags("0000:00:00 00:00:00")),
        ExifDate(None, 'its EXIF date tag is unreadable: "0000:00:00 00:00:00"'),
    ),
    "blank.jpg": (jpeg_with(exif_tags("    ")), ExifDate(None, "its EXIF date tag is empty")),
    "damaged.jpg": (jpeg_with(b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08" + b"\xff" * 20), ExifDate(None, DAMAGED_EXIF)),
    "letter.jpg": (b"Dear colleague, ...", ExifDate(None, UNREADABLE_FILE)),
    "cut.jpg": (jpeg_with(exif_tags("2024:06:30 09:00:00"))[:12], ExifDate(None, UNREADABLE_FILE)),
    "empty.jpg": (b"", ExifDate(None, UNREADABLE_FILE)),
}


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns of the damaged block it skips
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_file_gives_its_date_or_the_reason_it_has_none(tmp_path: Path, name: str) -> None:
    data, expected = CASES[name]
    f = tmp_path / name
    f.write_bytes(data)
    assert read_exif_date(f) == expected
    assert read_taken_at(f) == expected.taken_at  # the date-only reader, as its other callers know it


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    assert read_exif_date(tmp_path / "gone.jpg") == ExifDate(None, UNREADABLE_FILE)
    assert read_taken_at(tmp_path / "gone.jpg") is None


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_file_cut_anywhere_or_with_bytes_flipped_never_raises(tmp_path: Path) -> None:
    whole = jpeg_with(exif_tags("2024:06:30 09:00:00", make="DermaCam"))
    f = tmp_path / "bad.jpg"
    for end in range(0, 600, 7):  # through the header and the EXIF block
        f.write_bytes(whole[:end])
        got = read_exif_date(f)
        assert got.taken_at or got.why_none  # a date, or a reason: never neither, never an exception
    for at in range(2, 400, 5):
        flipped = bytearray(whole)
        flipped[at] ^= 0xFF
        f.write_bytes(bytes(flipped))
        got = read_exif_date(f)
        assert got.taken_at or got.why_none


def test_a_loop_of_links_is_named_as_such_not_as_a_broken_link(tmp_path: Path) -> None:
    """Helper 49: a link pointing at itself read 'broken link (its target … does not exist)'."""
    import os

    from dermadesk.analysis.decode import file_problem

    loop = tmp_path / "loop.jpg"
    os.symlink(loop, loop)
    said = file_problem(loop) or ""
    assert said.startswith("loop.jpg: a link that leads back to itself (a loop of links)")
    os.symlink(tmp_path / "gone.jpg", tmp_path / "moved.jpg")
    assert (file_problem(tmp_path / "moved.jpg") or "").startswith("moved.jpg: broken link")
    from dermadesk.services.captures import scan_paths  # the same loop inside a folder chosen for import

    skipped = {Path(f).name: why for f, why in scan_paths([tmp_path])[1]}
    assert skipped["loop.jpg"] == "loop.jpg: a link that leads back to itself (a loop of links)"
    assert skipped["moved.jpg"] == "moved.jpg: broken link"


def test_a_file_too_large_for_memory_is_named_and_skipped(tmp_path: Path, monkeypatch) -> None:
    """Helper 49: MemoryError from one huge file failed the whole background reading; now that file is named."""
    import dermadesk.analysis.decode as decode
    from dermadesk.services.captures import read_file_facts

    for name in ("huge.jpg", "fine.jpg"):
        (tmp_path / name).write_bytes(jpeg_with(None))
    real, calls = decode.pil_to_rgb, []

    def first_runs_out_of_memory(im: Image.Image) -> object:  # the fault injected: the first file's pixels
        calls.append(im)
        if len(calls) == 1:
            raise MemoryError
        return real(im)

    monkeypatch.setattr(decode, "pil_to_rgb", first_runs_out_of_memory)
    facts = read_file_facts([tmp_path / "huge.jpg", tmp_path / "fine.jpg"])
    assert facts.problems[str(tmp_path / "huge.jpg")].startswith("huge.jpg: too large to decode in this computer's")
    assert str(tmp_path / "fine.jpg") in facts.exif_dates
