"""Change tracking: compare two captures of a lesion and store the comparison row."""

from __future__ import annotations

import datetime as dt

from dermadesk.analysis.change import ChangeResult, compare
from dermadesk.analysis.decode import decode_image
from dermadesk.domain.errors import ValidationError
from dermadesk.domain.records import Capture, Comparison
from dermadesk.storage.register import Register


def interval_days(a: Capture, b: Capture) -> int | None:
    try:
        return abs((dt.date.fromisoformat(b.taken_at[:10]) - dt.date.fromisoformat(a.taken_at[:10])).days)
    except ValueError:
        return None


def compare_pair(register: Register, baseline_id: int, followup_id: int,
                 days: int | None = None) -> tuple[Capture, Capture, ChangeResult]:
    """Compare two captures of the same lesion (older one as baseline), storing nothing."""
    a, b = register.captures.get(baseline_id), register.captures.get(followup_id)
    if a.lesion_id != b.lesion_id:
        raise ValidationError(f"captures {a.id} and {b.id} belong to different lesions")
    if (b.taken_at, b.id) < (a.taken_at, a.id):
        a, b = b, a
    img_a = decode_image(register.images.read(a.image_sha256), a.original_name).rgb
    img_b = decode_image(register.images.read(b.image_sha256), b.original_name).rgb
    aa, ab = register.assessments.latest(a.id), register.assessments.latest(b.id)
    result = compare(img_a, img_b, days if days is not None else interval_days(a, b), a.mm_per_px,
                     (aa.malignant_probability if aa else None, ab.malignant_probability if ab else None),
                     (aa.risk_tier if aa else None, ab.risk_tier if ab else None))
    return a, b, result


def compare_captures(register: Register, actor: str, baseline_id: int, followup_id: int,
                     days: int | None = None) -> tuple[Comparison, ChangeResult]:
    """Compare two captures of the same lesion (older one as baseline) and store the result (audited)."""
    a, b, result = compare_pair(register, baseline_id, followup_id, days)
    row = register.comparisons.add(actor, a.lesion_id, a.id, b.id, result.interval_days, result.verdict,
                                   result.reasons, result.to_dict(),
                                   result.registration.transform_list() if result.registration else None)
    return row, result


def capture_areas(register: Register, lesion_id: int) -> dict[int, tuple[float | None, float]]:
    """Lesion area per capture id, (mm² or None, pixels), as measured by the stored comparisons."""
    areas: dict[int, tuple[float | None, float]] = {}
    for cmp_ in register.comparisons.for_lesion(lesion_id):
        for key, cid in (("baseline", cmp_.baseline_capture_id), ("followup", cmp_.followup_capture_id)):
            m = (cmp_.metrics or {}).get(key) or {}
            if m.get("area_px") is not None:
                areas[cid] = (m.get("area_mm2"), float(m["area_px"]))
    return areas


def compare_latest_with_baseline(register: Register, actor: str, lesion_id: int) -> Comparison | None:
    """After an import: the newest capture against the first one (None with fewer than two)."""
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 2:
        return None
    row, _ = compare_captures(register, actor, captures[0].id, captures[-1].id)
    return row
