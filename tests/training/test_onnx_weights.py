"""A network read back from its exported graph (float16- or int8-stored too) gives the graph's outputs again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from training.export import export_onnx, parity_tolerance, store_weights, store_weights_half  # noqa: E402
from training.onnx_weights import main  # noqa: E402
from training.train import load_model_from_checkpoint  # noqa: E402
from tests.training.test_ensemble import member  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("storage", ["float16", "int8"])
def test_a_network_read_back_from_its_graph_matches_it(tmp_path: Path, storage: str) -> None:
    shipped = load_model_from_checkpoint(member(tmp_path / "shipped.pt", 3))[0]
    graph = tmp_path / "shipped.onnx"
    export_onnx(shipped, graph, 64, hflip_tta="none")
    assert store_weights(graph, storage) > 0  # as shipped models are stored
    other = member(tmp_path / "other.pt", 7)  # same recipe, other weights: the template
    out = tmp_path / "back.pt"
    assert main(["--onnx", str(graph), "--like", str(other), "--out", str(out), "--seed", "3"]) == 0
    back, ckpt = load_model_from_checkpoint(out)
    assert ckpt["config"]["seed"] == 3 and ckpt["config"]["weights_from"] == str(graph)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        want, got = shipped.forward_all(x)[0], back.forward_all(x)[0]
        template = load_model_from_checkpoint(other)[0].forward_all(x)[0]
    tolerance = 2e-2 if storage == "float16" else parity_tolerance("int8") * max(1.0, float(want.abs().max()))
    assert np.allclose(got.numpy(), want.numpy(), atol=tolerance)  # storage rounds the weights
    assert not np.allclose(template.numpy(), want.numpy(), atol=2e-2)


def trained_looking(path: Path, seed: int) -> Path:
    """A member whose BatchNorms hold statistics and affine weights unlike the identity (as training leaves
    them), so that the exporter folds them into the convolutions with a bias of their own."""
    ckpt = torch.load(member(path, seed), weights_only=False)
    gen = torch.Generator().manual_seed(seed)
    for key, tensor in ckpt["model"].items():
        if key.endswith(("running_var", ".weight")) and tensor.ndim == 1:
            ckpt["model"][key] = 0.5 + torch.rand(tensor.shape, generator=gen)
        elif key.endswith(("running_mean", ".bias")) and tensor.ndim == 1 and not key.startswith("fc."):
            ckpt["model"][key] = 0.2 * torch.randn(tensor.shape, generator=gen)
    torch.save(ckpt, path)
    return path


@pytest.mark.slow
def test_a_member_read_back_from_an_ensembles_graph_with_folded_batchnorms_matches_it(tmp_path: Path) -> None:
    import onnx

    from training.__main__ import main as training_main

    paths = [trained_looking(tmp_path / f"m{i}.pt", i) for i in (1, 2)]
    ensemble = tmp_path / "ens.pt"
    assert training_main(["ensemble", "--members", *map(str, paths), "--out", str(ensemble)]) == 0
    graph = tmp_path / "ens.onnx"
    export_onnx(load_model_from_checkpoint(ensemble)[0], graph, 64, hflip_tta="none")
    store_weights_half(graph)
    names = [i.name for i in onnx.load(str(graph)).graph.initializer]
    assert not any("bn1" in n for n in names) and any(n.endswith("weight_bias__fp16") for n in names)  # folded
    template = member(tmp_path / "template.pt", 7)
    out = tmp_path / "back.pt"
    assert main(["--onnx", str(graph), "--like", str(template), "--out", str(out), "--member", "1"]) == 0
    back, ckpt = load_model_from_checkpoint(out)
    assert ckpt["config"]["weights_member"] == 1
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        want = load_model_from_checkpoint(paths[1])[0].forward_all(x)[0]
        other = load_model_from_checkpoint(paths[0])[0].forward_all(x)[0]
        got = back.forward_all(x)[0]
    scale = float(want.abs().max())
    assert np.allclose(got.numpy(), want.numpy(), atol=2e-2 * scale)  # float16 storage rounds the weights
    assert not np.allclose(other.numpy(), want.numpy(), atol=2e-2 * scale)  # member 1, not member 0


def test_int8_weights_read_back_are_the_ones_the_graph_computes_with(tmp_path: Path) -> None:
    """Per output channel: each row keeps its own scale (a small row is not flattened by a large one)."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    from training.export import store_weights_int8
    from training.onnx_weights import stored_weights

    rng = np.random.default_rng(0)
    weight = rng.normal(size=(8, 4, 3, 3)).astype(np.float32)
    weight[3] *= 1e-3  # one channel far smaller than the rest
    node = helper.make_node("Conv", ["x", "net.conv.weight"], ["y"], pads=[1, 1, 1, 1])
    graph = tmp_path / "conv.onnx"
    io = [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 5, 5]),
        helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 5, 5]),
    ]
    init = [numpy_helper.from_array(weight, "net.conv.weight")]
    onnx.save(
        helper.make_model(
            helper.make_graph([node], "g", io[:1], io[1:], init),
            opset_imports=[helper.make_opsetid("", 18)],
            ir_version=9,
        ),
        str(graph),
    )
    x = rng.normal(size=(1, 4, 5, 5)).astype(np.float32)
    before = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    assert store_weights_int8(graph, min_elements=100) == 1
    stored = onnx.load(str(graph)).graph
    assert {i.name: i.data_type for i in stored.initializer}["net.conv.weight__int8"] == TensorProto.INT8
    back = stored_weights(stored)["net.conv.weight"]
    rows = np.abs(back - weight).reshape(8, -1).max(axis=1)
    assert np.all(rows <= np.abs(weight).reshape(8, -1).max(axis=1) / 254 + 1e-9) and rows[3] < 1e-5
    after = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    onnx.save(
        helper.make_model(
            helper.make_graph([node], "g", io[:1], io[1:], [numpy_helper.from_array(back, "net.conv.weight")]),
            opset_imports=[helper.make_opsetid("", 18)],
            ir_version=9,
        ),
        str(tmp_path / "back.onnx"),
    )
    again = ort.InferenceSession(str(tmp_path / "back.onnx"), providers=["CPUExecutionProvider"]).run(None, {"x": x})
    assert np.allclose(after, again[0], atol=1e-5)  # the read-back weights compute what the stored graph does
    assert 0 < np.abs(after - before).max() < 0.05 * np.abs(before).max()


def test_a_graph_without_the_member_asked_for_is_refused(tmp_path: Path) -> None:
    import onnx
    from onnx import helper, numpy_helper

    weight = numpy_helper.from_array(np.ones((2, 2), np.float32), "net.fc.weight")  # one network's graph
    node = helper.make_node("MatMul", ["x", "net.fc.weight"], ["y"])
    io = [helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, [1, 2]) for n in ("x", "y")]
    graph = tmp_path / "one.onnx"
    onnx.save(helper.make_model(helper.make_graph([node], "one", io[:1], io[1:], [weight])), str(graph))
    out = tmp_path / "x.pt"
    with pytest.raises(ValueError, match="no weights under 'net.members.2.'"):
        main(["--onnx", str(graph), "--like", str(member(tmp_path / "t.pt", 3)), "--out", str(out), "--member", "2"])
    assert not out.exists()
