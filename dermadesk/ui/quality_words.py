"""An assessed capture's image-quality warning in a few words, where it must be seen beside the risk tier (the
line under the tier, the timeline's caption and tooltip); the checks' own sentences, with what to do, stay in the
details. A NOT ASSESSABLE capture has no tier: its reasons say it instead (nothing here)."""

from __future__ import annotations

from typing import Any

from dermadesk.domain.records import Assessment

SHORT_WORDS = {  # a check's name: its warning in a few words (the check's message says it whole)
    "resolution": "low resolution",
    "focus": "blurred",
    "clipping": "clipped pixels",
    "colour_cast": "colour cast",
    "colour": "no colour",
}


def short_problem(check: dict[str, Any]) -> str:
    """One check that did not pass, in a few words ("lesion reaches the edge")."""
    name, message = str(check.get("name", "")), str(check.get("message", ""))
    if name == "exposure":
        return "too dark" if "dark" in message else "too bright"
    if name == "framing":
        return "no clear lesion outline" if "outline" in message else "lesion reaches the edge"
    if name == "focus" and "no detail" in message:
        return "no detail (lens covered?)"
    return SHORT_WORDS.get(name) or message.split(":")[0]


def warned_checks(a: Assessment | None) -> list[dict[str, Any]]:
    """The quality checks that warned on an assessed capture ([] for none, or for a NOT ASSESSABLE one)."""
    if a is None or not a.assessable:
        return []
    return [c for c in a.quality.get("checks", []) if c.get("status", "pass") != "pass"]


def quality_warning(a: Assessment | None) -> str:
    """ "lesion reaches the edge; blurred" for an assessed capture whose image quality check warned, else ""."""
    return "; ".join(short_problem(c) for c in warned_checks(a))


def quality_sentences(a: Assessment | None) -> str:
    """The warned checks' whole sentences, one a line (a tooltip's)."""
    return "\n".join(str(c.get("message", "")) for c in warned_checks(a))
