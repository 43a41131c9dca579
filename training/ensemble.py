"""Several trained networks as one model: averaged logits and CAMs, embeddings side by side.

The members share one architecture and input size, so their CAMs have the same shape; the mean of
linear heads is a linear head, so the CAM contract (logits = mean(cams) + bias) still holds. The
embedding is the members' embeddings concatenated: each network's feature space is its own, and the
out-of-distribution statistics are fitted on the whole vector. One checkpoint file holds all members,
so calibrate, evaluate and export take it like any other checkpoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

MEMBER_KEYS = ("architecture", "size", "colour_constancy", "norm", "pose")


class EnsembleNet(nn.Module):
    """Members evaluated on the same input; see the module docstring for how the outputs combine."""

    def __init__(self, members: list[nn.Module]) -> None:
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        self.members = nn.ModuleList(members)
        self.architecture = str(getattr(members[0], "architecture", ""))
        self.feature_dim = sum(int(m.feature_dim) for m in members)

    def forward_all(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        outs = [m.forward_all(x) for m in self.members]
        logits = torch.stack([o[0] for o in outs]).mean(0)
        embedding = torch.cat([o[1] for o in outs], dim=1)
        cams = torch.stack([o[2] for o in outs]).mean(0)
        return logits, embedding, cams

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_all(x)[0]


def combine_checkpoints(members: list[Path], out: Path, storage: str = "float32") -> dict[str, Any]:
    """Write one checkpoint holding ``members`` (their best weights); refuses members whose input differs.
    ``storage``: how the export stores the weights (float16 halves the file, int8 quarters it; calibrate and
    evaluate then measure the graph so stored)."""
    from training.export import check_storage

    check_storage(storage)
    ckpts = [torch.load(p, map_location="cpu", weights_only=False) for p in members]
    first = ckpts[0]["config"]
    for path, ck in zip(members, ckpts):
        if "ensemble" in ck:
            raise ValueError(f"{path} is an ensemble already; name its members instead")
        differs = {k: (first.get(k), ck["config"].get(k)) for k in MEMBER_KEYS if ck["config"].get(k) != first.get(k)}
        if differs:
            raise ValueError(f"{path} does not fit the first member: {differs}")
    summary = [
        {
            "checkpoint": str(p),
            "seed": ck["config"].get("seed"),
            "epoch": int(ck["epoch"]),
            "val_score": float(ck["best"]),
            "epochs_run": len(ck.get("history", [])),
            "augment": ck["config"].get("augment"),
            "data": ck["config"].get("data"),
        }
        for p, ck in zip(members, ckpts)
    ]
    history = [dict(h, member=i) for i, ck in enumerate(ckpts) for h in ck.get("history", [])]
    state = {
        "config": dict(first, ensemble=summary, weights_storage=storage),
        "ensemble": [ck["model"] for ck in ckpts],
        "epoch": int(ckpts[0]["epoch"]),
        "best": sum(s["val_score"] for s in summary) / len(summary),
        "history": history,
        "classes": ckpts[0].get("classes"),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, out)
    return state


def build_ensemble(ckpt: dict[str, Any]) -> EnsembleNet:
    """The EnsembleNet of a combined checkpoint (weights loaded)."""
    from training.model import build_model

    cfg = ckpt["config"]
    members = []
    for state in ckpt["ensemble"]:
        net = build_model(cfg["architecture"], None, cfg["dropout"])
        net.load_state_dict(state)
        members.append(net)
    return EnsembleNet(members)
