"""The canonical pose: a turned or mirrored capture gives the network the same pixels, and its heat map
turns with the capture (contract + engine, on a real ONNX Runtime session with the tiny test model)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.contract import (
    ContractError,
    InputSpec,
    apply_view,
    canonical_view,
    preprocess,
    preprocess_with_view,
    undo_view,
)
from dermadesk.inference.engine import Assessor
from dermadesk.inference.registry import load_entry

SPEC = InputSpec(height=64, width=64, colour_constancy="shades_of_grey", pose="canonical")
VIEWS = [(turns, mirrored) for mirrored in (False, True) for turns in range(4)]


def dihedral(img: np.ndarray) -> list[np.ndarray]:
    return [apply_view(img, v) for v in VIEWS]


def off_centre_lesion(seed: int, w: int = 96, h: int = 96) -> np.ndarray:
    return synthetic_lesion(LesionSpec(seed=seed, radius=0.2), w, h, center=(0.38 * w, 0.44 * h))


def test_every_quarter_turn_and_mirror_of_a_square_capture_gives_the_same_input() -> None:
    for seed in (1, 2, 3):
        views = [preprocess(v, SPEC) for v in dihedral(off_centre_lesion(seed))]
        assert all(np.array_equal(views[0], v) for v in views[1:])


def test_a_non_square_capture_turned_gives_nearly_the_same_input() -> None:
    img = off_centre_lesion(4, 120, 90)  # the resize to 64x64 stretches differently once turned
    views = [preprocess(v, SPEC) for v in dihedral(img)]
    assert max(float(np.abs(views[0] - v).max()) for v in views[1:]) < 0.3
    assert max(float(np.abs(views[0] - v).mean()) for v in views[1:]) < 0.02


def test_the_canonical_view_puts_the_dark_mass_right_of_and_below_the_centre() -> None:
    img = np.full((64, 64, 3), 200, np.uint8)
    img[5:20, 8:30] = 60  # dark patch top-left
    view = canonical_view(img)
    turned = apply_view(img, view)
    ys, xs = np.nonzero(turned[..., 0] < 100)
    x, y = xs.mean() - 31.5, ys.mean() - 31.5
    assert x >= y >= 0 and view != (0, False)
    assert canonical_view(np.full((64, 64, 3), 128, np.uint8)) == (0, False)  # nothing darker: left as is


def test_undo_view_brings_maps_back_and_without_pose_nothing_turns() -> None:
    img = off_centre_lesion(5)
    grey = img.mean(axis=2)
    for view in VIEWS:
        maps = np.stack([apply_view(grey, view)] * 2)  # (C, H, W) computed on the view
        assert np.array_equal(undo_view(maps, view), np.stack([grey] * 2))
    plain = dataclasses.replace(SPEC, pose="none")
    assert preprocess_with_view(np.rot90(img).copy(), plain)[1] == (0, False)
    with pytest.raises(ContractError, match="pose"):
        dataclasses.replace(SPEC, pose="upright").validate()
    with pytest.raises(ContractError, match="square"):
        InputSpec(height=64, width=48, pose="canonical").validate()


@pytest.fixture()
def posed_assessor(tiny_model_dir: Path, tmp_path: Path) -> Assessor:
    for suffix in (".onnx", ".json"):
        shutil.copy(tiny_model_dir / f"tiny-test{suffix}", tmp_path / f"tiny-test{suffix}")
    manifest = json.loads((tmp_path / "tiny-test.json").read_text())
    manifest["input"]["pose"] = "canonical"
    (tmp_path / "tiny-test.json").write_text(json.dumps(manifest))
    return Assessor(load_entry(tmp_path / "tiny-test.json"), device="cpu")


def test_engine_gives_a_turned_capture_the_same_result_and_turns_its_heat_map(posed_assessor: Assessor) -> None:
    assert posed_assessor.entry.manifest.input.pose == "canonical"
    img = off_centre_lesion(6)
    results = posed_assessor.assess_batch(dihedral(img))
    first = results[0]
    for view, r in zip(VIEWS, results):
        assert r.probabilities == pytest.approx(first.probabilities, abs=1e-6) and r.risk_tier == first.risk_tier
        # the heat map is in the capture's own orientation: the view of the first capture's map
        assert np.allclose(r.heatmap(), apply_view(first.heatmap(), view), atol=1e-6)
