"""Assessing captures: a stored capture gets a new assessment row (history is kept per model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dermadesk.analysis.decode import DecodedImage, decode_image
from dermadesk.domain.errors import ModelError, NotFoundError
from dermadesk.domain.records import Assessment
from dermadesk.inference.engine import Assessor
from dermadesk.storage.register import Register


def assess_fn(assessor: Assessor) -> Any:
    """An ``AssessFn`` for capture import: assessment row values plus the heat-map PNG."""

    def run(decoded: DecodedImage, modality: str = "dermoscopic") -> dict[str, Any]:
        result = assessor.assess(decoded.rgb, modality)
        row = result.to_row(assessor.entry, assessor.choice.provider)
        row["cam_png"], _ = assessor.cam_png(result)
        return row

    return run


def make_assess_fn(data_dir: Path, model: str | None, device: str) -> tuple[Any, str | None]:
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


def assess_capture(register: Register, assessor: Assessor, actor: str, capture_id: int) -> Assessment:
    """Assess a stored capture again (e.g. with a newer model); adds a row, keeps the old ones."""
    capture = register.captures.get(capture_id)
    decoded = decode_image(register.images.read(capture.image_sha256), capture.original_name or f"capture {capture_id}")
    values = assess_fn(assessor)(decoded, capture.modality)
    cam_png = values.pop("cam_png")
    cam_sha = register.images.put(cam_png) if cam_png else None
    return register.assessments.add(actor, capture_id, cam_sha256=cam_sha, **values)
