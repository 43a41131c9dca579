"""Training: train_one_epoch / evaluate / main(args), checkpoints as dicts, resumable."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, WeightedRandomSampler

from dermadesk.contract import CLASS_CODES, InputSpec
from training.data import Sample, label_indices, label_spaces, load_dataset, load_images
from training.metrics import balanced_accuracy
from training.model import LesionNet, build_model, forward_tta, freeze_stages, packaged_weights, pick_device
from training.splits import load_split, select
from training.transforms import AugmentConfig, TrainTransform, eval_transform


def opencv_on_one_thread() -> None:
    """OpenCV on one thread in the training process, and so in the loader workers it forks (they inherit it): its
    own pool is one thread per core in each worker, so three runs of five workers on a 16-core GPU machine kept ~240
    threads (load ~200) for the augmentation. Set here, not in each worker: a worker that changed OpenCV's threads
    after the fork hung in a test (the pool's threads are not in the child). Measured here with two workers, 16
    OpenCV threads each on 2 cores: 181-205 images/s, one thread each: 214-238 (strong augmentation at 260 px)."""
    import cv2

    cv2.setNumThreads(1)


class ImageSet(Dataset):
    """In-memory images with labels and label-space masks; a per-item RNG seeded from (seed, epoch, index)."""

    def __init__(self, images: list[np.ndarray], labels: np.ndarray,
                 transform: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None,
                 spec: InputSpec, seed: int = 0, masks: np.ndarray | None = None) -> None:
        self.images, self.labels, self.transform, self.spec, self.seed = images, labels, transform, spec, seed
        self.masks = masks if masks is not None else np.ones((len(images), len(CLASS_CODES)), bool)
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int, torch.Tensor]:
        img = self.images[i]
        if self.transform is None:
            x = eval_transform(img, self.spec)
        else:
            x = self.transform(img, np.random.default_rng((self.seed, self.epoch, i)))
        return torch.from_numpy(x), int(self.labels[i]), torch.from_numpy(self.masks[i])


def label_masks(samples: list[Sample]) -> np.ndarray:
    """(N, classes) bool: the classes each image's source labels at all."""
    spaces = label_spaces(samples)
    return np.array([[c in spaces[s.source] for c in CLASS_CODES] for s in samples], dtype=bool)


class MaskedCrossEntropy(nn.Module):
    """Cross-entropy with label smoothing and class weights, over each image's label space only.

    An ISIC 2017 image (mel, bkl or nv) leaves the akiec, bcc, df and vasc logits untouched: its
    softmax runs over the three classes its source can name, so it never teaches "not bcc".
    """

    def __init__(self, class_weights: torch.Tensor, smoothing: float = 0.05) -> None:
        super().__init__()
        self.register_buffer("class_weights", class_weights)
        self.smoothing = smoothing

    def forward(self, logits: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        logits = logits.float().masked_fill(~mask, -1e4)
        logp = torch.log_softmax(logits, dim=1)
        nll = -logp.gather(1, target[:, None])[:, 0]
        known = mask.float()
        smooth = -(logp * known).sum(1) / known.sum(1)
        loss = (1 - self.smoothing) * nll + self.smoothing * smooth
        w = self.class_weights[target]
        return (loss * w).sum() / w.sum()


@dataclass
class TrainConfig:
    data: Path | str  # one data set or several, comma-separated
    split: Path
    out: Path
    weights: Path | None = None  # None: the ImageNet weights of the architecture's registry package
    architecture: str = "efficientnet_lite0"
    size: int = 160
    start_size: int = 0  # progressive resizing: from start_size (0 = size) up to size in steps of 32
    full_size_epochs: int = 3  # the last epochs all at ``size``
    freeze: int = 0  # EfficientNet-Lite: freeze the stem and this many block stages
    colour_constancy: str = "shades_of_grey"
    pose: str = "canonical"  # at validation and in the app (training keeps random quarter turns and mirrors)
    augment: str = "strong"  # "strong" (AugmentConfig()) or "light" (the earlier recipe)
    epochs: int = 15
    batch_size: int = 32
    lr: float = 6e-4
    weight_decay: float = 1e-4
    warmup_epochs: float = 1.0
    dropout: float = 0.2
    patience: int = 5
    seed: int = 0
    device: str = "auto"
    workers: int = 1
    max_batches: int = 0  # >0: stop each epoch early (tests, smoke runs)
    norm: str = "imagenet"  # input normalisation: "imagenet" mean/std, or "tf" (0.5, 0.5: TF-Lite weights)
    resume: bool = True
    init: Path | None = None  # fine-tune stage: start from this checkpoint's weights (fresh optimiser/schedule)
    source_share: float = 0.0  # each source draws at least this share of the training samples (0: as found)


def input_spec(size: int, norm: str = "imagenet", colour_constancy: str = "none", pose: str = "none") -> InputSpec:
    """The model input; "tf" normalisation suits TF-Lite-born weights such as EfficientNet-Lite0."""
    if norm == "tf":
        return InputSpec(height=size, width=size, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5),
                         colour_constancy=colour_constancy, pose=pose)
    return InputSpec(height=size, width=size, colour_constancy=colour_constancy, pose=pose)


def spec_from_config(config: dict, size: int | None = None) -> InputSpec:
    """The input spec a checkpoint's config describes (older checkpoints: no colour constancy, no pose)."""
    return input_spec(int(size or config["size"]), config.get("norm", "imagenet"),
                      config.get("colour_constancy", "none"), config.get("pose", "none"))


def size_for_epoch(epoch: int, cfg: TrainConfig) -> int:
    """Progressive resizing: start_size rising in steps of 32 to size, the last epochs at size."""
    if not cfg.start_size or cfg.start_size >= cfg.size:
        return cfg.size
    ramp = max(1, cfg.epochs - cfg.full_size_epochs)
    steps = list(range(cfg.start_size, cfg.size, 32))
    if epoch >= ramp:
        return cfg.size
    return steps[min(len(steps) - 1, epoch * len(steps) // ramp)]


def class_balance(labels: np.ndarray) -> tuple[np.ndarray, torch.Tensor]:
    """Sampling weights ~ 1/sqrt(freq) per sample and loss weights ~ 1/sqrt(freq) per class.

    Together they balance the classes about as much as inverse-frequency sampling, while keeping
    rare classes from being repeated so often that the model memorises them.
    """
    counts = np.bincount(labels, minlength=len(CLASS_CODES)).astype(np.float64)
    inv_sqrt = np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1)), 0.0)
    sample_w = inv_sqrt[labels]
    class_w = inv_sqrt / inv_sqrt[counts > 0].mean()
    return sample_w, torch.tensor(class_w, dtype=torch.float32)


