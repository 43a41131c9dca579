"""What was recorded with a capture as it was taken (its modality, polarisation, magnification and scale) in the
words the command line and the reports share: "modality dermoscopic, polarisation polarised, magnification ×10, scale
0.021 mm per pixel"; a field nobody entered is "not recorded", as the app's Add and Edit capture say it."""

from __future__ import annotations

from dermadesk.domain.dates import human_datetime
from dermadesk.domain.records import NOT_RECORDED, Capture

# a capture's fields by the names a user reads ("scale", never "mm_per_px"); the others by their own
EDITED = {"taken_at": "date taken", "modality": "modality", "mm_per_px": "scale", "lesion_id": "lesion id"}
# recorded with a capture (capture add, capture edit); its modality always (dermoscopic unless said otherwise)
RECORDED = ("modality", "polarisation", "magnification", "mm_per_px")


def field_value_text(field: str, value: object) -> str:
    """A capture's field's value in plain words: "10 Feb 2026", "0.02 mm per pixel", "×10", "polarised" (none:
    "not recorded", as the app's Add and Edit capture say it)."""
    if value is None:
        return NOT_RECORDED
    if field == "taken_at":
        return human_datetime(str(value))  # as every capture date is said (its time where it has one)
    if field == "magnification" and isinstance(value, (int, float)):
        return f"×{value:g}"
    return f"{value:g} mm per pixel" if field == "mm_per_px" and isinstance(value, float) else str(value)


def recorded_parts(c: Capture, every: bool = False) -> list[str]:
    """Each field recorded with the capture in words, "polarisation polarised"; ``every``: those nobody entered too,
    "magnification not recorded" (a report that compares captures says so), else only those recorded."""
    return [
        f"{EDITED.get(field, field)} {field_value_text(field, getattr(c, field))}"
        for field in RECORDED
        if every or getattr(c, field) is not None
    ]


def recorded_text(c: Capture, every: bool = False) -> str:
    """What was recorded with the capture, worded as ``capture edit`` says a correction of it: "modality dermoscopic,
    polarisation polarised, magnification ×10, scale 0.021 mm per pixel"; ``every``: as ``recorded_parts``."""
    return ", ".join(recorded_parts(c, every))
