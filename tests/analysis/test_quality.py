"""The framing check: a lesion running off the image is flagged, since its growth cannot be followed."""

from __future__ import annotations

import cv2
import numpy as np

from dermadesk.analysis.change import compare
from dermadesk.analysis.quality import check_quality
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion


def framing(rgb: np.ndarray):
    return next(c for c in check_quality(rgb).checks if c.name == "framing")


def test_whole_lesion_in_view_passes() -> None:
    check = framing(synthetic_lesion(LesionSpec(seed=21)))
    assert check.status == "pass" and check.value == 0.0


def test_lesion_cut_off_by_the_frame_warns() -> None:
    report = check_quality(synthetic_lesion(LesionSpec(seed=21), center=(580.0, 225.0)))
    check = next(c for c in report.checks if c.name == "framing")
    assert check.status == "warn" and check.value >= 0.05
    assert any("reaches the edge of the image" in p for p in report.problems)


def test_plain_skin_warns_that_a_change_measured_may_be_unreliable() -> None:
    """Not "will not work": a comparison outlines at a larger size and may find an outline this coarse look missed
    (a faint lesion filling the view), and then measures a change beside this warning."""
    check = framing(np.full((300, 400, 3), (220, 170, 150), np.uint8))
    assert check.status == "warn" and check.message.startswith("no clear lesion outline found")
    assert "may be unreliable" in check.message and "will not work" not in check.message


def test_a_blank_image_is_called_blank_not_blurred() -> None:
    checks = {c.name: c for c in check_quality(np.full((300, 400, 3), 128, np.uint8)).checks}
    assert checks["focus"].status == "fail" and "no detail at all" in checks["focus"].message
    blurred = cv2.GaussianBlur(synthetic_lesion(LesionSpec(seed=1), 400, 300), (0, 0), 8)
    focus = {c.name: c for c in check_quality(blurred).checks}["focus"]
    assert focus.status != "pass" and "blurred" in focus.message


def test_cut_off_warned_at_import_where_a_comparison_refuses_it() -> None:
    """A lesion a comparison refuses as cut off is warned about at import; one well in view passes both. (Near the
    threshold the import's coarse 160 px check may warn a little early: 347 px here, where a comparison still
    clears the lesion; measuring as the comparison does cost 65 ms an image, see quality.framing_check.)"""
    for centre_y, cut in ((320.0, False), (356.0, True)):
        image = synthetic_lesion(LesionSpec(seed=5), center=(300.0, centre_y))
        again = np.clip(image.astype(np.float32) * 1.08, 0, 255).astype(np.uint8)  # the same view, relit
        result = compare(image, again, interval_days=90)
        assert result.alignment.ok and result.cut_off == cut, (centre_y, result.reasons)
        assert (framing(image).status == "warn") == cut, (centre_y, framing(image))
