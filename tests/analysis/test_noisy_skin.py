"""Faint skin texture under independent sensor noise (walkthrough 22): freckles in the same places in both captures,
each capture with its own fine noise. The noise outweighed the freckles in the skin score, so a grown lesion came out
'cannot tell: the skin around the lesion does not line up' and a correct alignment by hand 'agrees poorly'."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from dermadesk.analysis.change import compare
from dermadesk.analysis.hand_alignment import similarity_from_points


def freckled(scale: float = 1.0, noise_seed: int = 0, freckle_seed: int = 42) -> np.ndarray:
    """A flat dark oval (radii 60 x 45 px times ``scale``) on skin with 60 faint freckles, 600x450, with noise of
    its own (sd 6 before the blur), blurred and saved as JPEG: as the walkthrough's images were made."""
    img = np.empty((450, 600, 3), np.float32)
    img[...] = (224, 172, 150)
    img += np.random.default_rng(noise_seed).normal(0, 6, (450, 600, 1))
    img = np.clip(img, 0, 255).astype(np.uint8)
    spots = np.random.default_rng(freckle_seed)
    for _ in range(60):
        cv2.circle(img, (int(spots.integers(0, 600)), int(spots.integers(0, 450))), 2, (200, 150, 128), -1)
    cv2.ellipse(img, (300, 225), (round(60 * scale), round(45 * scale)), 0, 0, 360, (110, 70, 45), -1)
    img = cv2.GaussianBlur(img, (0, 0), 2)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert ok
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


SPOTS = [(150.0, 100.0), (450.0, 120.0), (300.0, 380.0)]


def test_grown_lesion_on_freckled_noisy_skin_is_compared_and_flagged() -> None:
    r = compare(freckled(), freckled(1.5, noise_seed=1), interval_days=90)
    assert r.alignment.ok, r.reasons
    assert r.alignment.score >= 0.5 and r.alignment.scale == pytest.approx(1.0, abs=0.02)
    assert r.area_change_percent == pytest.approx(125, abs=10)
    assert r.verdict == "significant" and "area grew" in r.reasons[0], r.reasons


def test_unchanged_lesion_on_freckled_noisy_skin_is_not_flagged() -> None:
    r = compare(freckled(), freckled(noise_seed=1), interval_days=90)
    assert r.alignment.ok, r.reasons
    assert abs(r.area_change_percent) < 5
    assert r.verdict == "not significant", r.reasons


def test_freckles_placed_otherwise_are_still_refused() -> None:
    """The same oval on skin whose freckles lie elsewhere: another place on the body, not the same view."""
    r = compare(freckled(), freckled(1.5, noise_seed=1, freckle_seed=7), interval_days=90)
    assert not r.alignment.ok
    assert r.alignment.score < 0.2
    assert "the skin around the lesion does not line up" in r.reasons[0], r.reasons


def test_hand_alignment_on_freckled_noisy_skin_agrees_unless_the_points_are_off() -> None:
    base, follow = freckled(), freckled(1.5, noise_seed=1)
    right = similarity_from_points([(p, p) for p in SPOTS])
    r = compare(base, follow, interval_days=90, manual_matrix=right, manual_pairs=3)
    assert r.alignment.ok and r.alignment.score >= 0.5
    assert not any("agrees poorly" in reason for reason in r.reasons), r.reasons
    off = similarity_from_points([(p, (p[0] + 8, p[1])) for p in SPOTS])  # every point 8 px to the right
    r = compare(base, follow, interval_days=90, manual_matrix=off, manual_pairs=3)
    assert r.alignment.score < 0.35
    assert any("the skin around the lesion agrees poorly" in reason for reason in r.reasons), r.reasons
