"""The result that stands for a lesion: its latest capture's assessment, or, when that capture is not
assessable (or not assessed yet), the latest assessable result before it, said so with its date. A later
"not assessable" capture never hides an earlier URGENT result: the referral prompt, the lesion list and the
reports all ask this one function.

Nor does a later, milder result hide an earlier URGENT one that nobody acted on: while no decision is recorded on
that capture (Assessment tab, Clinician review: "Save review") and the lesion is still "monitoring", the earlier, more
severe result is named beside the latest one (``earlier``), and the referral prompt and the list flag take its tier.

A SIGNIFICANT change since the baseline stands the same way (``significant_change``): until a decision answers it on
that capture or the lesion's status moves on, whichever capture is on screen."""

from __future__ import annotations

from dataclasses import dataclass

from dermadesk.contract import NOT_ASSESSABLE, RISK_TIERS
from dermadesk.domain.dates import human_date
from dermadesk.domain.records import Assessment, Capture
from dermadesk.services.tracking import BaselineChange, current_comparisons
from dermadesk.storage.register import Register

ACT_NOW = ("urgent", "refer")
ANSWERED = ("monitor", "discharge")  # a clinician's decision that answers an URGENT/REFER result: nothing to flag
SEVERITY = {tier: RISK_TIERS.index(tier) for tier in ACT_NOW}  # the contract's order: urgent above refer


@dataclass(frozen=True)
class Standing:
    """``latest``: the lesion's latest capture and its assessment; ``stands``: the assessable result that
    stands (the latest capture's own, or an earlier one's when the latest is not assessable)."""

    latest: Capture | None
    latest_assessment: Assessment | None
    stands_capture: Capture | None
    stands: Assessment | None
    earlier_capture: Capture | None = None
    earlier: Assessment | None = None  # a more severe act-now result before it, no decision recorded on it

    @property
    def carried(self) -> bool:
        """The result that stands is an earlier capture's (the latest one is not assessable or not assessed)."""
        return self.stands is not None and self.stands_capture is not self.latest

    @property
    def tier(self) -> str | None:
        """The tier to act on: an earlier, more severe result nobody acted on, else the standing one; "not
        assessable" when no capture ever was; None when nothing was assessed."""
        if self.earlier is not None:
            return self.earlier.risk_tier
        if self.stands is not None:
            return self.stands.risk_tier
        if self.latest_assessment is not None:
            return NOT_ASSESSABLE
        return None

    @property
    def urgent(self) -> bool:
        return (self.tier or "").lower() in ACT_NOW

    @property
    def note(self) -> str:
        """ "latest capture not assessable; last assessable result: URGENT on 10 Mar 2026", and/or "earlier result
        URGENT on 10 Mar 2026 without a recorded decision" ('' when neither)."""
        parts = []
        if self.carried and self.stands is not None and self.stands_capture is not None:
            why = "not assessable" if self.latest_assessment is not None else "not assessed yet"
            tier = (self.stands.risk_tier or "").upper()
            parts.append(
                f"latest capture {why}; last assessable result: {tier} on {human_date(self.stands_capture.taken_at)}"
            )
        if self.earlier is not None and self.earlier_capture is not None:
            tier = (self.earlier.risk_tier or "").upper()
            parts.append(
                f"earlier result {tier} on {human_date(self.earlier_capture.taken_at)} without a recorded decision"
            )
        return "; ".join(parts)


def standing_result(register: Register, lesion_id: int) -> Standing:
    """Which result stands for the lesion (its captures that are not deleted, by date)."""
    captures = register.captures.for_lesion(lesion_id)
    if not captures:
        return Standing(None, None, None, None)
    assessed = [(c, register.assessments.latest(c.id)) for c in captures]
    latest, latest_a = assessed[-1]
    stands_capture, stands = next(
        ((c, a) for c, a in reversed(assessed) if a is not None and a.assessable), (None, None)
    )
    floor = SEVERITY.get(stands.risk_tier or "", 0) if stands else 0
    undecided = [  # earlier act-now results more severe than the one that stands, no decision recorded on them
        (SEVERITY[a.risk_tier or ""], i, c, a)
        for i, (c, a) in enumerate(assessed)
        if c is not stands_capture
        and a is not None
        and a.assessable
        and not c.decision
        and SEVERITY.get(a.risk_tier or "", 0) > floor
    ]
    _, _, earlier_capture, earlier = max(undecided, default=(0, 0, None, None))  # the most severe, then the latest
    return Standing(latest, latest_a, stands_capture, stands, earlier_capture, earlier)


