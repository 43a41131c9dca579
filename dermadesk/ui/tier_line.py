"""The line under the assessment panel's risk tier: the tier's advice and the lesion's next follow-up
(``services.shown_follow_up``), in the one label that already wraps (at 150 % on 1280x720 the panel has no row to
spare). The advice read "Routine care, re-check in about 12 months" in bold while the clinician's 'monitor' decision
asked for 1 month: where the clinician's interval sets the date, the follow-up comes first, in bold, and the advice
after it, not bold, named the model's (a change's advice, which names the clinician's decision that answered it,
stays in the details); otherwise the advice as before, then the follow-up (in red where overdue)."""

from __future__ import annotations

from html import escape

from dermadesk.services.shown_follow_up import ShownFollowUp
from dermadesk.services.standing_result import ACT_NOW

RED = "#c62828"
SAID_BY_ADVICE = "specialist review now"  # the REFER or URGENT tier's advice, or the change's, asks for it already
# (a LOW or MONITOR capture's does not: there it is an earlier URGENT or REFER result's, nobody answered)


def follow_up_words(follow_up: ShownFollowUp) -> str:
    """ "Next follow-up: 24 Dec 2026 (1 month, clinician's decision)", "Next follow-up OVERDUE: was due 8 Jun 2026
    (3-month re-check)"."""
    return f"Next follow-up{' OVERDUE' if follow_up.overdue else ''}: {follow_up.words}"


def advice_line(action: str, unanswered: bool, changed: bool, follow_up: ShownFollowUp | None) -> str:
    """The HTML before the tier's chances: the advice (``action``; in red where a change nobody ``unanswered`` shaped
    it; ``changed``: a change, not the model, shaped it) and the follow-up, each ending "; ". "specialist review now"
    under a LOW or MONITOR capture (an earlier URGENT or REFER result nobody answered asks it) comes first, in bold,
    the model's advice for this image after it."""
    red = f" style='color:{RED}'" if unanswered else ""
    said = f"<b{red}>{escape(action)}</b>; " if action else ""
    if follow_up is None or unanswered:
        return said  # the advice in red names the change and asks for a review
    review = follow_up.action and follow_up.words.startswith(SAID_BY_ADVICE)
    if follow_up.action and changed or review and follow_up.tier in ACT_NOW:
        return said  # the advice names the change, the decision or status, or asks for the review itself
    colour = f" style='color:{RED}'" if follow_up.overdue else ""
    if follow_up.clinicians or changed or review:  # the date to book (or the review an earlier URGENT result asks,
        # not this LOW one's "re-check in about 12 months") first; the model's advice after it, not bold (a change's
        # advice, naming the decision that answered it, in the details: beside the date it was five lines at 150 %)
        advice = f"model's advice: {escape(action[:1].lower() + action[1:])}; " * bool(action and not changed)
        return f"<b{colour}>{escape(follow_up_words(follow_up))}</b>; {advice}"
    words = escape(follow_up_words(follow_up))
    return said + (f"<b{colour}>{words}</b>; " if follow_up.overdue else f"{words}; ")


def follow_up_alone(follow_up: ShownFollowUp | None) -> str:
    """What follows a NOT ASSESSABLE capture's meaning under its heading: the lesion's next follow-up, as ``lesion
    show`` says it ("Next follow-up: retake the image (not assessable), then assess", or the date an earlier result
    gives), in bold red where overdue, on the same line (a line of its own took the reasons' room at 150 %); ''
    where it is not known yet."""
    if follow_up is None:
        return ""
    words = escape(follow_up_words(follow_up))
    return f" <b style='color:{RED}'>{words}</b>" if follow_up.overdue else f" {words}"


def advice_in_full(text: str, changed: bool, follow_up: ShownFollowUp | None) -> str:
    """The advice in full in the details, said to be the model's where the clinician's interval sets the date."""
    if follow_up is None or not follow_up.clinicians or changed or not text:
        return text  # a change's advice names the clinician's decision and the model's advice itself
    return f"The model's advice for this image alone (the clinician's decision sets the follow-up, above): {text}"
