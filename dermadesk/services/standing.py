"""The result that stands for a lesion: its latest capture's assessment, or, when that capture is not
assessable (or not assessed yet), the latest assessable result before it, said so with its date. A later
"not assessable" capture never hides an earlier URGENT result: the referral prompt, the lesion list and the
reports all ask this one function."""

from __future__ import annotations

from dataclasses import dataclass

from dermadesk.contract import NOT_ASSESSABLE
from dermadesk.domain.dates import human_date
from dermadesk.domain.records import Assessment, Capture
from dermadesk.storage.register import Register

ACT_NOW = ("urgent", "refer")


@dataclass(frozen=True)
class Standing:
    """``latest``: the lesion's latest capture and its assessment; ``stands``: the assessable result that
    stands (the latest capture's own, or an earlier one's when the latest is not assessable)."""

    latest: Capture | None
    latest_assessment: Assessment | None
    stands_capture: Capture | None
    stands: Assessment | None

    @property
    def carried(self) -> bool:
        """The result that stands is an earlier capture's (the latest one is not assessable or not assessed)."""
        return self.stands is not None and self.stands_capture is not self.latest

    @property
    def tier(self) -> str | None:
        """The standing tier; "not assessable" when no capture ever was; None when nothing was assessed."""
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
        """ "latest capture not assessable; last assessable result: URGENT on 10 Mar 2026" ('' when not carried)."""
        if not self.carried or self.stands is None or self.stands_capture is None:
            return ""
        why = "not assessable" if self.latest_assessment is not None else "not assessed yet"
        tier = (self.stands.risk_tier or "").upper()
        return f"latest capture {why}; last assessable result: {tier} on {human_date(self.stands_capture.taken_at)}"


def standing_result(register: Register, lesion_id: int) -> Standing:
    """Which result stands for the lesion (its captures that are not deleted, by date)."""
    captures = register.captures.for_lesion(lesion_id)
    if not captures:
        return Standing(None, None, None, None)
    latest = captures[-1]
    latest_a = register.assessments.latest(latest.id)
    if latest_a is not None and latest_a.assessable:
        return Standing(latest, latest_a, latest, latest_a)
    for c in reversed(captures[:-1]):
        a = register.assessments.latest(c.id)
        if a is not None and a.assessable:
            return Standing(latest, latest_a, c, a)
    return Standing(latest, latest_a, None, None)


def needs_action(register: Register, lesion_id: int) -> Standing | None:
    """The standing result when it is URGENT or REFER and nobody acted (the lesion still 'monitoring')."""
    if register.lesions.get(lesion_id).status != "monitoring":
        return None
    standing = standing_result(register, lesion_id)
    return standing if standing.urgent else None


def carried_referral_hint(register: Register, lesion_id: int) -> str:
    """The command line's hint when the capture just added or assessed is not assessable but an earlier URGENT or
    REFER result stands and nobody acted ('' otherwise), as the app's referral prompt says it."""
    from dermadesk.services.register_ops import REFERRAL_HINT

    standing = needs_action(register, lesion_id)
    if standing is None or not standing.carried:
        return ""
    return f"{standing.note}; {REFERRAL_HINT.format(id=lesion_id)}"
