"""The lesion's next follow-up as the app's assessment panel shows it beside a capture's tier: the date the patient
summary gives ("24 Dec 2026 (1 month, clinician's decision)", "was due 8 Jun 2026 (3-month re-check)") or what to do
instead ("with the specialist (lesion referred)"; for a NOT ASSESSABLE capture "retake the image (not assessable),
then assess", as ``lesion show`` says it), from the stored rows (``follow_up.lesion_next_follow_up``; no image is
read: the app asks it on the GUI thread). The tier's advice ("re-check in about 12 months") is the model's for one
image; a 'monitor' decision's own interval sets when to see the patient again, and a nurse booking from the screen
reads this line, not the advice, for the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from dermadesk.domain.dates import human_date
from dermadesk.domain.records import Capture
from dermadesk.services.follow_up import LATEST_RETAKE, lesion_next_follow_up, tier_label
from dermadesk.storage.register import Register


@dataclass(frozen=True)
class ShownFollowUp:
    """``words``: the follow-up as the patient summary words it; ``overdue``: its date has passed; ``clinicians``: a
    'monitor' decision's own re-check interval set its date (the tier's advice then is not when to book); ``action``:
    no date, something to do instead ("specialist review now", "with the specialist (lesion referred)"); ``tier``:
    the tier whose interval a 'monitor' decision on the capture shown, without its own, takes (``interval_tier``)."""

    words: str
    overdue: bool = False
    clinicians: bool = False
    action: bool = False
    tier: str | None = None


def interval_tier(register: Register, capture: Capture) -> str | None:
    """The tier a 'monitor' decision on ``capture`` leaves its interval to, as the follow-up counts it
    (``follow_up.lesion_follow_up``: the result that stands): the capture's own; for one NOT ASSESSABLE the latest
    assessable result up to it (the one that stands while it is the latest), else "not assessable" (the follow-up
    then asks for a retake); None where it is not assessed."""
    own = register.assessments.latest(capture.id)
    if own is None or own.assessable:
        return tier_label(own)
    captures = register.captures.for_lesion(capture.lesion_id)
    ids = [c.id for c in captures]
    before = captures[: ids.index(capture.id)] if capture.id in ids else []
    earlier = (register.assessments.latest(c.id) for c in reversed(before))
    return tier_label(next((a for a in earlier if a is not None and a.assessable), own))


def capture_follow_up(register: Register, capture_id: int, today: dt.date | None = None) -> ShownFollowUp:
    """The next follow-up of the lesion ``capture_id`` belongs to (the decision and interval on the result that
    stands, its status and a SIGNIFICANT change nobody answered count, whichever capture is shown), as of ``today``.
    Shown on that latest capture, NOT ASSESSABLE, it leaves out "retake the image (latest not assessable)": the panel's
    heading and reasons say so beside it (at 150 % on 1280x720 under a referral prompt it took the reasons' room)."""
    capture = register.captures.get(capture_id)
    follow_up = lesion_next_follow_up(register, capture.lesion_id, today)
    if LATEST_RETAKE in follow_up.also and register.captures.for_lesion(capture.lesion_id)[-1].id == capture_id:
        follow_up = replace(follow_up, also="; ".join(t for t in follow_up.also.split("; ") if t != LATEST_RETAKE))
    clinicians = follow_up.whose == "clinician"  # its 'monitor' decision's own interval set the date
    tier = interval_tier(register, capture)
    return ShownFollowUp(follow_up.words(human_date), follow_up.overdue, clinicians, follow_up.due is None, tier)
