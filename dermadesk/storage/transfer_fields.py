"""The field rule for a record both sides of a transfer already hold: a three-way merge against the values the two
registers last agreed on (``agreed_base``). (A package's records are checked for shape before: ``transfer.validate``.)

The last agreed values come from the audit logs, never from comparing two workstations' clocks:

- here: the newest "import" or "import-update" row of this record whose package came from the package's
  workstation. An "import" row holds the whole row as it arrived; an "import-update" row holds ``agreed``,
  every field's last agreed value after that import (older rows without it: the fields they changed, over
  the values of the row before them; a field an import did not update then, a capture's modality, keeps the
  value of the row before).
- in the package: the same rows in the history it carries, whose package came from this register (the other
  side took in what this register sent).
- when both exist, the package's row counts if it is newer than every history entry the import here had
  seen (``seen``: the package side's own clock compared with itself only); otherwise the row here.

Then, field by field (a field missing from the package is left alone):

- Equal on both sides: nothing to do.
- Changed only in the package (here it still holds the agreed value): brought over from the package.
- Changed only here (the package still holds the agreed value): kept as it is here.
- Changed on both sides to different values: a conflict, listed, left as it is here.
- Never exchanged (no agreed value known): a field empty here is filled in from the package; two different
  values are a conflict, left as here.
- A field set here and empty in the package is kept as it is here (an import never empties a field).
- A capture's review (decision, its re-check interval and clinician notes) moves as one (``transfer_review``):
  where its fields would conflict or mix (one brought over, another kept as here) it is one conflict of them; a
  review changed in the package alone comes over whole, a field it emptied too.

So a workstation whose clock runs fast wins nothing: only which side changed a field counts. Each update is
written with an audit row ("import-update") whose ``before`` holds the values it replaced and whose ``after``
names the package and the workstation it came from, with ``agreed`` and ``seen`` for the next import.

A conflict may be answered at the import (``compare``'s ``answer``: a ``FieldConflict`` to ``TAKE``, ``KEEP`` or
None); one nobody answered stays a conflict, left as here and reported at every import until answered:

- ``TAKE``: the package's value is written, as for a change made in the package only; ``agreed`` holds it.
- ``KEEP``: the value here stays, and the "import-update" row (written for the answer alone when nothing else
  changes: ``before`` {} and no field in ``after``) records in ``agreed`` the PACKAGE's value, as if this
  register had taken it in and then changed it back to its own. So an ``agreed`` value means "seen by both
  sides, and answered": for a kept field it is the package's value, not the one here. ``seen`` is the newest
  package history entry that import had, as for any update. ``kept`` lists the fields whose agreed value is a
  package value answered so (this import's answers, and earlier ones still in force), only to say so in words;
  ``settled`` the values here those answers kept (what the answer settled, to say so in the other register).

At the next import the rules above then give: a package still holding the answered value is "changed here
only" (kept, a note that it was answered, no conflict); a package holding another value was changed there
since the answer: a conflict again, as the value here differs from both; and the other register, taking a
package from here with that row in its history, finds its own value agreed and this register's changed since:
it takes this register's value (after which a change there is an ordinary change).

That last step is an answer given against the other register's user, and is said so there, never as a plain
update nor as a conflict to answer again (``agreed_base``'s ``overruled``: the row's ``kept``, read from the
package's side): "your 'a' replaced by workstation W's 'b' (answered at W on 23 Nov 2026: keep its own value
over yours)" in the preview and the import's result, and in that import's "import-update" row as ``overruled``
({field: {here, package, answered_at}}, ``before`` holding the value replaced, as for any update). Only while
the value here is still the one the answer saw: changed here since, it is a conflict, whose last agreed value is
the one the answer settled (the row's ``settled``: the package's register's own value), its text and its
``overruled`` saying that the value changed here was overruled there; from a row written without ``settled``, the
last agreed value is the one overruled, and the text says the package's register kept its own value over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from dermadesk.storage.transfer_agreed import UPDATABLE, Agreed, agreed_base, last_change, newest
from dermadesk.storage.transfer_review import BOTH, CLEARED, EMPTIED, EMPTY, HERE, OVERRULED, SAME, THERE, UNIT
from dermadesk.storage.transfer_review import DECISION, REVIEW, counted, kept_note, review_conflict, review_kept_here
from dermadesk.storage.transfer_review import review_verdicts, taken_line, there_line, with_decision
from dermadesk.storage.transfer_stamps import Stamps, no_stamps, review_stamps
from dermadesk.storage.transfer_values import KEEP, RECHECK, TAKE, FieldConflict, Stamp, empty, label, same, shown
from dermadesk.storage.transfer_values import with_set_by

ROW_TIME = {"patients": "updated_at", "lesions": "updated_at"}  # tables whose rows carry their change time


@dataclass
class FieldUpdate:
    """Fields of one record here to change from the package; ``lines`` says each in words. ``agreed`` holds
    every field's last agreed value after the update, ``seen`` the newest package history entry it had."""

    table: str
    local_id: int
    before: dict[str, Any]
    changes: dict[str, Any]
    changed_at: str | None
    lines: list[str] = field(default_factory=list)
    agreed: dict[str, Any] = field(default_factory=dict)
    seen: str = ""
    kept: dict[str, Any] = field(default_factory=dict)  # fields answered KEEP: the package's value, seen
    settled: dict[str, Any] = field(default_factory=dict)  # ... and the value here they kept
    overruled: dict[str, dict[str, Any]] = field(default_factory=dict)  # see ``compare``: {here, package, answered_at}
    uid: str = ""  # the record's uid (its history in the package goes into the update's audit row)


