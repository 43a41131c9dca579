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

A 'monitor' decision's re-check interval (``recheck_months``) is part of the review: it moves with its decision, as
the rules above say of a review's fields, and is said with it ("decision 'monitor', re-check in 12 months"). An
interval counts with 'monitor' only (``counted``: one left beside another decision is none, on either side), so a
package whose decision changed away from 'monitor' clears it here too; one set back to "as the tier suggests" in the
package alone is a change brought over, not a field emptied. A conflict of the interval is one of the review, its
decision shown beside it. Where the decision is brought over and the interval not (``with_decision``: a package of a
DermaDesk before re-check intervals, schema 12, carries none), the interval here goes: the package's decision came
without one, and an interval kept would be another clinician's, for another decision.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from dermadesk.storage.transfer_values import RECHECK, FieldConflict, Stamp, empty, label, same, set_by, shown
from dermadesk.storage.transfer_values import with_set_by

DECISION = "decision"
REVIEW = (DECISION, RECHECK, "clinician_notes")  # a capture's fields that move as one, in ``UPDATABLE``'s order
SAME, HERE, EMPTY, CLEARED, THERE, OVERRULED, BOTH = "same", "here", "empty", "cleared", "there", "overruled", "both"
UNIT, EMPTIED = "unit", "emptied"  # a review's fields as one conflict; a field emptied with its review (taken)
TAKES = (THERE, OVERRULED)  # verdicts that bring the package's value


def counted(values: Mapping[str, Any]) -> dict[str, Any]:
    """A capture's fields with its re-check interval as it counts: none beside a decision other than 'monitor'."""
    if RECHECK in values and DECISION in values and values[DECISION] != "monitor" and not empty(values[RECHECK]):
        return {**values, RECHECK: None}
    return dict(values)


def review_verdicts(table: str, verdicts: Mapping[str, str]) -> dict[str, str]:
    """``verdicts`` (by field) with a capture's review moving as one. Where two of its fields or more differ between
    the sides and the field rule would list a conflict on one, or take one from the package and keep another as here,
    they become ``UNIT`` (one conflict; an interval's with its decision); except where the package alone changed the
    review and emptied one of them (``CLEARED``: here still the agreed value): that one is ``EMPTIED``, taken with the
    review whole. An interval set back to none in the package alone is taken (``EMPTIED``); an interval changed on
    both sides is one conflict with its decision, even alone."""
    out = dict(verdicts)
    differ = [name for name in REVIEW if verdicts.get(name, SAME) != SAME]
    if table != "captures" or not differ:
        return out
    if out.get(RECHECK) == CLEARED:  # the package's 'monitor' set back to the tier's interval: a change, taken
        out[RECHECK] = EMPTIED
    review = [THERE if out[name] == EMPTIED else out[name] for name in differ]
    taken = sum(v in TAKES for v in review)
    if len(differ) == 1 and (differ[0] != RECHECK or BOTH not in review):
        return out  # one field: a conflict on it cannot mix the review
    if BOTH not in review and taken and all(v in (*TAKES, CLEARED) for v in review):
        out.update({name: EMPTIED for name in differ if out[name] == CLEARED})
    elif BOTH in review or 0 < taken < len(review):
        shown_with = [DECISION] if RECHECK in differ and DECISION in verdicts and DECISION not in differ else []
        out.update(dict.fromkeys([*differ, *shown_with], UNIT))
    return out


def with_decision(what: str, here: Mapping[str, Any], row: Mapping[str, Any], changes: dict[str, Any]) -> str:
    """Where an update brings a capture's decision and not its interval, the interval the decision came with (the
    package's, none with another decision or from a package without intervals) into ``changes``; the line that says
    so where one that counted here goes ("" if none)."""
    if DECISION not in changes or RECHECK in changes or RECHECK not in here:
        return ""
    new = row.get(RECHECK) if changes[DECISION] == "monitor" else None
    if same(here[RECHECK], new):
        return ""
    changes[RECHECK] = new
    if here.get(DECISION) != "monitor" or changes[DECISION] == "monitor":
        return ""  # one left beside another decision counted for nothing: nothing to say
    return there_line(what, RECHECK, here[RECHECK], None, True)


def there_line(what: str, name: str, here: Any, package: Any, emptied: bool, decision: Any = None) -> str:
    """The update line of a field brought from the package, changed there only (``emptied``: with its review; an
    interval with the package's ``decision``, one other than 'monitor' clearing it)."""
    if name == RECHECK and empty(package) and decision != "monitor":
        return f"{what}: re-check interval {shown(here, name)} → (none) (it goes with the decision 'monitor' only)"
    if emptied and name != RECHECK:
        return (
            f"{what}: {label(name)} {shown(here, name)} → (empty) (emptied in the package's review since the two "
            "registers last agreed, not here: a review comes over whole)"
        )
    if empty(here) and name != RECHECK:
        said = shown(package, name)
        return f"{what}: {label(name)} filled in from the package (here: (empty), in the package: {said})"
    return (
        f"{what}: {label(name)} {shown(here, name)} → {shown(package, name)} (changed in the package since the two "
        "registers last agreed, not here)"
    )


