"""Image decoding: every bad kind gets a clear message naming the file; odd modes become RGB."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from dermadesk.analysis.decode import decode_image
from dermadesk.domain.errors import BadImageError
from tests.conftest import lesion_jpeg


def _encode(im: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def test_plain_jpeg_decodes_to_rgb() -> None:
    d = decode_image(lesion_jpeg(1), "ok.jpg")
    assert d.rgb.shape == (240, 320, 3) and d.rgb.dtype == np.uint8 and d.format == "JPEG"


def test_not_an_image(tmp_path) -> None:
    p = tmp_path / "notes.jpg"
    p.write_text("this is a text file, not a JPEG")
    with pytest.raises(BadImageError, match=r"^notes.jpg: not an image file .*; import the photo itself, exported "
                       "as JPEG, PNG, TIFF, BMP or WebP from the camera or an image editor$"):
        decode_image(p)


def test_empty_file(tmp_path) -> None:
    p = tmp_path / "empty.png"
    p.write_bytes(b"")
    with pytest.raises(BadImageError, match="empty.png: file is empty; copy it again from the camera"):
        decode_image(p)


def test_truncated_jpeg() -> None:
    data = lesion_jpeg(2)
    with pytest.raises(BadImageError, match="cut.jpg: image file is truncated or damaged; copy it again from the "
                       r"camera or its card \(the copy may have been cut short\)$"):
        decode_image(data[: len(data) // 2], "cut.jpg")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size (a decompression-bomb header) with a tiny body."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
            + chunk(b"IEND", b""))


def test_decompression_bomb_refused_before_decoding() -> None:
    with pytest.raises(BadImageError, match=r"bomb.png: image is 30000x30000 = 900 megapixels, over the 100 MP limit"):
        decode_image(_png_header_only(30000, 30000), "bomb.png")


def test_wrong_format_refused() -> None:
    gif = _encode(Image.new("P", (64, 64)), "GIF")
    with pytest.raises(BadImageError, match="anim.gif: GIF files are not supported"):
        decode_image(gif, "anim.gif")


def test_every_refusal_names_the_formats_the_importer_reads(tmp_path) -> None:
    """A GIF's refusal said "use JPEG, PNG, TIFF, BMP or WebP", a file that is no image's "exported as JPEG, PNG or
    TIFF": one list now, the importer's, and each format in it is one it reads, by its file name's ending too."""
    from dermadesk.analysis.decode import FORMATS_TEXT, IMPORT_FORMATS
    from dermadesk.services.captures import scan_paths

    assert FORMATS_TEXT == "JPEG, PNG, TIFF, BMP or WebP"
    with pytest.raises(BadImageError) as gif:
        decode_image(_encode(Image.new("P", (64, 64)), "GIF"), "anim.gif")
    (tmp_path / "notes.jpg").write_text("no image")
    with pytest.raises(BadImageError) as text:
        decode_image(tmp_path / "notes.jpg")
    assert str(gif.value).endswith(f"(use {FORMATS_TEXT})") and f"exported as {FORMATS_TEXT} from" in str(text.value)
    for name, ends in IMPORT_FORMATS.items():
        for end in ends:
            folder = tmp_path / end[1:]
            folder.mkdir()
            path = folder / f"image{end}"
            path.write_bytes(_encode(Image.new("RGB", (64, 48), (180, 120, 90)), name.upper()))
            assert scan_paths([folder]) == ([path], []) and decode_image(path).rgb.shape == (48, 64, 3)


def test_tiny_image_refused() -> None:
    with pytest.raises(BadImageError, match="at least 32"):
        decode_image(_encode(Image.new("RGB", (10, 10)), "PNG"), "dot.png")


@pytest.mark.parametrize("size, said", [
    ((40, 30), "image is only 30 pixels high (40x30); at least 32 needed each way"),
    ((20, 300), "image is only 20 pixels wide (20x300); at least 32 needed each way"),
    ((10, 10), "image is only 10 pixels wide and 10 pixels high (10x10); at least 32 needed each way"),
])
def test_a_too_small_image_says_which_side_is_too_short(size: tuple[int, int], said: str) -> None:
    """ "only 40x30 pixels (at least 32 needed)" left the reader to work out that the height was the problem."""
    with pytest.raises(BadImageError) as refused:
        decode_image(_encode(Image.new("RGB", size), "PNG"), "small.png")
    assert str(refused.value) == f"small.png: {said}; import the full-size image, not a thumbnail"


