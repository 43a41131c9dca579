"""A trained network back from its exported ONNX graph (``python -m training.onnx_weights``): the graph keeps each
weight under its PyTorch name ("net." + the state_dict key; float16 or int8 where the export stored it so), so a
shipped model whose checkpoint is gone can join an ensemble again. Version 3.0.0's third member was made so from 2.1.0.

An ensemble's graph keeps member N under "net.members.N." (``--member N``), and its exporter folded each
BatchNorm into the convolution before it (the conv's weight scaled, its bias stored as "<conv>.weight_bias");
such a BatchNorm is read back as the identity plus that bias, which computes the same. Version 3.1.0's
validation ablation compared 3.0.0's members read back so."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

PREFIX = "net."


def conv_batchnorms(like: dict[str, Any]) -> dict[str, str]:
    """Each BatchNorm's module name -> the convolution before it, in the state_dict's (registration) order."""
    pairs, last_conv = {}, None
    for key, tensor in like.items():
        if key.endswith(".running_mean"):
            if last_conv is not None:
                pairs[key.removesuffix(".running_mean")] = last_conv
            last_conv = None
        elif key.endswith(".weight") and getattr(tensor, "ndim", 0) == 4:
            last_conv = key.removesuffix(".weight")
    return pairs


def state_from_onnx(
    onnx_path: Path, like: dict[str, Any], prefix: str = PREFIX, eps: dict[str, float] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """``like`` (a state_dict of the same architecture) with every tensor the graph holds under ``prefix``
    replaced by the graph's, a folded BatchNorm made the identity plus the folded bias (``eps``: each
    BatchNorm's epsilon by module name, needed for folded ones); returns it and the keys the graph does not hold
    (BatchNorm counters, the unused ImageNet classifier)."""
    import onnx
    import torch

    graph = onnx.load(str(onnx_path)).graph
    stored = stored_weights(graph)
    if not any(name.startswith(prefix) for name in stored):
        raise ValueError(f"{onnx_path.name} holds no weights under '{prefix}' (an ensemble's member: --member N)")
    folded = {}
    for bn, conv in conv_batchnorms(like).items():
        bias = stored.get(f"{prefix}{conv}.weight_bias")
        if bias is not None and f"{prefix}{bn}.running_mean" not in stored:
            folded[bn] = np.asarray(bias, np.float32)
    state, missing = {}, []
    for key, tensor in like.items():
        value = stored.get(prefix + key)
        module, _, field = key.rpartition(".")
        if value is None and module in folded and field in ("weight", "bias", "running_mean", "running_var"):
            if eps is None or module not in eps:
                raise ValueError(f"{module} was folded into {conv_batchnorms(like)[module]}: its epsilon is needed")
            value = identity_batchnorm(folded[module], field, eps[module])
        if value is None:
            missing.append(key)
            state[key] = tensor
            continue
        if tuple(value.shape) != tuple(tensor.shape):
            raise ValueError(f"{key}: the graph holds shape {value.shape}, the network {tuple(tensor.shape)}")
        state[key] = torch.from_numpy(np.array(value)).to(tensor.dtype)
    return state, missing


def stored_weights(graph: Any) -> dict[str, np.ndarray]:
    """Every initializer by the name the graph computes with: float16 ("__fp16") as stored, int8 ("__int8")
    multiplied back by its per-channel "__scale" (``training.export.store_weights_int8``)."""
    from onnx import numpy_helper

    raw = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    stored = {}
    for name, values in raw.items():
        if name.endswith("__scale") and name.removesuffix("__scale") + "__int8" in raw:
            continue
        if name.endswith("__int8"):
            base = name.removesuffix("__int8")
            stored[base] = values.astype(np.float32) * raw[f"{base}__scale"]
        else:
            stored[name.removesuffix("__fp16")] = values
    return stored


def identity_batchnorm(bias: np.ndarray, field: str, eps: float) -> np.ndarray:
    """A BatchNorm field that makes it add ``bias`` and nothing else (running_var 1 - eps: sqrt(var + eps) = 1)."""
    ones = np.ones_like(bias)
    return {"weight": ones, "bias": bias, "running_mean": np.zeros_like(bias), "running_var": ones - eps}[field]


def checkpoint_from_onnx(
    onnx_path: Path, template: Path, out: Path, member: int | None = None, **config: Any
) -> list[str]:
    """Write ``out``: ``template``'s checkpoint (a member of the same recipe) with the graph's weights (of ensemble
    member ``member``, when given) and ``config`` updates (seed, where it came from); returns the keys taken from
    the template."""
    import torch

    from training.train import load_model_from_checkpoint

    ckpt = torch.load(template, map_location="cpu", weights_only=False)
    net = load_model_from_checkpoint(template)[0]
    eps = {name: m.eps for name, m in net.named_modules() if isinstance(m, torch.nn.BatchNorm2d)}
    prefix = PREFIX if member is None else f"{PREFIX}members.{member}."
    state, missing = state_from_onnx(onnx_path, ckpt["model"], prefix, eps)
    cfg = dict(ckpt["config"], weights_from=str(onnx_path), **config)
    torch.save({**ckpt, "config": cfg, "model": state, "best": float("nan"), "history": []}, out)
    return missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.onnx_weights", description=__doc__)
    ap.add_argument("--onnx", required=True, help="an exported model's .onnx")
    ap.add_argument("--member", type=int, help="an ensemble's graph: the member to read back (0, 1, ...)")
    ap.add_argument("--like", required=True, help="a checkpoint of the same architecture and recipe")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, help="the seed the network was trained with")
    a = ap.parse_args(argv)
    extra = {"seed": a.seed} if a.seed is not None else {}
    if a.member is not None:
        extra["weights_member"] = a.member
    missing = checkpoint_from_onnx(Path(a.onnx), Path(a.like), Path(a.out), a.member, **extra)
    print(f"wrote {a.out}; kept from {a.like}: {', '.join(m for m in missing if 'num_batches' not in m) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
