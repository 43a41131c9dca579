"""The last reason of a significant verdict in plain words: which rule set judged the pair and, when a short-term
size rule fired, what it says and why a clinician should still look (a shrinking lesion included)."""

from __future__ import annotations


def rule_fired(
    rule_note: str, fired: tuple[str, float, float] | None, short_term_days: int, long_term: bool = False
) -> str:
    """``fired``: (what was measured, its threshold in %, its change in %) of the short-term size rule that made
    the verdict significant; None: another rule did (its reason above says which), and the rule set is said."""
    if long_term:
        return (
            f"judged by {rule_note}: more than {short_term_days} days apart, marked or asymmetric growth, new "
            "colours and a focal change of colour count; a small even change in size does not"
        )
    if fired is None:
        return (
            f"judged by {rule_note}: up to {short_term_days} days apart any change in size, shape or colour is "
            "flagged, except an even change of the whole lesion's colour"
        )
    what, limit, change = fired
    head = (
        f"judged by {rule_note}: up to {short_term_days} days apart any change in size is flagged, here the {what} "
        f"changed by {limit:.0f}% or more"
    )
    if change < 0:
        return (
            f"{head}. Shrinking counts as well as growing: a lesion under short-term follow-up should not change, "
            "and shrinking can be regression (part of a lesion fading, as in melanoma) or only a different way of "
            "taking the image, so a clinician should look at both images"
        )
    return f"{head}: a lesion under short-term follow-up should not change, so a clinician should look at both images"