def source_balance(sample_w: np.ndarray, sources: list[str], share: float) -> np.ndarray:
    """Sampling weights where every source draws at least ``share`` of the samples (a source below it is
    raised to it, the others keep their proportions in the rest); ``share`` 0 or one source: unchanged."""
    names = sorted(set(sources))
    if share <= 0 or len(names) < 2:
        return sample_w
    if share * len(names) > 1:
        raise ValueError(f"a share of {share} for each of {len(names)} sources is more than all the samples")
    src = np.array(sources)
    total = sample_w.sum()
    fraction = {n: sample_w[src == n].sum() / total for n in names}
    small = [n for n in names if fraction[n] < share]
    rest = 1.0 - share * len(small)
    big_total = sum(fraction[n] for n in names if n not in small)
    out = sample_w.astype(np.float64).copy()
    for n in names:
        out[src == n] *= (share if n in small else rest * fraction[n] / big_total) / fraction[n]
    return out


def lr_lambda(steps_per_epoch: int, cfg: TrainConfig) -> Callable[[int], float]:
    warm = max(1, int(cfg.warmup_epochs * steps_per_epoch))
    total = max(warm + 1, cfg.epochs * steps_per_epoch)

    def f(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warm) / (total - warm))))
    return f


def train_one_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module, opt: torch.optim.Optimizer,
                    sched: torch.optim.lr_scheduler.LRScheduler, device: torch.device, epoch: int,
                    max_batches: int = 0, scaler: torch.amp.GradScaler | None = None) -> float:
    from tqdm import tqdm

    model.train()
    total, n = 0.0, 0
    bar = tqdm(loader, desc=f"epoch {epoch}", mininterval=10, total=max_batches or len(loader))
    for step, (x, y, mask) in enumerate(bar):
        if max_batches and step >= max_batches:
            break
        x = x.to(device, non_blocking=True, memory_format=torch.channels_last)
        y, mask = y.to(device, non_blocking=True), mask.to(device, non_blocking=True)
        with torch.autocast(device.type, enabled=scaler is not None):
            loss = loss_fn(model(x), y, mask)
        opt.zero_grad(set_to_none=True)
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
        else:
            loss.backward()
            opt.step()
        sched.step()
        total += loss.item() * len(y)
        n += len(y)
        bar.set_postfix(loss=f"{total / n:.3f}")
    return total / max(n, 1)


