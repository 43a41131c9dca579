"""The lesion's next follow-up as the app's assessment panel shows it beside a capture's tier: the date the patient
summary gives ("24 Dec 2026 (1 month, clinician's decision)", "was due 8 Jun 2026 (3 months)") or what to do instead
("with the specialist (lesion referred)"), from the stored rows (``follow_up.lesion_next_follow_up``; no image is read:
the app asks it on the GUI thread). The tier's advice ("re-check in about 12 months") is the model's for one image; a
'monitor' decision's own interval sets when to see the patient again, and a nurse booking from the screen reads this
line, not the advice, for the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dermadesk.domain.dates import human_date
from dermadesk.services.follow_up import lesion_next_follow_up
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
    follow_up = lesion_next_follow_up(register, register.captures.get(capture_id).lesion_id, today)
    clinicians = follow_up.whose == "clinician"  # its 'monitor' decision's own interval set the date
    return ShownFollowUp(follow_up.words(human_date), follow_up.overdue, clinicians, follow_up.due is None)
