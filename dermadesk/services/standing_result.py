"""The result that stands for a lesion: its latest capture's assessment, or, when that capture is not
assessable (or not assessed yet), the latest assessable result before it, said so with its date. A later
"not assessable" capture never hides an earlier URGENT result: the referral prompt, the lesion list and the
reports all ask this one function.

Nor does a later, milder result hide an earlier URGENT one that nobody acted on: while no decision is recorded on
that capture or a later one (Assessment tab, Clinician review: "Save review") and the lesion is still "monitoring",
the earlier, more severe result is named beside the latest one (``earlier``), and the referral prompt and the list
flag take its tier.

A decision answers the URGENT or REFER results of its capture and of every capture before it (``answering``): the
clinician who decides on a later capture has seen the lesion since, and the red line named the earlier result then.
Its latest decision is the one that counts, as for a SIGNIFICANT change and its reviewed capture: 'monitor' or
'discharge' answer them (``answered`` keeps which, for the reports and the command line to say it); 'refer' or
'excise' leave the flag until the lesion is marked so (``answered_by``: the capture it is on). A decision never
answers a result after its capture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from dermadesk.contract import NOT_ASSESSABLE, RISK_TIERS
from dermadesk.domain.dates import human_date
from dermadesk.domain.records import Assessment, Capture
from dermadesk.services.since_review import ANSWERED
from dermadesk.storage.register import Register

ACT_NOW = ("urgent", "refer")
SEVERITY = {tier: RISK_TIERS.index(tier) for tier in ACT_NOW}  # the contract's order: urgent above refer


class Answered(NamedTuple):
    """An URGENT or REFER result (``capture``'s ``assessment``) that a decision 'monitor' or 'discharge' on a later
    capture (``by``) answered."""

    capture: Capture
    assessment: Assessment
    by: Capture

    @property
    def how(self) -> str:
        """ "answered by the decision monitor on the 16 Nov 2026 capture"."""
        return f"answered by the decision {self.by.decision} on the {human_date(self.by.taken_at)} capture"


@dataclass(frozen=True)
class Standing:
    """``latest``: the lesion's latest capture and its assessment; ``stands``: the assessable result that
    stands (the latest capture's own, or an earlier one's when the latest is not assessable)."""

    latest: Capture | None
    latest_assessment: Assessment | None
    stands_capture: Capture | None
    stands: Assessment | None
    earlier_capture: Capture | None = None
    earlier: Assessment | None = None  # a more severe act-now result before it, that no decision answered
    answered_by: Capture | None = None  # the capture whose decision covers the result to act on (``answering``)
    answered: tuple[Answered, ...] = ()  # earlier act-now results a later capture's decision answered

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
        URGENT on 10 Mar 2026 without a recorded decision" (or, where a decision 'refer' or 'excise' covers it,
        "earlier result URGENT on 10 Mar 2026": the flag's answer says that decision) ('' when neither)."""
        parts = []
        if self.carried and self.stands is not None and self.stands_capture is not None:
            why = "not assessable" if self.latest_assessment is not None else "not assessed yet"
            tier = (self.stands.risk_tier or "").upper()
            parts.append(
                f"latest capture {why}; last assessable result: {tier} on {human_date(self.stands_capture.taken_at)}"
            )
        if self.earlier is not None and self.earlier_capture is not None:
            tier = (self.earlier.risk_tier or "").upper()
            undecided = "" if self.answered_by is not None else " without a recorded decision"
            parts.append(f"earlier result {tier} on {human_date(self.earlier_capture.taken_at)}{undecided}")
        return "; ".join(parts)


def answering(captures: list[Capture], capture: Capture) -> Capture | None:
    """The capture whose decision covers ``capture``'s result: the latest of it and the captures after it with a
    decision recorded; None where none has one."""
    after = captures[[c.id for c in captures].index(capture.id) :]
    return next((c for c in reversed(after) if c.decision), None)


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
    act_now = [(c, a, answering(captures, c)) for c, a in assessed if a is not None and a.assessable]
    act_now = [(c, a, by) for c, a, by in act_now if (a.risk_tier or "") in SEVERITY]
    unanswered = [  # earlier act-now results more severe than the one that stands, no 'monitor' or 'discharge' since
        (SEVERITY[a.risk_tier or ""], i, c, a, by)
        for i, (c, a, by) in enumerate(act_now)
        if c is not stands_capture
        and (by is None or by.decision not in ANSWERED)
        and SEVERITY[a.risk_tier or ""] > floor
    ]
    _, _, earlier_capture, earlier, by = max(unanswered, default=(0, 0, None, None, None))  # most severe, then latest
    if earlier is None and stands_capture is not None:
        by = answering(captures, stands_capture)
    answered = tuple(
        Answered(c, a, d) for c, a, d in act_now if d is not None and d is not c and d.decision in ANSWERED
    )
    return Standing(latest, latest_a, stands_capture, stands, earlier_capture, earlier, by, answered)


def needs_action(register: Register, lesion_id: int, held: Standing | None = None) -> Standing | None:
    """The standing result when it is URGENT or REFER and nobody acted (the lesion still 'monitoring', and no
    decision 'monitor' or 'discharge' recorded on that capture or a later one: a clinician's answer to it, which
    stands); ``held``: the lesion's standing result where the caller has it already."""
    if register.lesions.get(lesion_id).status != "monitoring":
        return None
    standing = held or standing_result(register, lesion_id)
    if standing.answered_by is not None and standing.answered_by.decision in ANSWERED:  # reviewed since, and decided
        return None
    return standing if standing.urgent else None


def undecided_before(register: Register, capture_id: int) -> list[tuple[Capture, Assessment]]:
    """The URGENT or REFER results of the captures before ``capture_id`` with no decision recorded on them or since
    (``answering``): a decision saved on ``capture_id`` answers them too. Asked before it is saved."""
    capture = register.captures.get(capture_id)
    captures = register.captures.for_lesion(capture.lesion_id)
    before = captures[: [c.id for c in captures].index(capture_id)] if capture_id in [c.id for c in captures] else []
    results = [(c, register.assessments.latest(c.id)) for c in before if answering(captures, c) is None]
    return [(c, a) for c, a in results if a is not None and a.assessable and (a.risk_tier or "") in SEVERITY]


def also_answers(results: list[tuple[Capture, Assessment]]) -> str:
    """What a decision saved on a later capture answers besides its own result (``undecided_before``): "this decision
    also answers the earlier REFER result of 17 Nov 2025, on which no decision was recorded" ("the earlier REFER
    results of 12 May 2025 and 17 Nov 2025"; "the earlier URGENT result of ... and REFER result of ..."); '' for
    none."""
    days: dict[str, list[str]] = {}
    for c, a in results:
        days.setdefault((a.risk_tier or "").upper(), []).append(human_date(c.taken_at))
    named = [f"{tier} result{'s' * (len(on) > 1)} of {' and '.join(on)}" for tier, on in days.items()]
    return (
        f"this decision also answers the earlier {' and '.join(named)}, on which no decision was recorded"
        if named
        else ""
    )
