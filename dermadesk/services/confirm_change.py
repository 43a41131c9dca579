"""Confirming a ⚠ CHANGED flag that is an estimate. Once a decision answered a change on a capture (the reviewed
capture), a later capture is judged by its comparison with that capture; where that comparison is missing (its
comparing after the decision cancelled, or an image unreadable then) the flag estimates the change from the
comparisons with the baseline and says "not confirmed yet" (``StandingChange.unconfirmed``). What makes the missing
comparisons: the app's Patient > Compare with the reviewed capture (``compare_missing``, in the task runner), or the
command ``dermadesk compare REVIEWED LATER``; the flag names the one where it is read (``how_to_confirm``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dermadesk.domain.dates import human_date
from dermadesk.domain.records import Capture, Comparison
from dermadesk.services import tracking
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.services.since_review import latest_pairs
from dermadesk.services.standing import StandingChange
from dermadesk.storage.register import Register

ACTION = "Compare with the reviewed capture"  # the app's action (Patient menu, the lesion list's right-click menu)
IN_APP = f"Patient > {ACTION}"


def missing_pairs(register: Register, lesion_id: int) -> list[tuple[Capture, Capture]]:
    """(reviewed capture, later capture) for each later capture of the lesion with no current comparison with the
    reviewed capture before it (``tracking.reviewed_pairs``; not those stored but made with another tier: those are
    compared again after an assessment). Stored rows only (no image is read): the app asks it to enable its action."""
    done = latest_pairs(tracking.current_comparisons(register, lesion_id))
    return [(r, c) for r, c in tracking.reviewed_pairs(register, lesion_id) if (r.id, c.id) not in done]


def how_to_confirm(change: StandingChange, command: bool = False) -> str:
    """What confirms an estimated change (``change.unconfirmed``): "; to confirm it, compare the 10 Dec 2025 capture
    with the reviewed capture (Patient > Compare with the reviewed capture)"; ``command``: as the command line says it,
    with the ids its ``compare`` takes: "(dermadesk compare 5 7)"."""
    if command and change.reviewed is not None:
        how = f"dermadesk compare {change.reviewed.id} {change.capture.id}"
    else:
        how = IN_APP
    day = human_date(change.capture.taken_at)
    return f"; to confirm it, compare the {day} capture with the reviewed capture ({how})"


@dataclass
class Confirmed:
    """What ``compare_missing`` made: the rows stored, and each pair it could not compare, with why."""

    rows: list[Comparison] = field(default_factory=list)
    failed: list[tuple[Capture, Capture, str]] = field(default_factory=list)

    def failed_lines(self) -> list[str]:
        """ "10 Dec 2025 with the reviewed capture of 13 Jul 2025: image 3f2a... is missing from the image store"."""
        return [
            f"{human_date(c.taken_at)} with the reviewed capture of {human_date(r.taken_at)}: {why}"
            for r, c, why in self.failed
        ]


def compare_missing(
    register: Register,
    actor: str,
    lesion_id: int,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    made: Confirmed | None = None,
) -> Confirmed:
    """The lesion's missing comparisons with the reviewed capture (``missing_pairs``) made and stored, as after a
    decision (``tracking.compare_with_reviewed``: audited alike, each image decoded once); slow, for the task runner.
    ``made`` is filled as it goes: a cancel (Cancelled raised) keeps the rows stored before it, and they are there."""
    made = made if made is not None else Confirmed()
    later = {c.id for _, c in missing_pairs(register, lesion_id)}
    if later:
        tracking.compare_with_reviewed(
            register, actor, lesion_id, later, cancel, progress, tracking.Decoded(), True, made.rows, made.failed
        )
    return made
