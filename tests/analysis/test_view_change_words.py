"""How a follow-up's view differs from the baseline's, in words: ``dermadesk compare`` printed "follow-up view turned
-0 degrees" for a turn of a fraction of a degree. A turn that rounds to 0 degrees is not mentioned."""

from __future__ import annotations

import numpy as np
import pytest

from dermadesk.analysis.registration import view_change
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.main import main


def turned(degrees: float, scale: float = 1.0) -> np.ndarray:
    """A follow-up -> baseline similarity: the follow-up turned by ``degrees`` (counter-clockwise as drawn)."""
    r = np.radians(-degrees)
    return np.array([[scale * np.cos(r), -scale * np.sin(r), 3.0], [scale * np.sin(r), scale * np.cos(r), -2.0]])


@pytest.mark.parametrize("degrees", [0.0, 0.3, -0.3, 0.49, -0.49])
def test_a_turn_under_half_a_degree_is_not_mentioned(degrees: float) -> None:
    assert view_change(turned(degrees, 0.8)) == "follow-up view at 1.25x the baseline's magnification"


@pytest.mark.parametrize(
    "degrees, words",
    [
        (20.2, "turned +20 degrees"),
        (-19.6, "turned -20 degrees"),
        (0.6, "turned +1 degree"),
        (-1.2, "turned -1 degree"),
    ],
)
def test_a_turn_is_rounded_before_it_is_written(degrees: float, words: str) -> None:
    assert view_change(turned(degrees)) == f"follow-up view {words}, 1.00x the baseline's magnification"


def test_compare_of_two_files_writes_no_negative_zero(capsys: pytest.CaptureFixture, tmp_path) -> None:
    """The command as a user ran it: the same lesion, the follow-up turned a fifth of a degree."""
    baseline, follow_up = tmp_path / "baseline.jpg", tmp_path / "follow-up.jpg"
    baseline.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=3), 600, 450)))
    follow_up.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=3, scale=1.02), 600, 450, angle=0.004)))
    assert main(["compare", str(baseline), str(follow_up), "--no-assess"]) == 0
    out = capsys.readouterr().out
    assert "follow-up view at 1.00x the baseline's magnification" in out and "-0 " not in out