def _side(values: Mapping[str, Any], known: Mapping[str, bool] | None = None) -> str:
    """ "decision 'refer', clinician notes 'refer to derm'", "decision 'monitor', re-check in 12 months" (an interval
    said with its decision, where it counts); (never exchanged) for a value not ``known``."""

    def one(name: str) -> str:
        unknown = known is not None and not known[name]
        return f"{label(name)} {'(never exchanged)' if unknown else shown(values[name], name)}"

    said = []
    for name in values:
        if name == RECHECK and DECISION in values:
            continue  # said with its decision
        said.append(one(name))
        if name == DECISION and RECHECK in values:
            if known is not None and not known[RECHECK]:
                said[-1] += ", re-check interval (never exchanged)"
            elif values[DECISION] == "monitor" and not empty(values[RECHECK]):
                said[-1] += f", re-check in {shown(values[RECHECK], RECHECK)}"
    return ", ".join(said)


def _fields(parts: Sequence[FieldConflict]) -> str:
    """ "decision and clinician notes", "decision, re-check interval and clinician notes"."""
    names = [label(p.name) for p in parts]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def review_conflict(
    parts: Sequence[FieldConflict],
    what: str,
    stamps: tuple[Stamp | None, Stamp | None] = (None, None),
    base: Mapping[str, Any] | None = None,
) -> FieldConflict:
    """One conflict of a capture's review from its fields' conflicts (``parts``, in ``REVIEW`` order); ``stamps``:
    who set it as it stands here and in the package's register, and when (``transfer_stamps``), said beside each.
    ``base``: the review's last agreed values (those known): an interval agreed with a 'monitor' decision is said
    in "last agreed" even where it is no part of the conflict (the same on both sides now: "decision 'monitor',
    re-check in 6 months, ..."), and kept in the conflict's ``agreed``."""
    first = parts[0]
    set_here, set_there = stamps
    here = {p.name: p.here for p in parts}
    package = {p.name: p.package for p in parts}
    agreed = {p.name: p.agreed for p in parts}
    known = {p.name: p.known for p in parts}
    overruled = {p.name: p.overruled for p in parts if p.overruled}
    if any(known.values()):
        with_interval = DECISION in agreed and RECHECK not in agreed and base is not None and RECHECK in base
        said = {**agreed, RECHECK: base[RECHECK]} if with_interval and base is not None else agreed
        last = f"; last agreed: {_side(said, {**known, RECHECK: True} if with_interval else known)}"
        if said.get(DECISION) == "monitor" and not empty(said.get(RECHECK)):
            agreed = said  # as the preview's Last agreed says it: "monitor, re-check in 6 months"
    else:
        last = "; neither register has a record of the review they last agreed on"
    yours = {name: o["yours"] for name, o in overruled.items()}
    over = (
        f"; the package's register kept its own value over yours ({_side(yours)}), changed here since" if yours else ""
    )
    text = (
        f"{what}: review ({_fields(parts)}, answered together) changed on both sides (here: "
        f"{with_set_by(_side(here), set_here, set_there)}; in the package: "
        f"{with_set_by(_side(package), set_there, set_here)}{last}){over}; "
        "left as it is here until answered (keep this "
        f"register's review, or take the package's: its {_fields(parts)} together)"
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
        set_here=set_here,
        set_there=set_there,
    )


def taken_line(conflict: FieldConflict) -> str:
    """The update line of a review answered "take"."""
    changes = ", ".join(
        f"{label(p.name)} {shown(p.here, p.name)} → {shown(p.package, p.name)}"
        for p in conflict.parts
        if not same(p.here, p.package)  # a decision shown beside its interval, the same on both sides
    )
    by = set_by(conflict.set_there, conflict.set_here)
    return (
        f"{conflict.what}: review: {changes} (changed on both sides: the package's review{f', {by},' if by else ''} "
        "taken whole, as answered)"
    )


def kept_note(conflict: FieldConflict) -> str:
    """The note of a review answered "keep"."""
    return (
        f"{conflict.what}: review kept as it is here "
        f"({with_set_by(_side(conflict.here), conflict.set_here, conflict.set_there)}), as answered: the package's "
        f"review ({with_set_by(_side(conflict.package), conflict.set_there, conflict.set_here)}) is recorded as "
        "seen, and not reported again while the package holds it"
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
