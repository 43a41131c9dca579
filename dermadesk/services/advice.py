"""What an assessed capture advises, in words: the model's advice for its risk tier (``contract.TIER_ACTIONS`` under the
tier, ``RECOMMENDATIONS`` in full), unless the lesion's change since its baseline says otherwise. The model looks at one
image; a SIGNIFICANT change between captures that no clinician answered yet is not in its probabilities, so a LOW
or MONITOR tier beside it never reads "routine care, re-check in about 12 months" (a nurse read that first, above
"Change since 25 Aug 2026: SIGNIFICANT"): the advice names the change and asks for a clinician's review. Once a
decision answered the change, or the lesion's status moved on, the advice names that instead. The tier itself stays
the model's: change tracking, reports and tests read it. The app's assessment panel, the lesion report and the
command line all ask ``advice`` (``capture_advice`` from the stored rows; the report from the change it prints)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dermadesk.contract import TIER_ACTIONS
from dermadesk.domain.dates import capture_when
from dermadesk.domain.records import Capture
from dermadesk.services.since_review import ANSWERED, reviewed_before
from dermadesk.services.standing import TO_MARK, StandingChange, mark_after, significant_change
from dermadesk.services.stored_comparisons import current_comparisons, latest_change
from dermadesk.storage.register import Register

# what the model's tier alone asks, without its interval: the change, not the model, sets when to look again
BY_PROBABILITIES = {"low": "Routine care", "monitor": "Short-term follow-up"}
IMAGE_ALONE = "The model's estimate rests on this image alone, not on how the lesion changed between captures."


@dataclass(frozen=True)
class ChangeState:
    """The lesion's SIGNIFICANT change since its baseline as a capture's advice names it (each capture named for
    people): ``since``: the capture it is counted from (the baseline, or the reviewed capture after which it is new);
    ``seen_on``: the capture whose comparison found it, where not the one advised on; ``decision``: the clinician's
    decision that answered it ('' while none did), on ``decided_on`` ('' : the capture advised on); ``status``: the
    lesion's status where it moved on from 'monitoring'."""

    since: str
    seen_on: str = ""
    decision: str = ""
    decided_on: str = ""
    status: str = ""

    @property
    def answered(self) -> bool:
        return bool(self.decision or self.status)


@dataclass(frozen=True)
class Advice:
    """``line``: under the tier, in a few words; ``text``: the recommendation in full, where the model's was shown;
    ``change``: the lesion's change shaped them (the model's own advice otherwise); ``unanswered``: no decision or
    status answered that change yet (shown as a warning)."""

    line: str
    text: str
    change: bool = False
    unanswered: bool = False


def advice(tier: str, recommendation: str, change: ChangeState | None) -> Advice:
    """The advice for an assessed capture of ``tier`` (the model's ``recommendation``) beside the lesion's ``change``
    (None: no SIGNIFICANT change to name). Unanswered, under a LOW or MONITOR tier: "Routine care by the model's
    probabilities; but this lesion changed significantly since 25 Aug 2026: have a clinician review the change",
    without the model's interval; under REFER or URGENT the model's advice, the change named after it. Answered:
    the decision ("Clinician's decision: monitor, after the significant change since 25 Aug 2026"; a 'refer' or
    'excise' one with the lesion still 'monitoring' adds what is left, as the ⚠ flag says it: "; status still
    'monitoring': arrange it, then mark the lesion referred") or the status, then the model's advice for the image
    alone (REFER and URGENT keep theirs first)."""
    action = TIER_ACTIONS.get(tier, "")
    if change is None:
        return Advice(action, recommendation)
    seen = f" (seen on {change.seen_on})" if change.seen_on else ""
    if not change.answered:
        changed = f"changed significantly since {change.since}{seen}"
        if tier not in BY_PROBABILITIES:  # the model asks for more than a review already
            return Advice(
                f"{action}; the lesion also {changed}", f"{recommendation} This lesion also {changed}.", True, True
            )
        review = "have a clinician review the change"
        line = f"{BY_PROBABILITIES[tier]} by the model's probabilities; but this lesion {changed}: {review}"
        return Advice(line, f"{line}. {IMAGE_ALONE}", True, True)
    if tier not in BY_PROBABILITIES:
        return Advice(action, recommendation)
    if change.decision:
        on = f" (on the {change.decided_on} capture)" if change.decided_on else ""
        line = f"Clinician's decision: {change.decision}{on}, after the significant change since {change.since}"
        if change.decision in TO_MARK and not change.status:  # the flag stands until the lesion is marked: say so
            line += f"; status still 'monitoring': {mark_after(change.decision)}"
    else:
        line = f"Lesion {change.status}, after a significant change since {change.since}"
    return Advice(line, f"{line}. The model's advice for this image alone: {recommendation}", True)


