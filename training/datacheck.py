"""Data check before training: missing/unreadable files, unknown labels, exact and near duplicates."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from dermadesk.contract import CLASS_CODES
from training.data import Sample

_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def dhash(image: Image.Image, size: int = 16) -> np.ndarray:
    """Difference hash of the grey image, size*size bits packed into bytes.

    256 bits (size 16) rather than the usual 64: dermoscopy images share a coarse layout
    (dark lesion in the middle of lighter skin), and 64-bit hashes of different lesions collide.
    """
    grey = np.asarray(image.convert("L").resize((size + 1, size), Image.Resampling.LANCZOS), dtype=np.int16)
    return np.packbits((grey[:, 1:] > grey[:, :-1]).flatten())


def near_duplicate_pairs(hashes: list[np.ndarray], max_distance: int = 10, chunk: int = 256) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose hashes differ in at most ``max_distance`` bits."""
    h = np.stack(hashes) if hashes else np.zeros((0, 32), np.uint8)
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(h), chunk):
        block = h[start:start + chunk]
        dist = _POPCOUNT[block[:, None, :] ^ h[None, :, :]].sum(axis=2, dtype=np.uint16)
        for i, j in zip(*np.nonzero(dist <= max_distance)):
            if start + i < j:
                pairs.append((int(start + i), int(j)))
    return pairs


@dataclass
class DataReport:
    total: int = 0
    missing: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    unknown_labels: dict[str, int] = field(default_factory=dict)
    exact_duplicates: list[list[str]] = field(default_factory=list)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    class_counts: dict[str, int] = field(default_factory=dict)

    @property
    def blocking(self) -> list[str]:
        """Problems that stop training (duplicates are handled by grouping instead)."""
        out = [f"{len(self.missing)} missing file(s), e.g. {self.missing[:3]}"] if self.missing else []
        if self.unreadable:
            out.append(f"{len(self.unreadable)} unreadable file(s), e.g. {self.unreadable[:3]}")
        if self.unknown_labels:
            out.append(f"unknown labels {self.unknown_labels}; expected {list(CLASS_CODES)}")
        return out

    def summary(self) -> str:
        lines = [f"{self.total} samples; classes {self.class_counts}",
                 f"missing {len(self.missing)}, unreadable {len(self.unreadable)}, "
                 f"unknown labels {self.unknown_labels or 'none'}",
                 f"exact duplicate sets {len(self.exact_duplicates)}, near-duplicate pairs {len(self.near_duplicates)}"]
        return "\n".join(lines)


def check_samples(samples: list[Sample], near_distance: int = 10) -> DataReport:
    """Read every file once: sha256 for exact duplicates, dHash for near duplicates."""
    from tqdm import tqdm

    report = DataReport(total=len(samples))
    counts: dict[str, int] = defaultdict(int)
    by_sha: dict[str, list[str]] = defaultdict(list)
    hashed_keys, hashes = [], []
    for s in tqdm(samples, desc="check", mininterval=5):
        counts[s.label] += 1
        if s.label not in CLASS_CODES:
            report.unknown_labels[s.label] = report.unknown_labels.get(s.label, 0) + 1
        if not s.path.is_file():
            report.missing.append(str(s.path))
            continue
        data = s.path.read_bytes()
        by_sha[hashlib.sha256(data).hexdigest()].append(s.key)
        try:
            with Image.open(s.path) as im:
                im.load()
                hashes.append(dhash(im))
                hashed_keys.append(s.key)
        except Exception:  # noqa: BLE001 - any decoder failure means "unreadable"
            report.unreadable.append(str(s.path))
    report.class_counts = dict(sorted(counts.items()))
    report.exact_duplicates = [keys for keys in by_sha.values() if len(keys) > 1]
    report.near_duplicates = [(hashed_keys[i], hashed_keys[j])
                              for i, j in near_duplicate_pairs(hashes, near_distance)]
    return report
