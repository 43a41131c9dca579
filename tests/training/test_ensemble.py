"""An ensemble checkpoint: averaged logits and CAMs, embeddings side by side, one ONNX graph that agrees."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from training.__main__ import main as training_main  # noqa: E402
from training.ensemble import EnsembleNet  # noqa: E402
from training.export import export_onnx, parity  # noqa: E402
from training.model import build_model, forward_tta  # noqa: E402
from training.train import load_model_from_checkpoint, spec_from_config  # noqa: E402

CONFIG = {
    "architecture": "efficientnet_lite0",
    "size": 64,
    "dropout": 0.2,
    "colour_constancy": "shades_of_grey",
    "norm": "imagenet",
    "augment": "strong",
    "data": "synthetic",
}


def member(path: Path, seed: int, **config: object) -> Path:
    torch.manual_seed(seed)
    net = build_model("efficientnet_lite0", None).eval()
    history = [{"epoch": 0, "val_score": 0.5, "seconds": 2.0}]
    torch.save(
        {
            "config": dict(CONFIG, seed=seed, **config),
            "model": net.state_dict(),
            "epoch": 0,
            "best": 0.4 + seed / 10,
            "history": history,
        },
        path,
    )
    return path


@pytest.mark.slow
def test_ensemble_averages_members_and_exports_one_graph_that_agrees(tmp_path: Path) -> None:
    paths = [member(tmp_path / f"m{i}.pt", i) for i in (1, 2)]
    out = tmp_path / "ens.pt"
    assert training_main(["ensemble", "--members", *map(str, paths), "--out", str(out)]) == 0
    model, ckpt = load_model_from_checkpoint(out)
    assert isinstance(model, EnsembleNet) and len(model.members) == 2
    assert [m["seed"] for m in ckpt["config"]["ensemble"]] == [1, 2] and len(ckpt["history"]) == 2
    assert ckpt["best"] == pytest.approx(0.55)
    x = torch.randn(3, 3, 64, 64)
    singles = [load_model_from_checkpoint(p)[0] for p in paths]
    with torch.no_grad():
        logits, emb, cams = model.forward_all(x)
        parts = [m.forward_all(x) for m in singles]
    assert torch.allclose(logits, (parts[0][0] + parts[1][0]) / 2, atol=1e-5)
    assert torch.equal(emb, torch.cat([parts[0][1], parts[1][1]], dim=1)) and emb.shape[1] == 2 * 1280
    bias = sum(m.fc.bias for m in model.members) / 2
    assert torch.allclose(cams.mean(dim=(2, 3)) + bias, logits, atol=1e-4)  # the CAM contract holds
    onnx_path = tmp_path / "ens.onnx"
    export_onnx(model, onnx_path, 64, hflip_tta="flip")
    rng = np.random.default_rng(0)
    diffs = parity(
        model,
        onnx_path,
        spec_from_config(ckpt["config"]),
        [rng.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(2)],
        hflip_tta="flip",
    )
    assert max(diffs.values()) < 1e-3
    with torch.no_grad():  # TTA views pass through the ensemble like through one network
        assert forward_tta(model, x, "flip")[1].shape == (3, 2 * 1280)


def test_ensemble_refuses_members_with_another_input(tmp_path: Path) -> None:
    a = member(tmp_path / "a.pt", 1)
    b = member(tmp_path / "b.pt", 2, size=96)
    with pytest.raises(ValueError, match="does not fit the first member"):
        training_main(["ensemble", "--members", str(a), str(b), "--out", str(tmp_path / "e.pt")])
    assert not (tmp_path / "e.pt").exists()


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
def test_calibrate_and_evaluate_predict_through_onnx_runtime_with_the_same_figures(tmp_path: Path) -> None:
    from training.export import OnnxRuntimeNet, fast_runtime
    from training.train import predict

    model, ckpt = load_model_from_checkpoint(member(tmp_path / "m.pt", 3))
    spec = spec_from_config(ckpt["config"])
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, (60, 80, 3), dtype=np.uint8) for _ in range(5)]
    fast = fast_runtime(model, 64, torch.device("cpu"))
    assert isinstance(fast, OnnxRuntimeNet)
    with torch.no_grad():
        ref = predict(model, images, spec, torch.device("cpu"), batch_size=2, hflip_tta="flip")
        got = predict(fast, images, spec, torch.device("cpu"), batch_size=2, hflip_tta="flip")
    for r, g in zip(ref, got):
        assert g.shape == r.shape and np.allclose(g, r, atol=1e-3 * max(1.0, float(np.abs(r).max())))


def test_model_card_names_the_members_of_an_ensemble(tmp_path: Path) -> None:
    from training.ensemble import combine_checkpoints
    from training.modelcard import ensemble_lines

    state = combine_checkpoints([member(tmp_path / f"m{i}.pt", i) for i in (1, 2)], tmp_path / "e.pt")
    lines = ensemble_lines(state["config"])
    assert "2 networks" in lines[0] and "seeds 1, 2" in lines[0]
    assert lines[1:] == [
        "  - seed 1: best epoch 1 of 1 (validation score 0.500)",  # counted from 1, as the epochs run are
        "  - seed 2: best epoch 1 of 1 (validation score 0.600)",
    ]
    assert ensemble_lines({"architecture": "efficientnet_lite0"}) == []  # a single network: no such section
    assert state["config"]["weights_storage"] == "float32"
    for storage in ("float16", "int8"):
        stored = combine_checkpoints([tmp_path / "m1.pt", tmp_path / "m2.pt"], tmp_path / "h.pt", storage)
        assert stored["config"]["weights_storage"] == storage
    with pytest.raises(ValueError, match="unknown weight storage 'int4'"):
        combine_checkpoints([tmp_path / "m1.pt", tmp_path / "m2.pt"], tmp_path / "h.pt", "int4")


@pytest.mark.slow
@pytest.mark.parametrize("storage, largest_share", [("float16", 0.6), ("int8", 0.35)])
def test_stored_weights_shrink_the_file_and_the_measured_graph_is_the_stored_one(
    tmp_path: Path, storage: str, largest_share: float
) -> None:
    import onnxruntime as ort

    from training.export import OnnxRuntimeNet, fast_runtime, parity_tolerance, store_weights

    model, ckpt = load_model_from_checkpoint(member(tmp_path / "m.pt", 4))
    full, stored = tmp_path / "full.onnx", tmp_path / "stored.onnx"
    export_onnx(model, full, 64, hflip_tta="none")
    export_onnx(model, stored, 64, hflip_tta="none")
    assert store_weights(stored, storage) > 10
    assert stored.stat().st_size < largest_share * full.stat().st_size
    x = np.random.default_rng(2).normal(size=(2, 3, 64, 64)).astype(np.float32)
    a, b = (
        ort.InferenceSession(str(p), providers=["CPUExecutionProvider"]).run(None, {"image": x}) for p in (full, stored)
    )
    for u, v in zip(a, b):
        assert 0 < np.abs(u - v).max() <= parity_tolerance(storage) * max(1.0, float(np.abs(u).max()))
    measured = fast_runtime(model, 64, torch.device("cpu"), storage)  # what calibrate/evaluate run
    assert isinstance(measured, OnnxRuntimeNet)
    with torch.no_grad():
        got = measured.forward_all(torch.from_numpy(x))
    assert all(np.allclose(g.numpy(), v, atol=1e-6) for g, v in zip(got, b))
    state = torch.load(tmp_path / "m.pt", weights_only=False)
    assert "weights_storage" not in state["config"]  # a single network stays float32 unless combined with the flag