def needs_action(register: Register, lesion_id: int, held: Standing | None = None) -> Standing | None:
    """The standing result when it is URGENT or REFER and nobody acted (the lesion still 'monitoring', and no
    decision 'monitor' or 'discharge' recorded on that capture: a clinician's answer to it, which stands);
    ``held``: the lesion's standing result where the caller has it already."""
    if register.lesions.get(lesion_id).status != "monitoring":
        return None
    standing = held or standing_result(register, lesion_id)
    acted_on = standing.earlier_capture if standing.earlier is not None else standing.stands_capture
    if acted_on is not None and acted_on.decision in ANSWERED:  # the clinician reviewed it and decided
        return None
    return standing if standing.urgent else None


def carried_referral_hint(register: Register, lesion_id: int) -> str:
    """The command line's hint when the capture just added or assessed does not say it, but an earlier URGENT or
    REFER result (that capture not assessable) or an earlier SIGNIFICANT change (its comparison cannot tell) stands
    and nobody acted ('' otherwise), as the app's referral prompt says it."""
    from dermadesk.services.register_ops import REFERRAL_HINT

    standing = needs_action(register, lesion_id)
    change = significant_change(register, lesion_id)
    notes = [s.note for s in (standing, change) if s is not None and s.carried]
    return f"{'; '.join(notes)}; {REFERRAL_HINT.format(id=lesion_id)}" if notes else ""


@dataclass(frozen=True)
class StandingChange:
    """A SIGNIFICANT change since the lesion's baseline that nobody answered: ``capture``'s stored comparison with the
    lesion's first capture (``comparison_id``), the latest that tells; ``later``: what the lesion's latest capture
    says where it is a later one ("cannot tell", or None: not compared yet)."""

    baseline: Capture
    capture: Capture
    reasons: list[str]
    comparison_id: int | None  # None: computed afresh for a report, not stored
    latest: Capture
    later: str | None = None

    @property
    def carried(self) -> bool:
        """The change is an earlier capture's: the latest one's comparison cannot tell, or was not made."""
        return self.capture.id != self.latest.id

    @property
    def note(self) -> str:
        """ "significant change on 3 Mar 2026 (area grew by 35%)", and where a later capture's comparison does not
        tell, "; latest capture's change: cannot tell" (or "not compared yet")."""
        why = f" ({self.reasons[0]})" if self.reasons else ""
        text = f"significant change on {human_date(self.capture.taken_at)}{why}"
        if self.carried:
            text += f"; latest capture's change: {self.later or 'not compared yet'}"
        return text


def significant_change(
    register: Register, lesion_id: int, fresh: BaselineChange | None = None
) -> StandingChange | None:
    """The lesion's standing SIGNIFICANT change, from stored comparisons only (no image is read): the latest of its
    captures' current comparisons with its baseline (the first capture) whose verdict tells, when it is SIGNIFICANT,
    the lesion is still 'monitoring' and no decision 'monitor' or 'discharge' is recorded on that capture (a
    clinician's answer to it; 'refer' or 'excise' leave it standing until the lesion's status says so). A later
    capture not compared yet, or whose comparison cannot tell, hides no earlier change; a later NOT SIGNIFICANT one
    does (the lesion as it is now is what is judged). The lesion list, body map, referral prompt, reports and the
    command line all ask this. ``fresh``: the latest capture's change computed afresh where no row of it is stored
    (``tracking.baseline_change``: the reports), so that what they print and what stands agree."""
    if register.lesions.get(lesion_id).status != "monitoring":
        return None
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 2:
        return None
    base = captures[0]
    rows: dict[int, tuple[str, list[str], int | None]] = {  # follow-up -> (verdict, reasons, row); the latest row
        r.followup_capture_id: (r.verdict, r.reasons, r.id)
        for r in current_comparisons(register, lesion_id)
        if r.baseline_capture_id == base.id
    }
    if fresh is not None and fresh.baseline.id == base.id:
        rows.setdefault(fresh.followup.id, (fresh.verdict, fresh.reasons, fresh.comparison_id))
    for capture in reversed(captures[1:]):
        verdict, reasons, row_id = rows.get(capture.id, ("cannot tell", [], None))  # not compared: nothing told
        if verdict == "cannot tell":
            continue
        if verdict != "significant" or capture.decision in ANSWERED:
            return None
        later = rows.get(captures[-1].id)
        return StandingChange(base, capture, list(reasons), row_id, captures[-1], later[0] if later else None)
    return None
