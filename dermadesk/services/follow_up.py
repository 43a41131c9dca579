"""A lesion's next follow-up (``domain.follow_up.FollowUp``): from the result that stands (or an earlier URGENT or
REFER one nobody answered, as the referral prompt takes it), the clinician's decision and when it was saved, the
lesion's status and a SIGNIFICANT change nobody answered. Its date is kept a date: the patient summary, the lesion
list's and body map's flag and the CLI each word it ("was due 8 Jun 2026 (3-month re-check)")."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from dermadesk.contract import NOT_ASSESSABLE
from dermadesk.domain.dates import local_day
from dermadesk.domain.follow_up import FollowUp, months_after, months_words
from dermadesk.domain.records import Assessment, Capture
from dermadesk.services.standing import Standing, StandingChange, significant_change, standing_result
from dermadesk.services.tracking import BaselineChange
from dermadesk.storage.register import Register
from dermadesk.storage.who_set import who_set_any

# the tier's interval: its words and calendar months, counted as a clinician's "3 months" is (``months_after``: 24 Nov
# 2026 + 3 is 24 Feb 2027 either way; 90 days read 22 Feb, and a booking clerk saw two rules)
FOLLOW_UP = {"low": ("12 months", 12), "monitor": ("3 months", 3)}
RETAKE = "retake the image (not assessable), then assess"  # a not-assessable result: what to do, besides any date
LATEST_RETAKE = "retake the image (latest not assessable)"  # besides, where an earlier result stands
ACTED = ("none", "with the specialist", "specialist review now", "refer:", "excise:")  # nothing sooner to say


def tier_label(a: Assessment | None) -> str | None:
    """The tier, "not assessable" when the model could not back one, None when never assessed."""
    if a is None:
        return None
    return a.risk_tier if a.assessable else NOT_ASSESSABLE


def next_follow_up(
    tier: str | None,
    decision: str | None,
    status: str,
    last_date: str | None,
    today: dt.date | None = None,
    decided_on: str | None = None,
    recheck_months: int | None = None,
) -> FollowUp:
    """What to do next for a lesion: a date (``overdue`` where it is before ``today``) or what to do instead.
    A 'monitor' decision saved on ``decided_on`` counts the interval from then, where that is later than the capture
    (a result reviewed weeks after it was taken is not overdue the moment it is answered); the interval is the one it
    names (``recheck_months``: ``whose`` "clinician", said "12 months, clinician's decision"), else the tier's
    (``whose`` "tier"; ``answered``: the REFER or URGENT tier a 'monitor' took monitoring's for). A NOT ASSESSABLE
    result has no tier's interval: the clinician's own gives the date, the retake still said besides (``also``);
    without one, the retake is what to do."""
    if status in ("excised", "discharged"):
        return FollowUp(f"none ({status})")
    if decision == "discharge":  # decided, but the lesion not marked discharged: say both, never one for the other
        return FollowUp(f"none (decision: discharge; lesion status still {status})")
    if status == "referred":  # done: "refer: arrange now" read as if the referral were still to be made
        return FollowUp("with the specialist (lesion referred)")
    if decision in ("excise", "refer"):
        return FollowUp(f"{decision}: arrange now")
    answered = ""  # a REFER or URGENT result answered 'monitor': monitoring's interval, said to be that
    if tier in ("refer", "urgent") and decision == "monitor":  # the clinician reviewed it: monitoring's interval
        tier, answered = "monitor", str(tier)
    elif tier in ("refer", "urgent"):
        return FollowUp("specialist review now")
    retake = RETAKE if tier == NOT_ASSESSABLE else ""  # no tier: only the clinician's own interval gives a date
    if retake and not (last_date and decision == "monitor" and recheck_months):
        return FollowUp(retake)
    if last_date and (tier in FOLLOW_UP or decision == "monitor" and recheck_months):
        since = dt.date.fromisoformat(
            max(last_date[:10], decided_on[:10]) if decision == "monitor" and decided_on else last_date[:10]
        )
        if decision == "monitor" and recheck_months:  # the clinician's interval, whatever the tier
            label, months, whose = months_words(recheck_months), recheck_months, "clinician"
        else:
            (label, months), whose = FOLLOW_UP[str(tier)], "tier"
        due = months_after(since, months)
        overdue = today is not None and due < today
        answered = answered if whose == "tier" else ""
        return FollowUp(due=due, interval=label, overdue=overdue, also=retake, whose=whose, answered=answered)
    return FollowUp("assess at next visit")


def decision_record(register: Register, capture: Capture) -> tuple[str, str] | None:
    """(who, when: the audit stamp) last set the capture's review as it stands, its decision or its re-check
    interval (a clinician who gave a nurse's 'monitor' 12 months is who set it, that day its day), from the audit
    log: here, or where a transfer package brought it from, as that register logged it ("dr.x at LAPTOP-3",
    ``who_set_any``); None where the log does not say so."""
    entries = [vars(e) for e in register.audit.entries("capture", capture.id, limit=50)]  # newest first
    review: dict[str, object] = {"decision": capture.decision}
    if capture.decision == "monitor":  # an interval counts with 'monitor' only (one a transfer left beside another
        review["recheck_months"] = capture.recheck_months  # decision is no one's review)
    return who_set_any(entries, review)


def decision_day(register: Register, capture: Capture) -> str | None:
    """The workstation's day (ISO) the capture's decision or its interval as it stands was saved
    (``decision_record``): the interval counts from it; None where the log does not say so: the interval then runs
    from the capture, which flags a follow-up early, never late."""
    record = decision_record(register, capture)
    return local_day(record[1]) if record else None


def deciding_capture(held: Standing) -> Capture | None:
    """The capture whose decision (and interval) governs the follow-up, as it governs the referral prompt and the
    flag (``standing_result.needs_action``): where an assessable result stands, ``held.answered_by``, the latest
    capture from the result to act on with a decision recorded (a later NOT ASSESSABLE capture without one leaves
    the standing result's 'monitor' governing; one with a decision overrides it); where none stands, the latest
    capture's own."""
    return held.answered_by if held.stands_capture is not None else held.latest


def acted_on(held: Standing) -> Assessment | None:
    """The result whose tier the follow-up takes, as the referral prompt and the flag take it (``Standing.tier``): an
    earlier URGENT or REFER result nobody answered (``held.earlier``: no 'monitor' or 'discharge' on its capture or a
    later one, ``needs_action``'s rule) over a later, milder one ("specialist review now" under "⚠ URGENT", never the
    LOW result's 12 months); else the result that stands, else the latest capture's (not assessable)."""
    return held.earlier or held.stands or held.latest_assessment


def lesion_follow_up(
    register: Register, status: str, held: Standing, today: dt.date, change: StandingChange | None = None
) -> FollowUp:
    """A lesion's next follow-up (``next_follow_up``) from the result to act on (``acted_on``: an earlier URGENT or
    REFER one nobody answered, else the one that stands), the decision on it (``deciding_capture``) and its latest
    capture's date; a SIGNIFICANT change nobody answered (``change``) asks for review now, as an URGENT result does,
    where no decision or status says otherwise (no interval or overdue date then: the change is what to act on)."""
    last, a, by = held.latest, acted_on(held), deciding_capture(held)
    decided = decision_day(register, by) if by is not None and by.decision == "monitor" else None
    follow_up = next_follow_up(
        tier_label(a),
        by.decision if by else None,
        status,
        last.taken_at if last else None,
        today,
        decided,
        by.recheck_months if by else None,
    )
    if change is not None and (follow_up.due is not None or not follow_up.action.startswith(ACTED)):
        retake = "retake the image (not assessable)" if RETAKE in (follow_up.action, follow_up.also) else ""
        follow_up = FollowUp("specialist review now (significant change)", also=retake)
    if held.carried:  # the latest capture not assessable, or with no current assessment (its modality corrected)
        latest = LATEST_RETAKE if held.latest_assessment else "assess the latest capture"
        also = "; ".join(t for t in (follow_up.also, latest) if t)
        follow_up = replace(follow_up, also=also)
    return follow_up


def lesion_next_follow_up(
    register: Register,
    lesion_id: int,
    today: dt.date | None = None,
    *,
    held: Standing | None = None,
    fresh: BaselineChange | None = None,
) -> FollowUp:
    """The lesion's next follow-up as of ``today`` (the computer's day where not given), as the app, the command line
    and the reports say it: the result that stands, the decision and interval on it (``deciding_capture``), its
    status and a SIGNIFICANT change nobody answered (``lesion_follow_up``). ``held``: the lesion's standing result
    where the caller has it already; ``fresh``: its latest change computed afresh where no row of it is stored (the
    reports, as ``standing.significant_change`` takes it)."""
    held = held if held is not None else standing_result(register, lesion_id)
    change = significant_change(register, lesion_id, fresh)
    status = register.lesions.get(lesion_id).status
    return lesion_follow_up(register, status, held, today or dt.date.today(), change)


def overdue_follow_up(
    register: Register, lesion_id: int, today: dt.date | None = None, held: Standing | None = None
) -> FollowUp | None:
    """The lesion's follow-up where its date has passed (its ``words``: "was due 8 Jun 2026 (3-month re-check)"); else
    None. ``held``: the lesion's standing result where the caller has it already."""
    held = held or standing_result(register, lesion_id)
    follow_up = lesion_follow_up(register, register.lesions.get(lesion_id).status, held, today or dt.date.today())
    return follow_up if follow_up.overdue else None
