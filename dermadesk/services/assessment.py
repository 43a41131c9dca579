"""Assessing captures: a stored capture gets a new assessment row (history is kept per model)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.analysis.decode import DecodedImage, decode_image
from dermadesk.domain.errors import ModelError, NotFoundError
from dermadesk.domain.records import Assessment, Capture
from dermadesk.inference.engine import Assessor
from dermadesk.services.captures import AssessFn, when_taken
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.storage.register import Register


def assess_fn(assessor: Assessor) -> AssessFn:
    """An ``AssessFn`` for capture import: the assessment and its heat-map PNG (None without a valid CAM)."""

    def run(decoded: DecodedImage, modality: str = "dermoscopic") -> tuple[Assessment, bytes | None]:
        result = assessor.assess(decoded.rgb, modality)
        return result, assessor.cam_png(result)[0]

    return run


def make_assess_fn(data_dir: Path, model: str | None, device: str) -> tuple[AssessFn | None, str]:
    """(assess function, note) for the CLI; without a usable model (none, or the default one damaged), import
    goes on unassessed and the note says why (captures can be assessed later with ``assess``)."""
    from dermadesk.inference.engine import open_assessor

    try:
        assessor = open_assessor(data_dir, model, device)
        note = f"assessed with {assessor.entry.key} on {assessor.choice.device_label}"
        if assessor.choice.warning:
            note += f" (warning: {assessor.choice.warning})"
    except (NotFoundError, ModelError) as exc:
        return None, f"not assessed: {exc}"
    return assess_fn(assessor), note


def assess_capture(
    register: Register,
    assessor: Assessor,
    actor: str,
    capture_id: int,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> Assessment:
    """Assess a stored capture again (e.g. with a newer model); adds a row, keeps the old ones.

    Cancelling stops before anything is written (the heat map and the row are stored together at the end)."""
    capture = register.captures.get(capture_id)
    progress(0.1, "reading the image")
    name = capture.original_name or f"the capture of {when_taken(register, capture)}"  # in a refusal's words
    decoded = decode_image(register.images.read(capture.image_sha256), name)
    cancel.raise_if_cancelled()
    progress(0.4, "assessing")
    assessment, cam_png = assess_fn(assessor)(decoded, capture.modality)
    cancel.raise_if_cancelled()  # the last moment to stop: nothing is written before this
    progress(0.9, "storing the assessment")
    cam_sha = register.images.put(cam_png) if cam_png else None
    return register.assessments.store(actor, capture_id, assessment, cam_sha)


def unassessed_captures(register: Register, patient_id: int) -> list[Capture]:
    """The patient's captures with no assessment yet (imported while no model could be used), lesion by lesion and
    each lesion's by date; deleted lesions and captures left out."""
    return [
        c
        for lesion in register.lesions.for_patient(patient_id)
        for c in register.captures.for_lesion(lesion.id)
        if register.assessments.latest(c.id) is None
    ]
