"""The assessment panel's words as rich text, from the stored assessment alone (no widget): why a capture is NOT
ASSESSABLE, and the warnings under the details. The panel (``ui.assessment_view``) only places them."""

from __future__ import annotations

from html import escape

from dermadesk.contract import NOT_ASSESSABLE_NOTE, OOD_WARNING, PROBABILITIES_WITHHELD_NOTE
from dermadesk.domain.records import Assessment


def bullets(items: list[str] | tuple[str, ...], indent: int) -> str:
    """Each item a paragraph, its bullet flush left and its later lines hung ``indent`` px in, under its first word:
    a list (<ul>) indented them 40 px, and in the narrow details column at 150 % the reasons read one to three words
    a line ("retake it with / a / dermatoscope")."""
    style = f"margin-left:{indent}px; text-indent:-{indent}px; margin-top:4px"
    return "".join(f"<p style='{style}'>•&nbsp;{escape(item)}</p>" for item in items)


def not_assessable_intro() -> str:
    """What a NOT ASSESSABLE result means, under its heading: "No risk tier and no recommendation are given ..."."""
    note = NOT_ASSESSABLE_NOTE.removeprefix("NOT ASSESSABLE: ")  # the heading says it already
    return note[:1].upper() + note[1:]


def not_assessable_detail(a: Assessment, indent: int, intro: bool = True) -> str:
    """What a NOT ASSESSABLE result means (``intro``: where the heading does not say it), each reason with what to do
    next, and why no probabilities are shown."""
    withheld = f"<p><i>{PROBABILITIES_WITHHELD_NOTE}</i></p>" if a.probabilities else ""
    return f"{escape(not_assessable_intro()) if intro else ''}{bullets(a.status_reasons, indent)}{withheld}"


def warnings_text(a: Assessment) -> str:
    """The out-of-distribution and image-quality warnings, a line each ('' when none)."""
    problems = [c["message"] for c in a.quality.get("checks", []) if c.get("status") != "pass"]
    warns = ["⚠ " + OOD_WARNING] if a.ood_flag else []
    if problems:
        warns.append(f"⚠ IMAGE QUALITY {a.quality.get('status', '').upper()}: " + "; ".join(problems))
    return "<br>".join(escape(w) for w in warns)