def _differ(name: str) -> str:
    """ "clinician notes differ", "decision differs"."""
    return f"{label(name)} {'differ' if name.endswith('notes') else 'differs'}"


def _verdict(name: str, h: Any, p: Any, base: Mapping[str, Any], over: Mapping[str, Any]) -> str:
    """What the field rule does with one field (``transfer_review``'s verdicts): ``SAME`` on both sides, changed
    ``HERE`` only, ``EMPTY`` in the package (kept; ``CLEARED`` there since the registers agreed), changed ``THERE``
    only or filled in, ``OVERRULED`` there (taken as changed there), or changed on ``BOTH`` sides (a conflict)."""
    known, b = name in base, base.get(name)
    if same(h, p):
        return SAME
    if known and same(p, b):
        return HERE
    if (known and same(h, b) or not known) and empty(p):
        return CLEARED if known else EMPTY
    if known and same(h, b) and name in over and same(over[name], h):
        return OVERRULED
    return THERE if known and same(h, b) or not known and empty(h) else BOTH


def _conflict(
    table: str,
    name: str,
    here: Mapping[str, Any],
    row: Mapping[str, Any],
    base: Mapping[str, Any],
    what: str,
    last: Agreed | None,
    stamps: tuple[Stamp | None, Stamp | None] = (None, None),
) -> FieldConflict:
    """The conflict of one field (see ``compare``), not answered; ``stamps``: who set it here and in the package's
    register, and when (a capture's review field: ``transfer_stamps``), said beside each value."""
    over, settled = (last.overruled, last.settled) if last else ({}, {})
    h, p, known, b = here[name], row[name], name in base, base.get(name)
    set_here, set_there = stamps
    hs = with_set_by(shown(h, name), set_here, set_there)  # "'excise' — by ...", the time too where of one day
    ps = with_set_by(shown(p, name), set_there, set_here)
    over_b = name in over and same(over[name], b)
    overruled = {"yours": b, **({"kept": settled[name]} if name in settled else {})} if over_b else {}
    last_agreed = overruled.get("kept", b)
    overruled_there = "; the package's register kept its own value over it" if over_b else ""
    text = (
        f"{what}: {label(name)} changed here from {shown(b, name)}, a value the package's register overruled by "
        f"keeping its own, {shown(last_agreed, name)} (here: {hs}, in the package: {ps}, "
        f"last agreed: {shown(last_agreed, name)})"
        if "kept" in overruled
        else f"{what}: {label(name)} changed on both sides (here: {hs}, in the package: {ps}, "
        f"last agreed: {shown(b, name)}{overruled_there})"
        if known
        else f"{what}: {_differ(name)} (here: {hs}, in the package: {ps}) and neither register "
        "has a record of the value they last agreed on"
    )
    text += "; left as it is here until answered (keep this register's value, or take the package's)"
    uid = str(row.get("uid") or "")
    return FieldConflict(
        table,
        uid,
        name,
        h,
        p,
        last_agreed,
        known,
        what,
        text,
        overruled=overruled,
        set_here=set_here,
        set_there=set_there,
    )