@torch.no_grad()
def predict(model: LesionNet, images: list[np.ndarray], spec: InputSpec, device: torch.device,
            batch_size: int = 64, hflip_tta: bool | str = False) -> tuple[np.ndarray, np.ndarray]:
    """(logits, embeddings) for images preprocessed exactly as the app does (optionally with TTA:
    True / "flip", or "dihedral", see model.TTA_VIEWS)."""
    return predict_batches(model, preprocessed_batches(images, spec, batch_size), device, hflip_tta)


def preprocessed_batches(images: list[np.ndarray], spec: InputSpec, batch_size: int = 64) -> Iterator[np.ndarray]:
    """The images preprocessed as the app does, stacked ``batch_size`` at a time (lazily)."""
    for start in range(0, len(images), batch_size):
        yield np.stack([eval_transform(im, spec) for im in images[start:start + batch_size]])


@torch.no_grad()
def predict_batches(model: LesionNet, batches: Iterable[np.ndarray], device: torch.device,
                    hflip_tta: bool | str = False) -> tuple[np.ndarray, np.ndarray]:
    """(logits, embeddings) for batches already preprocessed (N, 3, H, W) float32."""
    model.eval()
    logits, embeddings = [], []
    for batch in batches:
        x = torch.from_numpy(batch).to(device, memory_format=torch.channels_last)
        lg, emb, _ = forward_tta(model, x, hflip_tta)
        logits.append(lg.float().cpu().numpy())
        embeddings.append(emb.float().cpu().numpy())
    return np.concatenate(logits), np.concatenate(embeddings)


def save_checkpoint(path: Path, **state: object) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def load_model_from_checkpoint(path: Path, device: torch.device | str = "cpu") -> tuple[LesionNet, dict]:
    if Path(path).suffix == ".json":  # an exported model's manifest: its graph, run by ONNX Runtime
        from training.rerelease import load_exported

        return load_exported(Path(path))  # type: ignore[return-value]
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    cfg = ckpt["config"]
    if "ensemble" in ckpt:  # several members in one file (training.ensemble)
        from training.ensemble import build_ensemble

        return build_ensemble(ckpt).to(device).eval(), ckpt  # type: ignore[return-value]
    model = build_model(cfg["architecture"], None, cfg["dropout"])  # no backbone weights: the state follows
    model.load_state_dict(ckpt["model"])
    return model.to(device).eval(), ckpt


def prepare_sets(cfg: TrainConfig) -> tuple[list[Sample], dict[str, str], list[np.ndarray], np.ndarray]:
    samples = load_dataset(cfg.data)
    assignment = load_split(cfg.split)
    images = load_images(samples, max_side=max(2 * cfg.size, 256))
    return samples, assignment, images, label_indices(samples)


def validation_score(logits: np.ndarray, labels: np.ndarray, masks: np.ndarray,
                     sources: list[str]) -> tuple[float, dict[str, float]]:
    """Mean over sources of the balanced accuracy within each source's label space."""
    per_source = {}
    for src in sorted(set(sources)):
        sel = np.array([s == src for s in sources])
        masked = np.where(masks[sel], logits[sel], -np.inf)
        per_source[src] = balanced_accuracy(labels[sel], masked.argmax(1))
    return float(np.mean(list(per_source.values()))), per_source


