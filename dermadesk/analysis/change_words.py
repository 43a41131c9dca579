"""The last reason of a significant verdict in plain words: which rule set judged the pair and, when a short-term
size rule fired, what it says and why a clinician should still look (a shrinking lesion included)."""

from __future__ import annotations


def rule_fired(rule_note: str, fired: tuple[str, float, float] | None, short_term_days: int) -> str:
    """``fired``: (what was measured, its threshold in %, its change in %) of the short-term size rule that made
    the verdict significant; None: another rule did (its reason says which), only the rule set is named."""
    if fired is None:
        return f"judged by {rule_note}"
    what, limit, change = fired
    either = "shrinking as well as growing" if change < 0 else "growing or shrinking"
    why = "a lesion under short-term follow-up should stay the same, so a clinician should look at both images"
    if change < 0:
        why += (
            "; shrinking counts too, as it can be regression (part of a lesion fading, seen in melanoma) or "
            "only a different way of taking the image"
        )
    return (
        f"judged by {rule_note}: within {short_term_days} days, short-term follow-up rules flag any change in "
        f"size; here any change of the {what} of {limit:.0f}% or more is significant, {either}: {why}"
    )
