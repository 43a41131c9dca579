"""The background image loader: thumbnails cached, superseded requests dropped, bad files reported as None."""

from __future__ import annotations

from pathlib import Path

import cv2

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.ui.image_loader import ImageLoader


def big_jpeg(path: Path) -> Path:
    path.write_bytes(jpeg_bytes(cv2.resize(synthetic_lesion(LesionSpec(seed=5), 600, 400), (4000, 3000))))
    return path


def test_superseded_requests_in_a_group_are_dropped(qtbot, tmp_path: Path) -> None:
    loader = ImageLoader()
    path = big_jpeg(tmp_path / "big.jpg")
    arrived: list[int] = []
    for i in range(12):  # a user holding Ctrl+Right through a timeline
        loader.load(f"k{i}", path, None, lambda image, i=i: arrived.append(i), group="capture")
    qtbot.waitUntil(lambda: not loader.busy(), timeout=30000)
    assert arrived[-1] == 11  # the capture the user stopped at always arrives
    assert arrived == [11]  # the ones already decoding finish, but nothing older than 11 is delivered


def test_thumbnails_cached_and_unreadable_files_give_none(qtbot, tmp_path: Path) -> None:
    loader = ImageLoader()
    path = big_jpeg(tmp_path / "big.jpg")
    got: list[object] = []
    loader.load("sha", path, 192, got.append)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=10000)
    assert max(got[0].width(), got[0].height()) == 192
    loader.load("sha", path, 192, got.append)  # from the cache, at once
    assert len(got) == 2 and got[1] is got[0] and loader.cached("sha", 192) is got[0]
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a jpeg")
    loader.load("bad", broken, None, got.append)
    loader.load("gone", tmp_path / "missing.jpg", None, got.append)
    qtbot.waitUntil(lambda: len(got) == 4, timeout=10000)
    assert got[2] is None and got[3] is None


def test_worker_decode_turns_by_exif_and_reads_grey_and_16_bit(tmp_path: Path) -> None:
    """The worker's decode (Pillow, no Qt object but the QImage: see image_from_file) keeps what QImageReader did:
    EXIF orientation applied, any bit depth to RGB, a thumbnail no longer than asked."""
    import numpy as np
    from PIL import Image

    from dermadesk.ui.images import image_from_file

    wide = Image.fromarray(synthetic_lesion(LesionSpec(seed=3), 400, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to view
    wide.save(tmp_path / "turned.jpg", exif=exif)
    full, thumb = image_from_file(str(tmp_path / "turned.jpg")), image_from_file(str(tmp_path / "turned.jpg"), 100)
    assert (full.width(), full.height()) == (200, 400) and (thumb.width(), thumb.height()) == (50, 100)
    ramp = (np.arange(64 * 64, dtype=np.uint16).reshape(64, 64) * 16).astype(np.uint16)
    Image.fromarray(ramp).save(tmp_path / "deep.png")  # 16-bit grey
    deep = image_from_file(str(tmp_path / "deep.png"))
    assert (deep.width(), deep.height()) == (64, 64)
    assert deep.pixelColor(63, 63).red() > 200 and deep.pixelColor(0, 0).red() < 10