def main(cfg: TrainConfig) -> Path:
    """Train; ``last.pt`` every epoch and ``best.pt`` on improved validation score (mean over sources)."""
    torch.manual_seed(cfg.seed)
    np.random.seed(cfg.seed)
    opencv_on_one_thread()
    device = pick_device(cfg.device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # fixed input sizes: let cuDNN pick its fastest kernels
    cfg.out.mkdir(parents=True, exist_ok=True)
    samples, assignment, images, labels = prepare_sets(cfg)
    masks = label_masks(samples)
    tr, va = select(samples, assignment, "train"), select(samples, assignment, "val")
    augment = AugmentConfig() if cfg.augment == "strong" else AugmentConfig.light()
    train_set = ImageSet([images[i] for i in tr], labels[tr], None, input_spec(cfg.size), cfg.seed, masks[tr])
    sample_w, class_w = class_balance(labels[tr])
    sample_w = source_balance(sample_w, [samples[i].source for i in tr], cfg.source_share)
    gen = torch.Generator().manual_seed(cfg.seed)
    sampler = WeightedRandomSampler(sample_w, num_samples=len(tr), replacement=True, generator=gen)
    loader = DataLoader(train_set, batch_size=cfg.batch_size, sampler=sampler, num_workers=cfg.workers,
                        drop_last=True, persistent_workers=False, pin_memory=device.type == "cuda")
    weights = cfg.weights or packaged_weights(cfg.architecture)
    print(f"backbone {cfg.architecture}, ImageNet weights: {weights or 'none (random initialisation)'}")
    model = build_model(cfg.architecture, weights, cfg.dropout)
    if cfg.init is not None:
        init = torch.load(cfg.init, map_location="cpu", weights_only=False)
        if init.get("config", {}).get("architecture", cfg.architecture) != cfg.architecture:
            raise ValueError(f"{cfg.init} holds a {init['config']['architecture']} model, not {cfg.architecture}")
        model.load_state_dict(init["model"])
        print(f"fine-tuning from {cfg.init} (epoch {init.get('epoch')})")
    frozen = freeze_stages(model, cfg.freeze)
    # channels_last: about 1.7x faster depthwise convolutions on CPU (measured on EfficientNet-Lite0)
    model = model.to(device, memory_format=torch.channels_last)
    loss_fn = MaskedCrossEntropy(class_w.to(device), smoothing=0.05).to(device)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=cfg.lr,
                            weight_decay=cfg.weight_decay)
    steps = min(len(loader), cfg.max_batches) if cfg.max_batches else len(loader)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(steps, cfg))
    scaler = torch.amp.GradScaler("cuda") if device.type == "cuda" else None
    start, best, stale, history = 0, -1.0, 0, []
    last = cfg.out / "last.pt"
    if cfg.resume and last.is_file():
        ckpt = torch.load(last, map_location="cpu", weights_only=False)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        sched.load_state_dict(ckpt["scheduler"])
        start, best, stale, history = ckpt["epoch"] + 1, ckpt["best"], ckpt["stale"], ckpt["history"]
        print(f"resumed from {last} at epoch {start}")
    config = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(cfg).items()}
    config.update(weights=str(weights) if weights else None, init=str(cfg.init) if cfg.init else None,
                  frozen_tensors=frozen, device=device.type,
                  label_spaces=label_spaces(samples))
    if device.type == "cuda":
        config["hardware"] = torch.cuda.get_device_name(0)
    else:
        import os
        import platform

        config["hardware"] = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores"
    val_spec = input_spec(cfg.size, cfg.norm, cfg.colour_constancy, cfg.pose)
    # validation always runs at the final size: preprocess those images once, not every epoch
    val_batches = list(preprocessed_batches([images[i] for i in va], val_spec))
    val_sources = [samples[i].source for i in va]
    for epoch in range(start, cfg.epochs):
        if stale >= cfg.patience:
            print(f"early stop: no improvement for {stale} epochs")
            break
        size = size_for_epoch(epoch, cfg)
        spec = input_spec(size, cfg.norm, cfg.colour_constancy)
        train_set.transform, train_set.spec, train_set.epoch = TrainTransform(spec, augment), spec, epoch
        t0 = time.time()
        loss = train_one_epoch(model, loader, loss_fn, opt, sched, device, epoch, cfg.max_batches, scaler)
        # validation at the final size, with the flip TTA the exported model uses
        logits, _ = predict_batches(model, val_batches, device, hflip_tta=True)
        score, per_source = validation_score(logits, labels[va], masks[va], val_sources)
        stale = 0 if score > best else stale + 1
        history.append({"epoch": epoch, "size": size, "loss": loss, "val_score": score,
                        "val_balanced_accuracy": per_source, "seconds": time.time() - t0})
        print(json.dumps(history[-1]), flush=True)
        state = dict(model=model.state_dict(), optimizer=opt.state_dict(), scheduler=sched.state_dict(),
                     epoch=epoch, best=max(best, score), stale=stale, history=history, config=config,
                     classes=list(CLASS_CODES))
        if score > best:
            best = score
            save_checkpoint(cfg.out / "best.pt", **state)
        save_checkpoint(last, **state)
    (cfg.out / "history.json").write_text(json.dumps(history, indent=1), encoding="utf-8")
    return cfg.out / "best.pt"