def change_state(
    register: Register,
    capture: Capture,
    verdict: str | None,
    baseline: Capture | None,
    standing: StandingChange | None,
    name: Callable[[Capture], str] | None = None,
) -> ChangeState | None:
    """The change ``capture``'s advice names: the lesion's SIGNIFICANT change nobody answered (``standing``, from
    ``standing.significant_change``), whichever capture it is on; else ``capture``'s own change since ``baseline``
    (``verdict``) where SIGNIFICANT: answered by the lesion's status, by a decision on it, or by the reviewed capture's
    before it or a later capture's that answered it too; None where no SIGNIFICANT change concerns it. ``name``: how
    a capture is named (default: as the app names it among its lesion's captures, ``capture_when``)."""
    captures = register.captures.for_lesion(capture.lesion_id)
    named = name or (lambda c: capture_when(c, captures))
    if standing is not None:
        since = named(standing.reviewed or standing.baseline)
        seen = "" if standing.capture.id == capture.id else named(standing.capture)
        decided = standing.capture.decision or ""  # 'refer' or 'excise', the status not marked yet: the decision
        return ChangeState(since, seen, decided, seen if decided else "")
    if verdict != "significant" or baseline is None:
        return None
    since = named(baseline)
    status = register.lesions.get(capture.lesion_id).status
    if status != "monitoring":
        return ChangeState(since, status=status)
    decider = _answered_by(register, captures, capture)
    if decider is None:  # nothing answered it, yet it does not stand (a row the flag does not read): say it
        return ChangeState(since)
    return ChangeState(
        since, decision=decider.decision or "", decided_on="" if decider.id == capture.id else named(decider)
    )


def _answered_by(register: Register, captures: list[Capture], capture: Capture) -> Capture | None:
    """The capture whose decision 'monitor' or 'discharge' answered ``capture``'s SIGNIFICANT change: its own, else the
    reviewed capture's before it (nothing new since), else the first later SIGNIFICANT one's (it answers every change
    before it)."""
    if capture.decision in ANSWERED:
        return capture
    if capture not in captures:
        return None
    rows = sorted(current_comparisons(register, capture.lesion_id, baseline_only=True), key=lambda r: r.id)
    verdicts = {r.followup_capture_id: r.verdict for r in rows}
    earlier = reviewed_before(captures, verdicts, capture)
    if earlier is not None:
        return earlier
    later = captures[captures.index(capture) + 1 :]
    return next((c for c in later if c.decision in ANSWERED and verdicts.get(c.id) == "significant"), None)


def capture_advice(register: Register, capture_id: int) -> Advice | None:
    """The advice for the capture's latest assessment beside the lesion's change as stored (no image is read: the
    app asks it on the GUI thread), as the assessment panel and the command line give it; None where the capture
    has no tier (not assessed, or not assessable)."""
    capture = register.captures.get(capture_id)
    a = register.assessments.latest(capture_id)
    if a is None or not a.assessable or not a.risk_tier:
        return None
    row = latest_change(register, capture_id)
    baseline = register.captures.get(row.baseline_capture_id) if row is not None else None
    standing = significant_change(register, capture.lesion_id)
    state = change_state(register, capture, row.verdict if row else None, baseline, standing)
    return advice(a.risk_tier, a.recommendation or "", state)
