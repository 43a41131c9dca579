"""Importing captures: decode, store the original bytes durably, then write rows in one transaction.

Every file that is not imported is named with the reason (unsupported type, broken link, given twice,
refused by the decoder); an interrupted import reports exactly which captures were saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from dermadesk.analysis.decode import (
    IMAGE_SUFFIXES,
    IMPORT_MAX_PIXELS,
    DecodedImage,
    decode_image,
    link_loops,
    read_exif_date,
    read_image_file,
)
from dermadesk.domain.dates import capture_when
from dermadesk.domain.errors import BadImageError, Cancelled, DermaDeskError
from dermadesk.domain.records import Assessment, Capture, check_after_birth, check_date
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.storage.db import DATABASE_ERRORS
from dermadesk.storage.register import Register

# (decoded image, modality) -> (the assessment, its heat-map PNG or None); the PNG is stored before the row.
AssessFn = Callable[[DecodedImage, str], tuple[Assessment, "bytes | None"]]
UNSUPPORTED = {
    ".gif": "GIF files are not supported",
    ".svg": "SVG drawings are not supported",
    ".heic": "HEIC files are not supported (export as JPEG)",
    ".heif": "HEIF files are not supported (export as JPEG)",
    ".pdf": "PDF files are not images",
    ".dcm": "DICOM files are not supported",
}


@dataclass
class CaptureMeta:
    """What the user says about a capture. The typed ``taken_at`` wins unless ``exif_first``; without one, the
    EXIF date, else today."""

    taken_at: str | None = None
    exif_first: bool = False  # True: each image's EXIF date where it has one, ``taken_at`` (else today) where not
    modality: str = "dermoscopic"
    polarisation: str | None = None
    magnification: float | None = None
    mm_per_px: float | None = None
    notes: str = ""


EXIF_SINCE = dt.date(1995, 1, 1)  # EXIF itself dates from 1995: an earlier camera date is a clock never set


def camera_date_problem(exif: str | None, birth_date: str | None, today: dt.date | None = None) -> str | None:
    """Why a camera's EXIF date cannot be the capture's date (in the future, before the patient's birth, before
    EXIF existed: a camera clock never set or set wrong), or None where it can (or there is none)."""
    if not exif:
        return None
    day = dt.date.fromisoformat(exif[:10])
    if day > (today or dt.date.today()):
        return "in the future"
    if birth_date and day.isoformat() < birth_date[:10]:
        return f"before the patient's birth date ({birth_date[:10]})"
    if day < EXIF_SINCE:
        return "before digital cameras recorded dates"
    return None


@dataclass
class ImportResult:
    captures: list[Capture] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line message)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason): not images, links, twice
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, what differs from what was asked): saved
    cancelled: bool = False
    interrupted: bool = False  # Ctrl-C: ``captures`` holds exactly what was saved
    comparison: Any = None  # the latest follow-up compared with the baseline, when there are two or more

    def status_line(self) -> str | None:
        """The status bar's line where nothing was imported ("Import: nothing imported (1 file refused)"), never
        "Importing 1 image: done"; None where captures were saved (the task's own line says so)."""
        if self.captures:
            return None
        refused = len(self.errors) + len(self.skipped)
        return "Import: nothing imported" + (
            f" ({refused} file{'' if refused == 1 else 's'} refused)" if refused else ""
        )


class DuplicateImage(DermaDeskError):
    """The same image bytes are already a capture of this lesion."""


def when_taken(register: Register, capture: Capture) -> str:
    """ "5 Jan 2026" (with its time where the lesion has another that day): ``capture_when`` among them now."""
    return capture_when(capture, register.captures.for_lesion(capture.lesion_id))


def already_here(register: Register, capture: Capture) -> str:
    """Why an image already in the lesion is not imported again (one line, for a nurse)."""
    return (
        f"this image is already in this lesion (the capture of {when_taken(register, capture)}, "
        f"from {capture.original_name or 'an earlier import'}); not imported again"
    )


def known_image(
    register: Register, lesion_id: int, name: str, sha: str, seen: dict[str, str]
) -> tuple[str, str] | None:
    """Why a file of these bytes is not imported, where it is not: ("repeated", line) for bytes of a file chosen
    before it (``seen``: sha -> that file's name, this one recorded), ("here", line) for an image of this lesion,
    ("other", line) for one of another lesion; None for a new image. The import and its dialog ask alike."""
    if sha in seen:
        return "repeated", f"{name}: same image as {seen[sha]}; imported once"
    seen[sha] = name
    holding = register.captures.with_image(sha)
    if here := [c for c in holding if c.lesion_id == lesion_id]:
        return "here", f"{name}: {already_here(register, here[0])}"
    return ("other", f"{name}: {in_another_lesion(register, holding[0])}") if holding else None


def in_another_lesion(register: Register, capture: Capture) -> str:
    """Why an image already a capture of another lesion is not imported (one line, for a nurse)."""
    from dermadesk.services.register_ops import lesion_in_patient_text

    where = lesion_in_patient_text(register, capture.lesion_id)
    return (
        f"the same image is the capture of {when_taken(register, capture)} in {where}; not imported (move that capture "
        "instead if it was filed wrongly)"
    )


def refuse_duplicate(register: Register, lesion_id: int, data: bytes, name: str) -> None:
    """DuplicateImage when the same bytes are already a capture of this lesion: the same capture twice is a
    mistake, not a visit (``import_files`` skips such a file with the same words)."""
    sha = hashlib.sha256(data).hexdigest()
    if here := [c for c in register.captures.with_image(sha) if c.lesion_id == lesion_id]:
        raise DuplicateImage(f"{name}: {already_here(register, here[0])}")


def _skip_reason(path: Path) -> str | None:
    """Why a file found in a folder is not imported (None: it is an image file to try)."""
    if path.is_symlink() and not path.exists():
        return "a link that leads back to itself (a loop of links)" if link_loops(path) else "broken link"
    if path.is_dir():
        return "link to a folder (not followed)"
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return None
    return UNSUPPORTED.get(suffix, f"not an image file type DermaDesk reads ({suffix or 'no extension'})")


def scan_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """(files to import, skipped files with the reason): files as given; folders walked in name order
    (links to folders not followed); a file given twice is imported once."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    seen: dict[str, Path] = {}

    def add(path: Path) -> None:
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            skipped.append((str(path), f"{path.name}: given twice; imported once"))
            return
        seen[key] = path
        files.append(path)

    for p in map(Path, paths):
        if not p.is_dir():
            add(p)
            continue
        found: list[Path] = []
        for folder, dirs, names in os.walk(p):
            found += [Path(folder) / d for d in dirs if (Path(folder) / d).is_symlink()]
            found += [Path(folder) / n for n in names]
        for path in sorted(found):
            reason = _skip_reason(path)
            if reason:
                skipped.append((str(path), f"{path.name}: {reason}"))
            else:
                add(path)
    return files, skipped


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; folders recursed for image files, in name order (``scan_paths`` also says what not)."""
    return scan_paths(paths)[0]


READ_AHEAD_BYTES = 512 * 2**20  # pixels and bytes the dialog's reading keeps for the import (~7 files of 24 MP)
Decoded = tuple[bytes, DecodedImage]  # a file's bytes and their pixels


@dataclass
class ReadAhead:
    """What the import dialog's reading did, so that the import does not do it again: each file's bytes and
    pixels (within ``READ_AHEAD_BYTES``; a file past it is read and decoded again) and each file refused."""

    decoded: dict[str, Decoded] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # file -> why (the dialog said it will be skipped)


@dataclass
class FileFacts:
    """What the import dialog shows of the chosen files, read once (each file decoded once, as the import will)."""

    exif_dates: dict[str, str | None] = field(default_factory=dict)  # file -> EXIF date (ISO 8601) or None
    no_exif_why: dict[str, str] = field(default_factory=dict)  # file -> why it has no EXIF date, where known
    problems: dict[str, str] = field(default_factory=dict)  # file -> why the import will skip it
    decoded: dict[str, Decoded] = field(default_factory=dict)  # for the import (``hand_over``)
    digests: dict[str, str] = field(default_factory=dict)  # file -> sha256 of its bytes (``import_check``)

    def hand_over(self) -> ReadAhead:
        """The files as read, for ``import_files``; these facts keep no pixels after (the reading's task is
        kept a while after it ends, and a dialog cancelled lets them go)."""
        decoded, self.decoded = self.decoded, {}
        return ReadAhead(decoded, dict(self.problems))


def read_file_facts(files: Sequence[Path], progress: ProgressFn = no_progress, cancel: CancelLike = NEVER) -> FileFacts:
    """Each file's import refusal (``decode_image``'s, pixels decoded), else its EXIF date or why it has none, file
    by file, so the UI can run it off the GUI thread (a slow network or USB drive) and cancel between files. Each
    file is read and decoded once; the bytes and pixels are kept for the import (``FileFacts.hand_over``)."""
    facts = FileFacts()
    kept = 0
    for i, path in enumerate(files):
        cancel.raise_if_cancelled()
        progress(i / max(len(files), 1), f"reading {path.name} ({i + 1} of {len(files)})")
        try:
            data = read_image_file(path)  # size and header checked first: a pipe named .jpg is never opened
            decoded = decode_image(data, path.name, max_pixels=IMPORT_MAX_PIXELS)  # as the import would
        except BadImageError as exc:
            facts.problems[str(path)] = str(exc)
            continue  # skipped by the import, its date never shown
        facts.digests[str(path)] = hashlib.sha256(data).hexdigest()  # the import's duplicate check, asked first
        date, why = read_exif_date(io.BytesIO(data))  # from the bytes in hand: the file is not read again
        facts.exif_dates[str(path)] = date
        if why:
            facts.no_exif_why[str(path)] = why
        if kept + len(data) + decoded.rgb.nbytes <= READ_AHEAD_BYTES:
            facts.decoded[str(path)] = (data, decoded)
            kept += len(data) + decoded.rgb.nbytes
    progress(1.0, f"read {len(files)} file{'' if len(files) == 1 else 's'}")
    return facts


def import_capture(
    register: Register,
    actor: str,
    lesion_id: int,
    data: bytes,
    name: str,
    meta: CaptureMeta,
    assess: AssessFn | None = None,
    notes: list[str] | None = None,
    decoded: DecodedImage | None = None,
) -> tuple[Capture, Assessment | None]:
    """Import one image: nothing is written to the database unless every step succeeds (the files and the
    clipboard of the app first go through ``import_files`` or ``refuse_duplicate``). ``decoded``: ``data``'s
    pixels where they were decoded already (the import dialog's reading), else decoded here.

    A camera date that cannot be right (``camera_date_problem``) is not used: the typed date, else today, and a
    line saying so goes to ``notes`` where given."""
    lesion = register.lesions.get(lesion_id)  # clear "lesion not found" before any work
    decoded = decoded if decoded is not None else decode_image(data, name, max_pixels=IMPORT_MAX_PIXELS)
    given = check_date(meta.taken_at, "capture date") if meta.taken_at else None
    birth = register.patients.get(lesion.patient_id).birth_date
    check_after_birth(given, birth)
    exif = decoded.taken_at if meta.exif_first or not given else None
    if exif and (problem := camera_date_problem(exif, birth)):
        used = f"the import's date, {given}," if given else f"today's date, {dt.date.today().isoformat()},"
        if notes is not None:
            notes.append(f"{name}: the camera's date {exif[:10]} is {problem}; {used} was used instead")
        exif = None
    taken = exif or given or dt.date.today().isoformat()
    assessed, cam_png = assess(decoded, meta.modality) if assess is not None else (None, None)
    sha = register.images.put(data)  # durable before the row that refers to it
    cam_sha = register.images.put(cam_png) if cam_png else None
    with register.database.transaction():
        capture = register.captures.add(
            actor,
            lesion_id,
            taken,
            sha,
            decoded.width,
            decoded.height,
            len(data),
            decoded.format,
            meta.modality,
            meta.polarisation,
            meta.magnification,
            meta.mm_per_px,
            meta.notes,
            name,
        )
        assessment = register.assessments.store(actor, capture.id, assessed, cam_sha) if assessed is not None else None
    return capture, assessment


def import_files(
    register: Register,
    actor: str,
    lesion_id: int,
    paths: Iterable[Path | str],
    meta: CaptureMeta | None = None,
    assess: AssessFn | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    compare: bool = True,
    ahead: ReadAhead | None = None,
) -> ImportResult:
    """Import many files; a bad file is reported and skipped, cancelling keeps only whole captures.

    Skipped files (unsupported types, broken links, a file or the same bytes given twice) are listed in
    ``skipped``. Ctrl-C stops after the capture being written is rolled back: ``interrupted`` is set and
    ``captures`` lists what was saved. With ``compare``, the latest follow-up is then compared with the
    baseline and the comparison stored. ``ahead``: what the import dialog's reading read, decoded and refused,
    used instead of reading and decoding those files again (emptied as it goes: no pixels kept after).
    """
    meta = meta or CaptureMeta()
    ahead = ahead or ReadAhead()
    files, skipped = scan_paths(paths)
    result = ImportResult(skipped=skipped)
    digests: dict[str, str] = {}
    held: dict[str, str] = {}  # file -> sha256, for a file whose image is a capture already: worded at the end
    write_failed = False  # the data folder refused a write: the rest is not tried, nothing compared
    try:
        for i, path in enumerate(files):
            try:
                cancel.raise_if_cancelled()
            except Cancelled:
                result.cancelled = True
                break
            progress(i / max(len(files), 1), f"importing {path.name} ({i + 1} of {len(files)})")
            if str(path) in ahead.refused:  # as the dialog said: skipped, not read and decoded again
                result.errors.append((str(path), ahead.refused[str(path)]))
                continue
            data, decoded = ahead.decoded.pop(str(path), (b"", None))  # taken: let go once imported
            try:
                data = data or read_image_file(path)  # size and header checked before the bytes are read
            except BadImageError as exc:
                result.errors.append((str(path), str(exc)))
                continue
            known = known_image(register, lesion_id, path.name, sha := hashlib.sha256(data).hexdigest(), digests)
            if known is not None:  # skipped; a capture of another lesion is an error
                (result.errors if known[0] == "other" else result.skipped).append((str(path), known[1]))
                if known[0] != "repeated":  # it names a capture: worded again once all is imported
                    held[str(path)] = sha
                continue
            said: list[str] = []
            try:
                capture, assessment = import_capture(
                    register, actor, lesion_id, data, path.name, meta, assess, said, decoded
                )
            except (BadImageError, DermaDeskError) as exc:
                line = str(exc)  # each line names its file (a date refused does not by itself)
                result.errors.append((str(path), line if path.name in line else f"{path.name}: {line}"))
                continue
            except (OSError, *DATABASE_ERRORS) as exc:  # disk full, read-only: every next file would fail the same way
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                result.errors.append((str(path), f"{path.name}: not saved, the data folder cannot be written ({why})"))
                result.skipped += [(str(rest), f"{rest.name}: not tried after that") for rest in files[i + 1 :]]
                write_failed = True
                break
            result.notes += [(str(path), line) for line in said]
            result.captures.append(capture)
            if assessment is not None:
                result.assessments.append(assessment)
    except KeyboardInterrupt:  # the capture in flight was rolled back; the caller reports what was saved
        result.cancelled = result.interrupted = True
    finally:
        ahead.decoded.clear()  # files not imported (cancelled, refused, the same image): their pixels let go
    if compare and result.captures and not result.cancelled and not write_failed:
        from dermadesk.services.tracking import compare_latest_with_baseline

        try:  # says "comparing with the baseline", then "... with the reviewed capture of <date>" where there is one
            result.comparison = compare_latest_with_baseline(register, actor, lesion_id, progress)
        except DermaDeskError as exc:
            result.errors.append(("comparison", f"comparison with the baseline failed: {exc}"))
    _word_now(register, lesion_id, result, held)
    progress(1.0, f"imported {len(result.captures)} of {len(files)}")
    return result


def _word_now(register: Register, lesion_id: int, result: ImportResult, held: dict[str, str]) -> None:
    """Lines naming a capture, worded once all is imported: a file imported later may share its day (then its time)."""
    for lines in (result.errors, result.skipped):
        for i, (file, _) in enumerate(lines):
            if file in held and (now := known_image(register, lesion_id, Path(file).name, held[file], {})):
                lines[i] = (file, now[1])
