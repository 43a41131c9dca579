"""The colour a change verdict is drawn in, one rule for the Assessment panel's change line and the Change since
baseline tab: SIGNIFICANT in red, NOT SIGNIFICANT in the text's own colour (bold, as every verdict), any other
("cannot tell") in the caller's amber. NOT SIGNIFICANT was green: under an URGENT 97 % melanoma result a new user read
"Change since 12 May 2026: NOT SIGNIFICANT" in green as reassurance about the lesion, where no significant change in
size or colour says nothing about malignancy."""

from __future__ import annotations

SIGNIFICANT_RED = "#c62828"
VERDICT_COLOURS = {"significant": SIGNIFICANT_RED, "not significant": ""}  # "": the text's own colour


def verdict_style(verdict: str, other: str) -> str:
    """The style attribute's value for ``verdict`` ("significant", "not significant", "cannot tell"):
    "color:#c62828", "" (no colour of its own: never green, never reassurance) or "color:``other``"."""
    colour = VERDICT_COLOURS.get(verdict, other)
    return f"color:{colour}" if colour else ""
