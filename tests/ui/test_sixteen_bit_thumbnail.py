"""A 16-bit greyscale PNG capture (Pillow mode 'I;16') showed a blank blue-grey thumbnail in the capture list while
the large image and the report were right: Pillow cannot scale such an image ("image has wrong mode"), so the
thumbnail's decode gave nothing. It is turned into 8-bit RGB the way the analysis decoder does, then scaled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.timeline import THUMB_SOURCE_SIDE


def grey_16_bit_png(path: Path) -> Path:
    rgb = synthetic_lesion(LesionSpec(seed=4), 1600, 1200)  # over twice a thumbnail: Pillow reduces first
    grey = (rgb.astype(np.float32).mean(axis=2) * 257).astype(np.uint16)
    Image.fromarray(grey).save(path)
    with Image.open(path) as im:
        assert im.mode == "I;16"
    return path


def test_a_16_bit_grey_capture_has_its_picture_as_thumbnail(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    lesion = reg.lesions.add("t", reg.patients.add("t", "GREY-16", "Grey Sixteen").id, "anterior torso")
    import_files(reg, "t", lesion.id, [grey_16_bit_png(tmp_path / "deep.png")], CaptureMeta(taken_at="2026-11-23"))
    window.refresh(lesion.patient_id)
    window.show_lesion(lesion.id)
    item = window.timeline.item(0)
    placeholder = item.icon().pixmap(window.timeline.iconSize()).toImage()
    qtbot.waitUntil(lambda: item.icon().pixmap(window.timeline.iconSize()).toImage() != placeholder, timeout=20000)
    image = item.icon().pixmap(THUMB_SOURCE_SIDE).toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    corner = image.pixelColor(2, 2)
    assert centre.red() == centre.green() == centre.blue()  # grey, as the large image shows it
    assert corner.lightness() - centre.lightness() > 60  # the dark lesion on lighter skin, not one flat colour


def test_the_thumbnail_read_scales_a_16_bit_grey_file(tmp_path: Path) -> None:
    from dermadesk.ui.images import image_from_file

    path = grey_16_bit_png(tmp_path / "deep.png")
    thumb, full = image_from_file(str(path), THUMB_SOURCE_SIDE), image_from_file(str(path))
    assert (thumb.width(), thumb.height()) == (THUMB_SOURCE_SIDE, THUMB_SOURCE_SIDE * 3 // 4)
    scaled = full.scaled(thumb.size())  # the same pixels as the large image, only smaller
    assert abs(thumb.pixelColor(96, 72).red() - scaled.pixelColor(96, 72).red()) < 20