def compare(
    table: str,
    local_id: int,
    here: dict[str, Any],
    row: dict[str, Any],
    base: dict[str, Any],
    what: str,
    changed_at: str | None = None,
    answer: Callable[[FieldConflict], str | None] | None = None,
    last: Agreed | None = None,
    stamps: Stamps = no_stamps,
) -> tuple[FieldUpdate | None, list[str], list[FieldConflict]]:
    """(the update to make or None, notes, conflicts) for one record held on both sides, ``base`` holding the
    values the two registers last agreed on, and ``last`` (``agreed_base``'s answer, of which ``base`` is the
    values) the earlier answers among them: ``kept`` here, ``overruled`` in the package's register. ``answer``
    answers a conflict (``KEEP``/``TAKE``, None: left a conflict); the update then carries the answers. A field
    the package's register answered ``KEEP`` against this register's value, still so here, takes the package's
    value as a field changed there only does; the update's ``overruled`` says so, to tell the user and the audit.
    Changed here since, it is a conflict whose ``agreed`` is the value the answer settled there where known, and
    whose ``overruled`` is {yours: the value overruled, kept: that settled value, where known}. A capture's review
    whose fields would conflict or mix is one conflict of them (``transfer_review``), answered whole; its re-check
    interval counts with 'monitor' only, and goes with the decision it came with. ``stamps`` says who set a
    capture's review fields on each side, and when (``transfer_stamps``), for its conflicts to say."""
    raw = here
    if table == "captures":  # an interval beside another decision counts for nothing, on any side
        here, row, base = counted(here), counted(row), counted(base)
    changes: dict[str, Any] = {}
    agreed: dict[str, Any] = {}
    keeps: dict[str, Any] = {}
    settles: dict[str, Any] = {}
    overrides: dict[str, dict[str, Any]] = {}
    kept, over, settled = (last.kept, last.overruled, last.settled) if last else ({}, {}, {})
    lines: list[str] = []
    notes: list[str] = []
    conflicts: list[FieldConflict] = []

    def settle(conflict: FieldConflict) -> None:
        """List ``conflict`` with its answer, and carry the answer (to all of its fields) into the update."""
        conflict.answer = answer(conflict) if answer else None
        conflicts.append(conflict)
        for part in conflict.fields:
            if conflict.answer == TAKE:
                changes[part.name] = agreed[part.name] = part.package
            elif conflict.answer == KEEP:
                agreed[part.name] = keeps[part.name] = part.package
                settles[part.name] = part.here
        name, h, p = conflict.name, conflict.here, conflict.package
        if conflict.answer == TAKE:
            lines.append(
                taken_line(conflict)
                if conflict.parts
                else f"{what}: {label(name)} {shown(h, name)} → {shown(p, name)} (changed on both sides: the "
                "package's value taken, as answered)"
            )
        elif conflict.answer == KEEP:
            notes.append(
                kept_note(conflict)
                if conflict.parts
                else f"{what}: {label(name)} kept as it is here ({shown(h, name)}), as answered: the package's "
                f"{shown(p, name)} is recorded as seen, and not reported again while the package holds it"
            )

    names = [name for name in UPDATABLE.get(table, ()) if name in row]  # a field missing from the package: alone
    verdicts = review_verdicts(table, {name: _verdict(name, here[name], row[name], base, over) for name in names})
    unit = [name for name in names if verdicts[name] == UNIT]  # a capture's review, answered as one
    kept_review = [name for name in REVIEW if table == "captures" and verdicts.get(name) == HERE]  # one note
    one_note = len(kept_review) > 1 and all(verdicts.get(n, SAME) in (SAME, HERE) for n in REVIEW)
    agreed.update({name: base[name] for name in names if name in base})  # until changed or answered
    for name in names:
        h, p, verdict = here[name], row[name], verdicts[name]
        if verdict == UNIT:
            if name == unit[0]:
                parts = [_conflict(table, n, here, row, base, what, last) for n in unit]
                settle(review_conflict(parts, what, stamps(unit), {n: base[n] for n in REVIEW if n in base}))
        elif verdict == SAME:
            agreed[name] = h
        elif name in kept_review and one_note:  # a review's fields kept as here: said once
            if name == kept_review[0]:
                answered = all(n in kept and same(kept[n], row[n]) for n in kept_review)
                said = [n for n in REVIEW if n in kept_review or n == DECISION and RECHECK in kept_review]
                notes.append(review_kept_here(what, {n: here[n] for n in said}, {n: row[n] for n in said}, answered))
        elif verdict == HERE:
            answered = name in kept and same(kept[name], p)
            notes.append(
                f"{what}: {_differ(name)} (here: {shown(h, name)}, in the package: {shown(p, name)}); kept as it is "
                "here, "
                + (
                    "as answered at an earlier import (keep this register's value)"
                    if answered
                    else "changed here since the two registers last agreed"
                )
            )
        elif verdict in (EMPTY, CLEARED):
            notes.append(
                f"{what}: {label(name)} {'are' if name.endswith('notes') else 'is'} empty in the package; kept as "
                f"it is here ({shown(h, name)})"
            )
        elif verdict == OVERRULED:
            changes[name] = agreed[name] = p
            overrides[name] = {"here": h, "package": p, "answered_at": last.at if last else ""}
        elif verdict in (THERE, EMPTIED):
            changes[name] = agreed[name] = p
            lines.append(there_line(what, name, h, p, verdict == EMPTIED, row.get(DECISION)))
        else:
            settle(_conflict(table, name, here, row, base, what, last, stamps([name])))
    if table == "captures":
        line = with_decision(what, raw, row, changes)
        agreed.update({RECHECK: changes[RECHECK]} if RECHECK in changes else {})
        lines += [line] if line else []
    if not changes and not keeps:
        return None, notes, conflicts
    if table in ROW_TIME and changed_at and changes:
        changes[ROW_TIME[table]] = changed_at
    before = {name: raw[name] for name in changes}
    still = {n: v for n, v in kept.items() if n in agreed and same(agreed[n], v)}  # earlier answers in force
    settles = {**{n: settled[n] for n in still if n in settled}, **settles}
    kept_now = {**still, **keeps}
    update = FieldUpdate(
        table, local_id, before, changes, changed_at, lines, agreed, kept=kept_now, settled=settles, overruled=overrides
    )
    return update, notes, conflicts


def merge_record(
    table: str,
    here: dict[str, Any],
    row: dict[str, Any],
    sides: tuple[list[dict[str, Any]], list[dict[str, Any]], str, str],
    what: str,
    answer: Callable[[FieldConflict], str | None] | None = None,
) -> tuple[FieldUpdate | None, list[str], list[FieldConflict]]:
    """``compare`` for a record here and its package row, ``sides`` being (this record's audit entries here,
    its history in the package, this workstation's uid, the package's workstation uid)."""
    entries, history, me, them = sides
    if table in ROW_TIME:
        times = [here[ROW_TIME[table]], row.get(ROW_TIME[table])]
    else:
        times = [last_change(entries), last_change(history)]
    known = [str(t) for t in times if t]
    base = agreed_base(table, entries, history, me, them)
    stamps = review_stamps(table, here, row, entries, history)
    update, notes, conflicts = compare(
        table, int(here["id"]), here, row, base.values, what, max(known) if known else None, answer, base, stamps
    )
    if update is not None:
        update.seen, update.uid = newest(history), str(row.get("uid") or "")
    return update, notes, conflicts
