"""A capture's review (its decision and clinician notes, saved together by ``Captures.review``) moves as one in a
transfer: an import never leaves one clinician's decision beside another clinician's reasoning.

``transfer_fields`` first finds, field by field, what the three-way rule would do (a ``verdict``). Where the two
sides' reviews differ in both fields, and that rule would either list a conflict or mix them (one field brought from
the package, the other kept as here: e.g. the laptop changed decision and notes, the clinic the notes only; or
each side changed a different one), the review is ONE conflict (``review_conflict``: field "review", both values
of each side, one number, one answer): left as it is here until answered, then kept whole ("keep": both package
values recorded as seen, as for any kept field) or taken whole ("take": the package's decision and notes written
together). Where one field is equal on both sides, a conflict on the other is a field conflict as any (its answer
cannot mix them); where the rule takes both fields or keeps both, nothing changes.

A review changed in the package alone that empties one of its fields (a new decision, the old notes cleared) comes
over whole, the emptied field with it: the one exception to "an import never empties a field", as the notes kept
would stand beside a decision they were not written for. A review whose decision and notes are both kept as here
(changed here only, or answered "keep" at an earlier import) is one note (``review_kept_here``), not one a field.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from dermadesk.storage.transfer_values import FieldConflict, label, shown

REVIEW = ("decision", "clinician_notes")  # a capture's fields that move as one
SAME, HERE, EMPTY, CLEARED, THERE, OVERRULED, BOTH = "same", "here", "empty", "cleared", "there", "overruled", "both"
UNIT, EMPTIED = "unit", "emptied"  # a review's fields as one conflict; a field emptied with its review (taken)
TAKES = (THERE, OVERRULED)  # verdicts that bring the package's value


def review_verdicts(table: str, verdicts: Mapping[str, str]) -> dict[str, str]:
    """``verdicts`` (by field) with a capture's review moving as one. Where its decision and notes both differ
    between the sides and the field rule would list a conflict on one, or take one from the package and keep the
    other as here, both become ``UNIT`` (one conflict); except where the package alone changed the review and emptied
    one of them (``CLEARED``: here still the agreed value): that one is ``EMPTIED``, taken with the review whole."""
    out = dict(verdicts)
    if table != "captures" or any(verdicts.get(name, SAME) == SAME for name in REVIEW):
        return out
    review = [verdicts[name] for name in REVIEW]
    taken = sum(v in TAKES for v in review)
    if BOTH not in review and taken and all(v in (*TAKES, CLEARED) for v in review):
        out.update({name: EMPTIED for name in REVIEW if verdicts[name] == CLEARED})
    elif BOTH in review or 0 < taken < len(REVIEW):
        out.update(dict.fromkeys(REVIEW, UNIT))
    return out


def _side(values: Mapping[str, Any], known: Mapping[str, bool] | None = None) -> str:
    """ "decision 'refer', clinician notes 'refer to derm'" ((never exchanged) for a value not ``known``)."""
    return ", ".join(
        f"{label(name)} {shown(value) if known is None or known[name] else '(never exchanged)'}"
        for name, value in values.items()
    )


def review_conflict(parts: Sequence[FieldConflict], what: str) -> FieldConflict:
    """One conflict of a capture's review from its fields' conflicts (``parts``, in ``REVIEW`` order)."""
    first = parts[0]
    here = {p.name: p.here for p in parts}
    package = {p.name: p.package for p in parts}
    agreed = {p.name: p.agreed for p in parts}
    known = {p.name: p.known for p in parts}
    overruled = {p.name: p.overruled for p in parts if p.overruled}
    if any(known.values()):
        last = f"; last agreed: {_side(agreed, known)}"
    else:
        last = "; neither register has a record of the review they last agreed on"
    yours = {name: o["yours"] for name, o in overruled.items()}
    over = (
        f"; the package's register kept its own value over yours ({_side(yours)}), changed here since" if yours else ""
    )
    text = (
        f"{what}: review (decision and clinician notes, answered together) changed on both sides (here: "
        f"{_side(here)}; in the package: {_side(package)}{last}){over}; left as it is here until answered (keep this "
        "register's review, or take the package's: its decision and clinician notes together)"
    )
    return FieldConflict(
        first.table,
        first.uid,
        "review",
        here,
        package,
        agreed,
        all(known.values()),
        what,
        text,
        overruled=overruled,
        parts=tuple(parts),
    )


def taken_line(conflict: FieldConflict) -> str:
    """The update line of a review answered "take"."""
    changes = ", ".join(f"{label(p.name)} {shown(p.here)} → {shown(p.package)}" for p in conflict.parts)
    return f"{conflict.what}: review: {changes} (changed on both sides: the package's review taken whole, as answered)"


def kept_note(conflict: FieldConflict) -> str:
    """The note of a review answered "keep"."""
    return (
        f"{conflict.what}: review kept as it is here ({_side(conflict.here)}), as answered: the package's review "
        f"({_side(conflict.package)}) is recorded as seen, and not reported again while the package holds it"
    )


def review_kept_here(what: str, here: Mapping[str, Any], package: Mapping[str, Any], answered: bool) -> str:
    """One note for a review whose decision and notes are both kept as here (``answered``: as an earlier import's
    "keep" answered them; else changed here since the two registers last agreed), not a note per field."""
    why = (
        "as answered at an earlier import (keep this register's review)"
        if answered
        else "changed here since the two registers last agreed"
    )
    return f"{what}: review differs (here: {_side(here)}; in the package: {_side(package)}); kept as it is here, {why}"
