"""A trained network back from its exported ONNX graph (``python -m training.onnx_weights``): the graph keeps each
weight under its PyTorch name ("net." + the state_dict key; float16 where the export stored it so), so a shipped
model whose checkpoint is gone can join an ensemble again. Version 3.0.0's third member was made so from 2.1.0."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

PREFIX = "net."


def state_from_onnx(onnx_path: Path, like: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``like`` (a state_dict of the same architecture) with every tensor the graph holds replaced by the graph's;
    returns it and the keys the graph does not hold (BatchNorm counters, the unused ImageNet classifier)."""
    import onnx
    import torch
    from onnx import numpy_helper

    graph = onnx.load(str(onnx_path)).graph
    stored = {i.name.removesuffix("__fp16"): numpy_helper.to_array(i) for i in graph.initializer}
    state, missing = {}, []
    for key, tensor in like.items():
        value = stored.get(PREFIX + key)
        if value is None:
            missing.append(key)
            state[key] = tensor
            continue
        if tuple(value.shape) != tuple(tensor.shape):
            raise ValueError(f"{key}: the graph holds shape {value.shape}, the network {tuple(tensor.shape)}")
        state[key] = torch.from_numpy(np.array(value)).to(tensor.dtype)
    return state, missing


def checkpoint_from_onnx(onnx_path: Path, template: Path, out: Path, **config: Any) -> list[str]:
    """Write ``out``: ``template``'s checkpoint (a member of the same recipe) with the graph's weights and ``config``
    updates (seed, epoch, where it came from); returns the keys taken from the template."""
    import torch

    ckpt = torch.load(template, map_location="cpu", weights_only=False)
    state, missing = state_from_onnx(onnx_path, ckpt["model"])
    cfg = dict(ckpt["config"], weights_from=str(onnx_path), **config)
    torch.save({**ckpt, "config": cfg, "model": state, "best": float("nan"), "history": []}, out)
    return missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.onnx_weights", description=__doc__)
    ap.add_argument("--onnx", required=True, help="an exported model's .onnx (one network, not an ensemble)")
    ap.add_argument("--like", required=True, help="a checkpoint of the same architecture and recipe")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, help="the seed the network was trained with")
    a = ap.parse_args(argv)
    extra = {"seed": a.seed} if a.seed is not None else {}
    missing = checkpoint_from_onnx(Path(a.onnx), Path(a.like), Path(a.out), **extra)
    print(f"wrote {a.out}; kept from {a.like}: {', '.join(m for m in missing if 'num_batches' not in m) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
