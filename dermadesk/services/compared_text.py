"""A stored comparison made again, or put back in use, in words: one wording for the command line (``capture edit``,
``capture delete --restore``, ``assess``, ``transfer import``) and the app's import notice. "Lesion 1 (id 3): capture
1 (10 Jan 2026) → capture 2 (10 Feb 2026) compared again with the baseline: SIGNIFICANT (area grew by 56%)"; one that
a correction made current again (a date or scale corrected back to what it was made with, a capture restored) is
"compared before with the baseline, in use again: ..."; one made for the first time (with a reviewed capture after an
import, or on the workstation a transfer package came from) "compared with the reviewed capture: ...". The command
line names lesions and captures with the ids its commands take, the app by what a user sees ("Lesion 1 of T-9 Tom
Transfer", "10 Jan 2026")."""

from __future__ import annotations

from collections.abc import Iterable

from dermadesk.domain.dates import capture_when
from dermadesk.domain.records import Comparison
from dermadesk.storage.register import Register


def first_reason(row: Comparison) -> str:
    """ " (area grew by 56%)": a comparison's first reason, as a line naming the comparison gives it; where neither
    capture could be assessed, for the same reasons, their "no risk trend" said once (``said_once``, as the Change
    tab and the report say it); "" where it gives none."""
    from dermadesk.services.risk_record import said_once

    reasons = said_once(row.reasons)
    return f" ({reasons[0]})" if reasons else ""


def pair_kind(register: Register, row: Comparison) -> str:
    """ " with the baseline" where the first capture is the lesion's baseline, " with the reviewed capture" where it is
    the reviewed capture the second is judged since (the ⚠ CHANGED flag reads that comparison), "" for another pair
    (one compared by hand)."""
    from dermadesk.services.since_review import reviewed_before
    from dermadesk.services.stored_comparisons import current_comparisons

    captures = register.captures.for_lesion(row.lesion_id)
    verdicts = {
        r.followup_capture_id: r.verdict for r in current_comparisons(register, row.lesion_id, baseline_only=True)
    }
    listed = next((c for c in captures if c.id == row.followup_capture_id), None)  # as the lesion lists it
    reviewed = reviewed_before(captures, verdicts, listed) if listed is not None else None
    if captures and row.baseline_capture_id == captures[0].id:
        return " with the baseline"
    return " with the reviewed capture" if reviewed is not None and reviewed.id == row.baseline_capture_id else ""


def compared_text(
    register: Register,
    row: Comparison,
    lesion: str,
    first: str,
    second: str,
    where: str = "",
    again: bool = False,
    new: bool = False,
) -> str:
    """ "{lesion}: {first} → {second} compared again with the baseline: SIGNIFICANT (area grew by 56%)" (``pair_kind``);
    ``where``: where it was made, if not here ("at workstation W": "compared again at workstation W with the baseline");
    ``again``: a stored comparison a correction put back in use, not made now: "compared before with the baseline, in
    use again: SIGNIFICANT ..."; ``new``: a first comparison of the pair, not one made again ("compared with the
    reviewed capture: ...", "compared at workstation W with the baseline: ...")."""
    kind, made = pair_kind(register, row), "before" if again else "" if new else "again"
    return (
        f"{lesion}: {first} → {second} compared{' ' + made if made else ''}{' ' + where if where else ''}{kind}"
        f"{', in use again' if again else ''}: {row.verdict.upper()}{first_reason(row)}"
    )


def lesion_of_patient(register: Register, lesion_id: int) -> str:
    """ "Lesion 1 of T-9 Tom Transfer": a lesion as the app names it where the patient is not in view (a notice)."""
    les = register.lesions.get(lesion_id)
    patient = register.patients.get(les.patient_id)
    return f"{les.title} of {patient.mrn} {patient.name}"


def lesions_of_patients(register: Register, lesion_ids: Iterable[int]) -> str:
    """ "Lesion 1 of T-9 Tom Transfer, Lesion 2 of T-9 Tom Transfer" (``lesion_of_patient`` each)."""
    return ", ".join(lesion_of_patient(register, i) for i in lesion_ids)


def in_words(register: Register, row: Comparison, where: str = "", again: bool = False, new: bool = False) -> str:
    """A comparison an import made, brought or put back in use, as the app says it (``compared_text``'s ``where``,
    ``again``, ``new``): "Lesion 1 of T-9 Tom Transfer: 16 Feb 2026 → 30 Mar 2026 compared with the reviewed capture:
    NOT SIGNIFICANT (...)"."""
    captures = register.captures.for_lesion(row.lesion_id)
    first, second = (register.captures.get(i) for i in (row.baseline_capture_id, row.followup_capture_id))
    return compared_text(
        register,
        row,
        lesion_of_patient(register, row.lesion_id),
        capture_when(first, captures),
        capture_when(second, captures),
        where,
        again,
        new,
    )


def in_use_again_in_words(register: Register, row: Comparison) -> str:
    """A stored comparison an import's corrections put back in use, as the app's notice says it: "Lesion 1 of T-9 Tom
    Transfer: 5 Jan 2026 → 16 Feb 2026 compared before with the baseline, in use again: SIGNIFICANT (...)"."""
    return in_words(register, row, again=True)
