"""The lesion's next follow-up as the app's assessment panel shows it beside a capture's tier: the date the patient
summary gives ("24 Dec 2026 (1 month, clinician's decision)", "was due 8 Jun 2026 (3 months)") or what to do instead
("with the specialist (lesion referred)"), from the stored rows (``follow_up.lesion_follow_up``; no image is read:
the app asks it on the GUI thread). The tier's advice ("re-check in about 12 months") is the model's for one image; a
'monitor' decision's own interval sets when to see the patient again, and a nurse booking from the screen reads this
line, not the advice, for the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dermadesk.domain.dates import human_date
from dermadesk.services.follow_up import lesion_follow_up
from dermadesk.services.standing import significant_change, standing_result
from dermadesk.storage.register import Register


@dataclass(frozen=True)
class ShownFollowUp:
    """``words``: the follow-up as the patient summary words it; ``overdue``: its date has passed; ``clinicians``: a
    'monitor' decision's own re-check interval set its date (the tier's advice then is not when to book); ``action``:
    no date, something to do instead ("specialist review now", "with the specialist (lesion referred)")."""

    words: str
    overdue: bool = False
    clinicians: bool = False
    action: bool = False


def capture_follow_up(register: Register, capture_id: int, today: dt.date | None = None) -> ShownFollowUp:
    """The next follow-up of the lesion ``capture_id`` belongs to (its latest capture's decision and interval, its
    status and a SIGNIFICANT change nobody answered count, whichever capture is shown), as of ``today``."""
    lesion = register.lesions.get(register.captures.get(capture_id).lesion_id)
    held = standing_result(register, lesion.id)
    change = significant_change(register, lesion.id)
    follow_up = lesion_follow_up(register, lesion.status, held, today or dt.date.today(), change)
    latest = held.latest  # its 'monitor' decision's own interval set the date, as in next_follow_up
    set_by = latest is not None and latest.decision == "monitor" and bool(latest.recheck_months)
    clinicians = follow_up.due is not None and set_by
    return ShownFollowUp(follow_up.words(human_date), follow_up.overdue, clinicians, follow_up.due is None)
