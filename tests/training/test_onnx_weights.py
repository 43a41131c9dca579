"""A network read back from its exported graph (float16-stored too) gives the graph's outputs again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from training.export import export_onnx, store_weights_half  # noqa: E402
from training.onnx_weights import main  # noqa: E402
from training.train import load_model_from_checkpoint  # noqa: E402
from tests.training.test_ensemble import member  # noqa: E402


@pytest.mark.slow
def test_a_network_read_back_from_its_graph_matches_it(tmp_path: Path) -> None:
    shipped = load_model_from_checkpoint(member(tmp_path / "shipped.pt", 3))[0]
    graph = tmp_path / "shipped.onnx"
    export_onnx(shipped, graph, 64, hflip_tta="none")
    assert store_weights_half(graph) > 0  # as shipped models are stored
    other = member(tmp_path / "other.pt", 7)  # same recipe, other weights: the template
    out = tmp_path / "back.pt"
    assert main(["--onnx", str(graph), "--like", str(other), "--out", str(out), "--seed", "3"]) == 0
    back, ckpt = load_model_from_checkpoint(out)
    assert ckpt["config"]["seed"] == 3 and ckpt["config"]["weights_from"] == str(graph)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        want, got = shipped.forward_all(x)[0], back.forward_all(x)[0]
        template = load_model_from_checkpoint(other)[0].forward_all(x)[0]
    assert np.allclose(got.numpy(), want.numpy(), atol=2e-2)  # float16 storage rounds the weights
    assert not np.allclose(template.numpy(), want.numpy(), atol=2e-2)
