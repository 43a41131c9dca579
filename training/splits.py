"""Splits grouped by lesion (group column) and stratified by class, saved to a file."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from training.data import DataError, Sample

SPLITS = ("train", "val", "test")


def grouped_stratified_split(samples: list[Sample], val_fraction: float = 0.15,
                             test_fraction: float = 0.15, seed: int = 0) -> dict[str, str]:
    """Assign every sample key to train/val/test; all images of a group land on one side.

    Groups are stratified by their (majority) label: within each class the groups are shuffled
    with ``seed`` and the first val/test fractions of *images* go to test, then val.
    """
    by_group: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_group[s.group].append(s)
    groups_by_label: dict[str, list[str]] = defaultdict(list)
    for group, members in by_group.items():
        labels = [m.label for m in members]
        groups_by_label[max(set(labels), key=labels.count)].append(group)
    rng = np.random.default_rng(seed)
    assignment: dict[str, str] = {}
    for label in sorted(groups_by_label):
        groups = sorted(groups_by_label[label])
        rng.shuffle(groups)
        total = sum(len(by_group[g]) for g in groups)
        taken = {"test": 0, "val": 0}
        for group in groups:
            n = len(by_group[group])
            if taken["test"] + n / 2 <= test_fraction * total:
                split = "test"
            elif taken["val"] + n / 2 <= val_fraction * total:
                split = "val"
            else:
                split = "train"
            if split in taken:
                taken[split] += n
            for member in by_group[group]:
                assignment[member.key] = split
    return assignment


def split_by_source(samples: list[Sample], val_fraction: float = 0.15, test_fraction: float = 0.15,
                    seed: int = 0, held_out: dict[str, float] | None = None) -> dict[str, str]:
    """Split each source on its own (grouped, stratified by class), so every split is stratified by source.

    ``held_out`` maps a source to the fraction of its images kept as its test set (e.g. a quarter of
    ISIC 2017: the cross-source test, never trained on, never used for early stopping or thresholds);
    its validation part is ``val_fraction`` of what remains. Other sources use ``test_fraction``.
    With one source and no held-out entry this is exactly ``grouped_stratified_split``.
    """
    held_out = held_out or {}
    by_source: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_source[s.source].append(s)
    assignment: dict[str, str] = {}
    for source in sorted(by_source):
        if source in held_out:
            test = held_out[source]
            val = val_fraction * (1 - test)
        else:
            test, val = test_fraction, val_fraction
        assignment.update(grouped_stratified_split(by_source[source], val, test, seed))
    return assignment


def split_counts(samples: list[Sample], assignment: dict[str, str]) -> dict[str, dict[str, int]]:
    """Images per source and split side."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {k: 0 for k in SPLITS})
    for s in samples:
        if s.key in assignment:
            counts[s.source][assignment[s.key]] += 1
    return dict(counts)


def check_split(samples: list[Sample], assignment: dict[str, str],
                near_duplicate_pairs: list[tuple[str, str]] = ()) -> list[str]:
    """Problems with a split: groups or near-duplicate pairs that cross sides, unassigned samples."""
    problems = []
    sides: dict[str, set[str]] = defaultdict(set)
    for s in samples:
        if s.key not in assignment:
            problems.append(f"{s.key} has no split")
            continue
        sides[s.group].add(assignment[s.key])
    problems += [f"group {g} crosses splits {sorted(v)}" for g, v in sides.items() if len(v) > 1]
    for a, b in near_duplicate_pairs:
        if assignment.get(a) != assignment.get(b):
            problems.append(f"near duplicates {a} and {b} are in different splits")
    return problems


def merge_near_duplicate_groups(samples: list[Sample], pairs: list[tuple[str, str]]) -> list[Sample]:
    """Re-group samples so that near-duplicate images share a group (union-find over pairs)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    key_group = {s.key: s.group for s in samples}
    for a, b in pairs:
        ra, rb = find(key_group[a]), find(key_group[b])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [Sample(s.key, s.path, s.label, find(s.group), s.meta, s.source) for s in samples]


def save_split(path: Path, assignment: dict[str, str], seed: int, source: str,
               per_source: dict[str, dict[str, int]] | None = None, held_out: dict[str, float] | None = None) -> None:
    counts = {k: sum(1 for v in assignment.values() if v == k) for k in SPLITS}
    payload = {"seed": seed, "source": source,
               "method": "grouped by lesion (near duplicates merged), stratified by class, split per source",
               "counts": counts, "per_source": per_source or {}, "held_out_test": held_out or {},
               "assignment": assignment}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=0, sort_keys=True), encoding="utf-8")


def load_split(path: Path) -> dict[str, str]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))["assignment"]
    except (OSError, KeyError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read split file {path}: {exc}") from exc


def select(samples: list[Sample], assignment: dict[str, str], split: str) -> list[int]:
    """Indices of samples assigned to ``split``."""
    return [i for i, s in enumerate(samples) if assignment.get(s.key) == split]
