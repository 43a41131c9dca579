"""Data sets: HAM10000, ISIC 2017 (labels.csv), a generic CSV and folder-per-class; several at once.

Every sample keeps its ``source`` (the data set it came from), so that splits can be stratified by
source, figures reported per source, and a source that never labels a class (ISIC 2017 knows only
mel, bkl and nv) never teaches the model that its images are "not" that class (see label_spaces).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from dermadesk.contract import CLASS_CODES

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}


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
    source: str = ""


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
            samples.append(Sample(image_id, path, row["dx"], row["lesion_id"], extra, "ham10000"))
    return samples


# Column names a CSV may use for each field, first match wins.
_CSV_COLUMNS = {"path": ("path", "image_id", "image"), "label": ("label", "dx"), "group": ("group", "lesion_id")}
_CSV_KNOWN = {name for names in _CSV_COLUMNS.values() for name in names} | {"source"}


def _column(fields: list[str], kind: str) -> str | None:
    return next((c for c in _CSV_COLUMNS[kind] if c in fields), None)


def load_csv(csv_path: Path, source: str | None = None) -> list[Sample]:
    """A CSV of images: path or image_id, label or dx, optional group or lesion_id, optional source.

    Paths are relative to the CSV; a bare image_id is looked up in the images below the CSV's folder.
    Without a group (lesion_id) each image is its own group: ``prepare`` then merges near duplicates.
    The source is the ``source`` column, else ``source``, else the CSV's folder name.
    """
    with open(csv_path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        path_col, label_col, group_col = (_column(fields, k) for k in ("path", "label", "group"))
        if path_col is None or label_col is None:
            raise DataError(f"{csv_path}: needs a column path or image_id, and a column label or dx "
                            f"(found {', '.join(fields) or 'none'})")
        rows = list(reader)
    index = _index_images(csv_path.parent) if path_col != "path" else {}
    default_source = source or csv_path.parent.name or csv_path.stem
    samples = []
    for line, row in enumerate(rows, start=2):
        ref = (row.get(path_col) or "").strip()
        label = (row.get(label_col) or "").strip().lower()
        if not ref or not label:
            raise DataError(f"{csv_path}, line {line}: empty {path_col if not ref else label_col}")
        path = index.get(Path(ref).stem) if index else None
        path = path or (csv_path.parent / ref).resolve()
        group = (row.get(group_col) or "").strip() if group_col else ""
        extra = {k: v for k, v in row.items() if k not in _CSV_KNOWN and v is not None}
        samples.append(Sample(ref, path, label, group or ref, extra,
                              (row.get("source") or "").strip() or default_source))
    return samples


def load_isic2017(root: Path) -> list[Sample]:
    """ISIC 2017 (part 3): ``labels.csv`` (image_id, dx, source_dx) with ``images/``; no lesion_id."""
    return load_csv(root / "labels.csv", source="isic2017")


def load_folders(root: Path) -> list[Sample]:
    """Folder per class: ``root/<class code>/*.jpg``; each image is its own group."""
    samples = []
    for class_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(class_dir.iterdir()):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                key = f"{class_dir.name}/{path.name}"
                samples.append(Sample(key, path, class_dir.name.lower(), key, {}, root.name))
    return samples


def load_one(source: Path) -> list[Sample]:
    """Detect the layout: HAM10000 folder, ISIC 2017 folder (labels.csv), CSV file, or folder per class."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".csv":
        return load_csv(source)
    if (source / "HAM10000_metadata.csv").is_file():
        return load_ham10000(source)
    if (source / "labels.csv").is_file():
        return load_isic2017(source) if source.name.lower().startswith("isic2017") else load_csv(source / "labels.csv")
    if source.is_dir():
        return load_folders(source)
    raise DataError(f"{source}: not a HAM10000 folder, a labels.csv folder, a CSV file or a folder per class")


def parse_sources(data: str | Path | list) -> list[Path]:
    """``--data`` as given: one path, a comma-separated list, or a list of paths."""
    if isinstance(data, (list, tuple)):
        return [Path(p) for item in data for p in parse_sources(item)]
    return [Path(p.strip()) for p in str(data).split(",") if p.strip()]


def load_dataset(data: str | Path | list) -> list[Sample]:
    """All samples of one or several data sets, each keeping its source; keys must be unique."""
    samples: list[Sample] = []
    for path in parse_sources(data):
        samples += load_one(path)
    seen: dict[str, str] = {}
    for s in samples:
        if s.key in seen:
            raise DataError(f"image {s.key!r} occurs in {seen[s.key]!r} and {s.source!r}: keys must be unique")
        seen[s.key] = s.source
    return samples


def label_spaces(samples: list[Sample]) -> dict[str, tuple[str, ...]]:
    """The classes each source labels at all (in CLASS_CODES order).

    A source whose images never carry a class cannot say an image is *not* that class: training
    restricts each image's softmax to its source's label space.
    """
    seen: dict[str, set[str]] = {}
    for s in samples:
        seen.setdefault(s.source, set()).add(s.label)
    return {src: tuple(c for c in CLASS_CODES if c in labels) for src, labels in sorted(seen.items())}


def source_names(samples: list[Sample]) -> list[str]:
    return sorted({s.source for s in samples})


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
