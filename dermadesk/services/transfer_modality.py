"""A capture's modality a transfer import brought (corrected on the other workstation, or a conflict answered "take the
package's value"), as it brings a date or a scale (``storage.transfer_fields``).

An assessment is made for the modality its capture had then (``storage.assessments``). Once the import has written
the modality, the capture's assessment is the newest one made for the modality it has now: the one the package
brought where the other workstation assessed it again (a clinical capture, with a model validated on dermoscopic
images only: NOT ASSESSABLE), else none, and then no view, flag or report shows the tier made before: the capture's
assessment is out of date, said with how to assess it (``modality.outdated_words``). An import runs no model (the
package brings records; assessing is a choice of model and device made here), so it says so instead of assessing; the
comparisons that recorded the tier before are compared again within it, as after the assessments it brings
(``transfer_left.assessed_captures``). A package of a DermaDesk that did not record an assessment's modality brings
rows with none: such a row with a tier is never one for a clinical capture (``storage.assessments``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from dermadesk.services.modality import TO_ASSESS, outdated_words
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_merge import ImportPlan


@dataclass(frozen=True)
class ModalityBrought:
    """A capture here whose modality an import changed: from ``before`` to ``after``; ``out_of_date`` where it has no
    assessment made for its modality now, though it was assessed before (to assess again)."""

    capture_id: int
    before: str
    after: str
    out_of_date: bool


def modality_brought(register: Register, plan: ImportPlan) -> list[ModalityBrought]:
    """The captures whose modality a carried-out import changed, by id, each with whether its assessment is out of
    date now (read after the import is written)."""
    return sorted(
        (
            ModalityBrought(
                u.local_id,
                str(u.before.get("modality")),
                str(u.changes["modality"]),
                register.assessments.outdated(u.local_id) is not None,
            )
            for u in plan.updates
            if u.table == "captures" and "modality" in u.changes
        ),
        key=lambda m: m.capture_id,
    )


def as_data(brought: list[ModalityBrought]) -> list[dict[str, Any]]:
    """For --json: [{capture_id, before, after, out_of_date}]."""
    return [asdict(m) for m in brought]


def brought_words(register: Register, brought: ModalityBrought, how: str = TO_ASSESS) -> str:
    """ "modality dermoscopic → clinical, as corrected in the package; its assessment for a clinical image: NOT
    ASSESSABLE, no risk tier" (the one made there, brought), or "...; assessment out of date: it was made for a
    dermoscopic image, the capture is now clinical; assess it again (Patient > Re-assess capture)" (``how``: the way
    to assess it, as the surface says it); nothing more where it was never assessed. As the register has it now."""
    said = f"modality {brought.before} → {brought.after}, as corrected in the package"
    now = register.assessments.latest(brought.capture_id)
    if now is not None:
        result = f"tier {now.risk_tier.upper()}" if now.assessable and now.risk_tier else "NOT ASSESSABLE, no risk tier"
        return f"{said}; its assessment for a {register.captures.get(brought.capture_id).modality} image: {result}"
    old = outdated_words(register, brought.capture_id, how)
    return f"{said}; {old}" if old else said
