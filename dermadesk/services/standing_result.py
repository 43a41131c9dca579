"""The result that stands for a lesion: its latest capture's assessment, or, when that capture is not
assessable (or not assessed yet), the latest assessable result before it, said so with its date. A later
"not assessable" capture never hides an earlier URGENT result: the referral prompt, the lesion list and the
reports all ask this one function.

Nor does a later, milder result hide an earlier URGENT one that nobody acted on: while no decision is recorded on
that capture (Assessment tab, Clinician review: "Save review") and the lesion is still "monitoring", the earlier, more
severe result is named beside the latest one (``earlier``), and the referral prompt and the list flag take its tier."""

from __future__ import annotations

from dataclasses import dataclass

from dermadesk.contract import NOT_ASSESSABLE, RISK_TIERS
from dermadesk.domain.dates import human_date
from dermadesk.domain.records import Assessment, Capture
from dermadesk.services.since_review import ANSWERED
from dermadesk.storage.register import Register

ACT_NOW = ("urgent", "refer")
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