@pytest.mark.parametrize("mode", ["L", "P", "CMYK", "RGBA", "LA", "I;16", "1"])
def test_colour_modes_become_rgb(mode: str) -> None:
    base = Image.fromarray(np.dstack([np.tile(np.arange(64, dtype=np.uint8) * 4, (48, 1))] * 3), "RGB")
    if mode == "I;16":
        im = Image.fromarray((np.tile(np.arange(64, dtype=np.uint16), (48, 1)) * 1000).astype(np.uint16))
        assert im.mode in ("I;16", "I")
        data = _encode(im, "PNG")
    else:
        data = _encode(base.convert(mode), "TIFF" if mode == "CMYK" else "PNG")
    d = decode_image(data, f"mode-{mode}.png")
    assert d.rgb.shape == (48, 64, 3) and d.rgb.dtype == np.uint8
    if mode == "I;16":  # 16-bit scaled, not clipped: the ramp keeps rising across the row
        row = d.rgb[0, :, 0].astype(int)
        assert row[0] == 0 and row[-1] > 240 and np.all(np.diff(row) >= 0)


def test_alpha_composited_on_white() -> None:
    im = Image.new("RGBA", (40, 40), (255, 0, 0, 0))
    d = decode_image(_encode(im, "PNG"), "clear.png")
    assert d.rgb[0, 0].tolist() == [255, 255, 255]


def test_exif_orientation_applied_and_date_read() -> None:
    arr = np.zeros((40, 80, 3), np.uint8)
    arr[:, :40] = (255, 0, 0)  # left half red
    im = Image.fromarray(arr)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW on display
    exif.get_ifd(0x8769)[0x9003] = "2025:03:04 10:11:12"
    d = decode_image(_encode(im, "JPEG", exif=exif, quality=95), "rotated.jpg")
    assert d.rgb.shape == (80, 40, 3)  # portrait after orientation
    assert d.rgb[5, 20, 0] > 200 and d.rgb[75, 20, 0] < 60  # red half is now on top
    assert d.taken_at == "2025-03-04T10:11:12"


def test_missing_file_message(tmp_path) -> None:
    with pytest.raises(BadImageError, match="gone.jpg: cannot read file"):
        decode_image(tmp_path / "gone.jpg")


def _sparse(path, size: int):
    with open(path, "wb") as fh:
        fh.truncate(size)  # no blocks written: the file system reports the size, nothing to read
    return path


# decimal, as size_text and file managers say it: 205 MB (under 200 MiB) was let through a "200 MB limit"
@pytest.mark.parametrize("size, shown", [(205_000_000, "205.0 MB"), (2 * 2**30, "2.15 GB"), (40 * 2**30, "42.95 GB")])
def test_huge_files_refused_from_their_size_before_reading(tmp_path, monkeypatch, size: int, shown: str) -> None:
    from pathlib import Path

    big = _sparse(tmp_path / "huge.jpg", size)

    def no_reading(*args, **kwargs):  # the refusal must come from stat, not from reading 2-40 GB
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(BadImageError, match=rf"^huge.jpg: file is {shown}, over the 200 MB limit; export a smaller "
                       r"copy, at most 200 MB, from the camera or an image editor, and import that$"):
        decode_image(big)


def test_a_file_of_200_mb_is_within_the_limit(tmp_path) -> None:
    with pytest.raises(BadImageError, match=r"^edge.jpg: not an image file"):  # read and looked at, not refused by size
        decode_image(_sparse(tmp_path / "edge.jpg", 200_000_000))


def test_hundred_megapixel_png_refused_from_its_header(tmp_path) -> None:
    from dermadesk.analysis.decode import read_image_file

    png = tmp_path / "scan.png"
    png.write_bytes(_png_header_only(10000, 10000))
    with pytest.raises(BadImageError, match=r"^scan.png: image is 10000x10000 = 100 megapixels, over the 50 MP limit"):
        read_image_file(png)
    with pytest.raises(BadImageError, match="over the 50 MP limit; export a smaller copy, at most 50 MP, from the "
                       "camera or an image editor, and import that$"):
        decode_image(png)


def test_import_of_huge_files_reports_one_line_each(tmp_path, register, capsys) -> None:
    from dermadesk.main import main

    folder = tmp_path / "batch"
    folder.mkdir()
    _sparse(folder / "a-sparse.jpg", 40 * 2**30)
    (folder / "b-scan.png").write_bytes(_png_header_only(12000, 9000))
    (folder / "c-ok.jpg").write_bytes(lesion_jpeg(1))
    lesion = register.lesions.add("t", register.patients.add("t", "BIG", "Big Files").id, "head/neck")
    code = main(["capture", "add", "--lesion", str(lesion.id), "--no-assess", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1 and "capture 1 (" in out and ") added (c-ok.jpg" in out
    assert err.splitlines() == [
        "dermadesk: error: imported 1 of 3 images; 2 refused:",
        "dermadesk: error: a-sparse.jpg: file is 42.95 GB, over the 200 MB limit; export a smaller copy, at most "
        "200 MB, from the camera or an image editor, and import that",
        "dermadesk: error: b-scan.png: image is 12000x9000 = 108 megapixels, over the 50 MP limit; export a smaller "
        "copy, at most 50 MP, from the camera or an image editor, and import that"]


def test_not_a_regular_file_refused(tmp_path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)  # reading it would block for ever
    with pytest.raises(BadImageError, match="pipe.jpg: not a regular file"):
        decode_image(fifo)
