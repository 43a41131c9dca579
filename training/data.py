"""Data sets: HAM10000 layout, a generic CSV (path, label, group) and folder-per-class."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from dermadesk.contract import CLASS_CODES

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"}


class DataError(ValueError):
    """The data set cannot be read as asked."""


@dataclass(frozen=True)
class Sample:
    """One labelled image; ``group`` keeps images of one lesion on one side of every split."""

    key: str
    path: Path
    label: str
    group: str
    meta: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def _index_images(root: Path) -> dict[str, Path]:
    return {p.stem: p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES}


def load_ham10000(root: Path) -> list[Sample]:
    """HAM10000: ``HAM10000_metadata.csv`` plus image folders anywhere below ``root``."""
    meta = root / "HAM10000_metadata.csv"
    if not meta.is_file():
        raise DataError(f"{meta} not found (expected the HAM10000 metadata CSV)")
    images = _index_images(root)
    samples = []
    with open(meta, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            image_id = row["image_id"]
            path = images.get(image_id, root / "images" / f"{image_id}.jpg")
            extra = {k: row.get(k, "") for k in ("dx_type", "age", "sex", "localization")}
            samples.append(Sample(image_id, path, row["dx"], row["lesion_id"], extra))
    return samples


def load_csv(csv_path: Path) -> list[Sample]:
    """Generic CSV with columns path, label and optionally group (paths relative to the CSV)."""
    with open(csv_path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"path", "label"} - set(reader.fieldnames or [])
        if missing:
            raise DataError(f"{csv_path}: missing column(s) {', '.join(sorted(missing))}")
        samples = []
        for row in reader:
            path = (csv_path.parent / row["path"]).resolve()
            group = row.get("group") or row["path"]
            extra = {k: v for k, v in row.items() if k not in {"path", "label", "group"} and v is not None}
            samples.append(Sample(row["path"], path, row["label"].strip().lower(), group, extra))
    return samples


def load_folders(root: Path) -> list[Sample]:
    """Folder per class: ``root/<class code>/*.jpg``; each image is its own group."""
    samples = []
    for class_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(class_dir.iterdir()):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                key = f"{class_dir.name}/{path.name}"
                samples.append(Sample(key, path, class_dir.name.lower(), key))
    return samples


def load_dataset(source: Path) -> list[Sample]:
    """Detect the layout: HAM10000 folder, CSV file, or folder per class."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".csv":
        return load_csv(source)
    if (source / "HAM10000_metadata.csv").is_file():
        return load_ham10000(source)
    if source.is_dir():
        return load_folders(source)
    raise DataError(f"{source}: not a HAM10000 folder, a CSV file or a folder per class")


def label_indices(samples: list[Sample]) -> np.ndarray:
    unknown = sorted({s.label for s in samples} - set(CLASS_CODES))
    if unknown:
        raise DataError(f"unknown label(s) {unknown}; expected {list(CLASS_CODES)}")
    return np.array([CLASS_CODES.index(s.label) for s in samples], dtype=np.int64)


def read_rgb(path: Path, max_side: int | None = None) -> np.ndarray:
    """Decode an image file to HxWx3 uint8 RGB, optionally shrinking the longer side."""
    from PIL import ImageOps

    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        if max_side and max(im.size) > max_side:
            im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        return np.asarray(im, dtype=np.uint8).copy()


def load_images(samples: list[Sample], max_side: int, progress: bool = True) -> list[np.ndarray]:
    """Decode every sample once into memory (HAM10000 at 200x150 needs about 0.9 GB)."""
    from tqdm import tqdm

    return [read_rgb(s.path, max_side) for s in tqdm(samples, desc="decode", disable=not progress,
                                                     mininterval=5)]
