"""The colour a change verdict is drawn in, one rule for the Assessment panel's change line and the Change since
baseline tab: SIGNIFICANT in red, NOT SIGNIFICANT in the text's own colour (bold, as every verdict), CANNOT TELL in
one amber. NOT SIGNIFICANT was green: under an URGENT 97 % melanoma result a new user read "Change since 12 May
2026: NOT SIGNIFICANT" in green as reassurance about the lesion, where no significant change in size or colour says
nothing about malignancy. CANNOT TELL was two ambers, #8a6d00 on the panel and #b28704 on the tab; the darker one
kept: 4.92:1 against white, where #b28704 gives 3.30:1, short of the 4.5:1 normal-size text needs (WCAG 2)."""

from __future__ import annotations

SIGNIFICANT_RED = "#c62828"
CANNOT_TELL_AMBER = "#8a6d00"  # 4.92:1 on white
VERDICT_COLOURS = {"significant": SIGNIFICANT_RED, "not significant": ""}  # "": the text's own colour


def verdict_style(verdict: str) -> str:
    """The style attribute's value for ``verdict`` ("significant", "not significant", "cannot tell"):
    "color:#c62828", "" (no colour of its own: never green, never reassurance) or "color:#8a6d00" (any other)."""
    colour = VERDICT_COLOURS.get(verdict, CANNOT_TELL_AMBER)
    return f"color:{colour}" if colour else ""
