"""Importing captures: decode, store the original bytes durably, then write rows in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from dermadesk.analysis.decode import DecodedImage, decode_image
from dermadesk.domain.errors import BadImageError, Cancelled, DermaDeskError
from dermadesk.domain.records import Assessment, Capture, check_date
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.storage.register import Register

# An assessor turns a decoded image into assessment row values; "cam_png" (bytes) is stored first.
AssessFn = Callable[[DecodedImage, str], dict[str, Any]]  # (decoded image, modality) -> assessment row values
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}


@dataclass
class CaptureMeta:
    """What the user says about a capture; ``taken_at`` None means EXIF date, else today."""

    taken_at: str | None = None
    modality: str = "dermoscopic"
    polarisation: str | None = None
    magnification: float | None = None
    mm_per_px: float | None = None
    notes: str = ""


@dataclass
class ImportResult:
    captures: list[Capture] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line message)
    cancelled: bool = False
    comparison: Any = None  # the latest follow-up compared with the baseline, when there are two or more


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; folders recursed for image files, in name order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(p)
    return out


def import_capture(register: Register, actor: str, lesion_id: int, data: bytes, name: str, meta: CaptureMeta,
                   assess: AssessFn | None = None) -> tuple[Capture, Assessment | None]:
    """Import one image: nothing is written to the database unless every step succeeds."""
    register.lesions.get(lesion_id)  # clear "lesion not found" before any work
    decoded = decode_image(data, name)
    taken = check_date(meta.taken_at, "capture date") if meta.taken_at else (
        decoded.taken_at or dt.date.today().isoformat())
    values = assess(decoded, meta.modality) if assess is not None else None
    sha = register.images.put(data)  # durable before the row that refers to it
    cam_sha = register.images.put(values.pop("cam_png")) if values and values.get("cam_png") else None
    with register.database.transaction():
        capture = register.captures.add(
            actor, lesion_id, taken, sha, decoded.width, decoded.height, len(data), decoded.format,
            meta.modality, meta.polarisation, meta.magnification, meta.mm_per_px, meta.notes, name)
        assessment = (register.assessments.add(actor, capture.id, cam_sha256=cam_sha, **values)
                      if values is not None else None)
    return capture, assessment


def import_files(register: Register, actor: str, lesion_id: int, paths: Iterable[Path | str],
                 meta: CaptureMeta | None = None, assess: AssessFn | None = None,
                 progress: ProgressFn = no_progress, cancel: CancelLike = NEVER,
                 compare: bool = True) -> ImportResult:
    """Import many files; a bad file is reported and skipped, cancelling keeps only whole captures.

    With ``compare``, the latest follow-up is then compared with the baseline and the comparison stored.
    """
    meta = meta or CaptureMeta()
    files = expand_paths(paths)
    result = ImportResult()
    for i, path in enumerate(files):
        try:
            cancel.raise_if_cancelled()
        except Cancelled:
            result.cancelled = True
            break
        progress(i / max(len(files), 1), f"importing {path.name} ({i + 1} of {len(files)})")
        try:
            data = path.read_bytes()
        except OSError as exc:
            result.errors.append((str(path), f"{path.name}: cannot read file ({exc.strerror or exc})"))
            continue
        try:
            capture, assessment = import_capture(register, actor, lesion_id, data, path.name, meta, assess)
        except (BadImageError, DermaDeskError) as exc:
            result.errors.append((str(path), str(exc)))
            continue
        result.captures.append(capture)
        if assessment is not None:
            result.assessments.append(assessment)
    if compare and result.captures and not result.cancelled:
        from dermadesk.services.tracking import compare_latest_with_baseline

        progress(0.99, "comparing with the baseline")
        try:
            result.comparison = compare_latest_with_baseline(register, actor, lesion_id)
        except DermaDeskError as exc:
            result.errors.append(("comparison", f"comparison with the baseline failed: {exc}"))
    progress(1.0, f"imported {len(result.captures)} of {len(files)}")
    return result
