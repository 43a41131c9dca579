"""A greyscale image is named as such (no colour: dermoscopy needs a colour image; import the colour original),
not given the generic "unlike the dermoscopic images the model was validated on": an 8-bit grey image saved as
JPEG and a 16-bit grey PNG, through the quality check and the engine."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from dermadesk.analysis.decode import decode_image
from dermadesk.analysis.quality import check_quality
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.contract import NOT_ASSESSABLE
from dermadesk.inference.engine import Assessor
from dermadesk.inference.registry import load_entry


def colour() -> np.ndarray:
    return synthetic_lesion(LesionSpec(seed=7), 240, 180)


def grey_jpeg() -> np.ndarray:
    """The colour lesion made grey and saved as an RGB JPEG (a little chroma noise), decoded back."""
    grey = cv2.cvtColor(colour(), cv2.COLOR_RGB2GRAY)
    return decode_image(jpeg_bytes(np.dstack([grey] * 3)), "grey.jpg").rgb


def grey_png16() -> np.ndarray:
    grey = cv2.cvtColor(colour(), cv2.COLOR_RGB2GRAY).astype(np.uint16) * 257
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, "PNG")  # mode I;16
    return decode_image(buf.getvalue(), "grey16.png").rgb


def colour_check(rgb: np.ndarray):
    report = check_quality(rgb)
    return report, next(c for c in report.checks if c.name == "colour")


def test_grey_images_fail_the_colour_check_and_colour_ones_pass() -> None:
    for rgb in (grey_jpeg(), grey_png16()):
        report, check = colour_check(rgb)
        assert check.status == "fail" and report.greyscale and "no colour (greyscale)" in check.message
    report, check = colour_check(colour())
    assert check.status == "pass" and not report.greyscale


def test_the_engine_names_the_missing_colour_and_the_next_step(tiny_model_dir) -> None:
    assessor = Assessor(load_entry(tiny_model_dir / "tiny-test.json"), device="cpu")
    for r in assessor.assess_batch([grey_jpeg(), grey_png16()]):
        assert r.status == NOT_ASSESSABLE and r.risk_tier is None
        assert r.status_codes[0] == "greyscale" and "out_of_distribution" not in r.status_codes
        text = " | ".join(r.status_reasons)
        assert "no colour (greyscale)" in text and "import the colour original" in text
        assert "unlike the dermoscopic images" not in text and "failed the quality check" not in text


def test_a_greyscale_follow_up_is_no_colour_change_but_cannot_tell() -> None:
    """A tester's greyscale retake of a melanoma was refused by the model but called a SIGNIFICANT change for "new
    colour: blue-grey" and "colour no longer seen": a comparison with a grey image cannot judge colour or outline."""
    from dermadesk.analysis.change import compare

    for pair, which in (((colour(), grey_jpeg()), "follow-up"), ((grey_jpeg(), colour()), "baseline")):
        result = compare(*pair, interval_days=90)
        assert result.verdict == "cannot tell", result.reasons
        assert result.reasons[0].startswith(f"cannot compare: the {which} image has no colour (greyscale)")
        assert not any("colour" in r and "new" in r for r in result.reasons)
    assert compare(colour(), colour(), interval_days=90).verdict != "cannot tell"  # two colour images compare
