"""After an assessment: the comparisons that recorded another outcome for its capture compared again.

A comparison records the risk tiers the two captures had when it was made (``risk_record``). Once a capture is
assessed again with another outcome (another tier, its first assessment, not assessable now), its comparisons with
the baseline, and with the reviewed capture a later capture is judged since, are compared again as they are now
(images and all, the pair's alignment by hand kept): the change verdict, the trend, the ⚠ flags and the reports then
read the new tier. So is any other pair of its captures compared (``dermadesk compare 2 3``, a pair whose first
capture was the baseline before an older image came in): its stored verdict says the tier rise as the pair's
comparison with the baseline does, and the ⚠ CHANGED flag reads it where that comparison cannot tell. The app runs it
in the background after Re-assess capture, Assess unassessed captures and the import of a transfer package that
brought assessments (``outdated`` first says, from stored rows only, whether there is anything to compare);
``dermadesk assess`` and ``dermadesk transfer import`` at once.
"""

from __future__ import annotations

from collections.abc import Collection

from dermadesk.domain.dates import capture_when
from dermadesk.domain.errors import Cancelled, DermaDeskError
from dermadesk.domain.records import Comparison
from dermadesk.services import tracking
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.services.risk_record import outdated_with_baseline
from dermadesk.storage.register import Register


def lesions_of(register: Register, capture_ids: Collection[int]) -> list[int]:
    """The lesions of ``capture_ids``, by id; those of deleted captures or lesions left out."""
    captures = [register.captures.get(i) for i in capture_ids]
    ids = {c.lesion_id for c in captures if c.deleted_at is None}
    return sorted(i for i in ids if register.lesions.get(i).deleted_at is None)


def outdated(register: Register, capture_ids: Collection[int], missing: bool = True) -> list[int]:
    """The lesions of ``capture_ids`` with a comparison to make again after their assessment (stored rows only, no
    image read): one whose risk part is outdated (with the baseline or any other pair), or (``missing``) a later
    capture's with its reviewed capture that is not stored yet (an import makes those itself)."""
    out = []
    for lesion_id in lesions_of(register, capture_ids):
        rows = tracking.current_comparisons(register, lesion_id)
        unmade = missing and tracking.reviewed_pairs(register, lesion_id)
        if outdated_with_baseline(register, lesion_id, rows) or unmade:
            out.append(lesion_id)
    return out


def outdated_others(register: Register, lesion_id: int) -> list[Comparison]:
    """The lesion's current comparisons of a pair other than with its baseline whose risk part is outdated (the
    latest of each pair, in date order of the second capture): a pair compared by hand, one whose first capture was
    the baseline before an older image came in, one with a capture no longer the reviewed one. The ⚠ CHANGED flag
    reads such a pair only where the second capture's comparison with the baseline does not tell (``standing``'s
    fallback), yet each is compared again all the same: that can come later with nothing comparing the pair again
    then (the baseline's comparison made again after a correction, an older image that becomes the baseline), and
    ``outdated`` reads every current pair, so a pair left outdated would name its lesion after every assessment."""
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 3:  # two captures make one pair: the baseline's
        return []
    rows = [r for r in tracking.current_comparisons(register, lesion_id) if r.baseline_capture_id != captures[0].id]
    return outdated_with_baseline(register, lesion_id, rows)


def compare_lesion_again(
    register: Register,
    actor: str,
    lesion_id: int,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    stored: list[Comparison] | None = None,
    missing: bool = True,
) -> None:
    """Compare again the lesion's comparisons with the baseline whose risk part is outdated, in date order, then
    each later capture with its reviewed capture where that comparison is outdated or (``missing``) not made yet (a
    verdict made again may make a capture a reviewed one, or no longer one: an import makes those first comparisons
    in its own step, ``transfer.compare_since_import``), then any other pair whose risk part is outdated
    (``outdated_others``: its alignment by hand kept). ``progress`` names each ("comparing the capture of 30 Mar 2026
    with the baseline", "comparing with the reviewed capture of 16 Feb 2026", "comparing the capture of 30 Mar 2026
    with the capture of 16 Feb 2026"); ``stored`` is given every row stored, as it is stored."""
    stored = [] if stored is None else stored
    captures = register.captures.for_lesion(lesion_id)
    named = {c.id: capture_when(c, captures) for c in captures}
    todo = outdated_with_baseline(register, lesion_id, tracking.current_comparisons(register, lesion_id, True))
    steps, images = len(todo) + 2, tracking.Decoded()  # each with the baseline, those with a reviewed capture, others
    for k, row in enumerate(todo):
        cancel.raise_if_cancelled()
        progress(k / steps, f"comparing the capture of {named[row.followup_capture_id]} with the baseline")
        pair = (row.baseline_capture_id, row.followup_capture_id)
        stored.append(tracking.compare_captures(register, actor, *pair, cancel=cancel, images=images)[0])
    tracking.compare_with_reviewed(  # each row given to ``stored`` as it is stored: those before a cancel are said
        register,
        actor,
        lesion_id,
        cancel=cancel,
        progress=lambda f, text: progress((len(todo) + f) / steps, text),
        images=images,
        missing=missing,
        stored=stored,
    )
    others = outdated_others(register, lesion_id)  # after those: a pair compared with its reviewed capture is not
    for k, row in enumerate(others):
        cancel.raise_if_cancelled()
        first, second = named[row.baseline_capture_id], named[row.followup_capture_id]
        progress(
            (steps - 1 + k / len(others)) / steps, f"comparing the capture of {second} with the capture of {first}"
        )
        pair = (row.baseline_capture_id, row.followup_capture_id)
        stored.append(tracking.compare_captures(register, actor, *pair, cancel=cancel, images=images)[0])


def compare_after_assessment(
    register: Register,
    actor: str,
    capture_ids: Collection[int],
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    stored: list[Comparison] | None = None,
    missing: bool = True,
) -> list[Comparison]:
    """``compare_lesion_again`` for the lesion of each capture assessed (``capture_ids``) that ``outdated`` names
    (``missing``: as there and in ``compare_lesion_again``), each named where there are more ("lesion 2: comparing
    ..."). A lesion whose comparison fails (an image that cannot be read now) leaves the others to be compared, then
    its error is raised; a cancel stops at once. Returns the rows stored (``stored`` too: filled in place, those
    stored before a failure or cancel included)."""
    stored = [] if stored is None else stored
    lesions, failed = outdated(register, capture_ids, missing), []
    for k, lesion_id in enumerate(lesions):
        number = register.lesions.get(lesion_id).number

        def said(fraction: float, text: str, k: int = k, number: int | None = number) -> None:
            progress((k + fraction) / len(lesions), f"lesion {number}: {text}" if len(lesions) > 1 else text)

        try:
            compare_lesion_again(register, actor, lesion_id, said, cancel, stored, missing)
        except Cancelled:
            raise
        except DermaDeskError as exc:
            failed.append(f"lesion {number}: {exc}" if len(lesions) > 1 else str(exc))
    if failed:
        raise DermaDeskError("; ".join(failed))
    return stored
