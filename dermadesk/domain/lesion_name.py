"""A lesion's name, one way everywhere: "Lesion 1 · left scapula · posterior torso (left)" (its number, the user's
label where there is one, its site with the patient's side from the body map), flagged "⚠ CHANGED Lesion 1 · ...".
The app's lesion list (its rows and tooltips), the import dialog and the command line's lesion lines name a lesion
with it; they read "Lesion 1 · posterior torso (left)", "⚠ CHANGED #1 · L post. torso", "⚠ CHANGED #1 L post. torso",
"Lesion 1 · post. torso (L)" and "Lesion 1 left scapula (left posterior torso)" before, the label left out of the
list. Where the room is narrow the caller asks for the short form (``short``): the site shortened the one way
("post. torso (L)"), the number and the label kept; the caller shows every lesion in the same form, never mixed."""

from __future__ import annotations

from dermadesk.domain.records import Lesion

SEPARATOR = " · "  # between the name's parts; the flag is a prefix before them, followed by a space
SHORT_SITES = {
    "upper extremity": "upper extr.",
    "lower extremity": "lower extr.",
    "anterior torso": "ant. torso",
    "posterior torso": "post. torso",
    "lateral torso": "lat. torso",
}
SHORT_SIDES = {"(left": "(L", "(right": "(R"}


def site_name(les: Lesion, short: bool = False) -> str:
    """The lesion's site with its side: "posterior torso (left)", "upper extremity (right, front)"; ``short``:
    "post. torso (L)", "upper extr. (R, front)" (the same parts, abbreviated)."""
    text = les.site_text  # the site first, then its side and face in brackets
    if not short:
        return text
    if les.site in SHORT_SITES and text.startswith(les.site):
        text = SHORT_SITES[les.site] + text[len(les.site) :]
    for word, letter in SHORT_SIDES.items():
        text = text.replace(word, letter)
    return text


def name_parts(les: Lesion, short: bool = False) -> tuple[str, ...]:
    """The name's parts, in order: ("Lesion 1", "left scapula", "posterior torso (left)"); no label, no part."""
    return tuple(part for part in (les.title, les.label, site_name(les, short)) if part)


def lesion_name(les: Lesion, flag: str = "", short: bool = False) -> str:
    """ "Lesion 1 · left scapula · posterior torso (left)"; ``flag`` ("⚠ CHANGED") leads it: "⚠ CHANGED Lesion 1 ·
    left scapula · posterior torso (left)"; ``short`` for a narrow list: "Lesion 1 · left scapula · post. torso (L)"."""
    name = SEPARATOR.join(name_parts(les, short))
    return f"{flag} {name}" if flag else name
