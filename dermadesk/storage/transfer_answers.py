"""Answers to the fields an import finds changed on both sides (``transfer_values.FieldConflict``).

A user answers a conflict "keep this register's value" (``KEEP``) or "take the package's value" (``TAKE``), one by
one (by the conflict's ``key``, or its number in the preview on the command line) or all at once; one left
unanswered stays a conflict. What each answer writes, and what it means at the next import, is said in
``transfer_fields``. A capture's review (decision and clinician notes) is one conflict where its fields would
conflict or mix (``transfer_review``): one number, one answer for both fields. A patient's row in a preview says
what waits there (``conflicts_text``): "2 conflicts to answer", then, as they are answered, what the answers will do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from dermadesk.domain.errors import ValidationError
from dermadesk.domain.text import counted
from dermadesk.storage.transfer_review import REVIEW
from dermadesk.storage.transfer_values import KEEP, TAKE, FieldConflict, label

CHOICES = (KEEP, TAKE)


@dataclass(frozen=True)
class Answers:
    """``each`` answers conflicts by ``FieldConflict.key``; ``every`` the others (None: left as conflicts).
    ``renames``: a package patient whose MRN is another person's here, imported as a new patient under another MRN
    (package uid -> MRN; ``transfer_mrns``)."""

    every: str | None = None
    each: Mapping[str, str] = field(default_factory=dict)
    renames: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for choice in (self.every, *self.each.values()):
            if choice is not None and choice not in CHOICES:
                raise ValidationError(f"an answer to a conflict is 'keep' or 'take', not {choice!r}")

    def __call__(self, conflict: FieldConflict) -> str | None:
        return self.each.get(conflict.key) or self.every

    def __bool__(self) -> bool:
        return self.every is not None or bool(self.each) or bool(self.renames)


NO_ANSWERS = Answers()  # every field changed on both sides left as a conflict


def number(found: list[FieldConflict], conflicts: Iterable[FieldConflict]) -> None:
    """Append ``conflicts`` to an import's ``found`` ones, numbering them on from 1."""
    for conflict in conflicts:
        conflict.number = len(found) + 1
        found.append(conflict)


def by_number(conflicts: list[FieldConflict], every: str | None, keep: Iterable[int], take: Iterable[int]) -> Answers:
    """The answers given by conflict numbers (``keep``/``take``, as a preview of the same package numbers them) and
    for ``every`` other conflict; a number no conflict has, or one given both answers, is refused."""
    keys = {c.number: c.key for c in conflicts}
    keep, take = list(keep), list(take)
    for n in (*keep, *take):
        if n not in keys:
            have = f"conflicts 1 to {len(keys)}" if len(keys) > 1 else "conflict 1" if keys else "no field conflicts"
            raise ValidationError(f"there is no conflict {n} to answer: this package's preview has {have}")
    both = sorted(set(keep) & set(take))
    if both:
        raise ValidationError(f"conflict {both[0]} is given both answers, keep and take: give one")
    return Answers(every, {**{keys[n]: KEEP for n in keep}, **{keys[n]: TAKE for n in take}})


def _stamp(stamp: tuple[str, str] | None) -> dict[str, str] | None:
    """Who set a value and when (the audit stamp, UTC), as data; None where the log does not tell."""
    return {"by": stamp[0], "at": stamp[1]} if stamp else None


def conflict_rows(conflicts: list[FieldConflict]) -> list[dict[str, Any]]:
    """The field conflicts as plain data (--json): number, record, field, both values, the last agreed value
    (``agreed_known`` False: never exchanged; after the package's register overruled this register's value, the one
    it settled, ``overruled`` saying so: {yours, kept}), the answer (None: left as a conflict), the conflict in
    words, and who set a capture's review as it stands on each side and when (``set_here``, ``set_in_package``:
    {by, at} or None). ``fields`` names the fields the answer answers: a capture's review is "field" "review",
    ``fields`` ["decision", "clinician_notes"], with ``here``, ``package``, ``last_agreed`` and ``overruled`` by field
    name."""
    return [
        {
            "number": c.number,
            "key": c.key,
            "record": c.what,
            "field": c.name,
            "fields": [part.name for part in c.fields],
            "here": c.here,
            "package": c.package,
            "last_agreed": c.agreed,
            "agreed_known": c.known,
            "overruled": c.overruled,
            "answer": c.answer,
            "text": c.text,
            "set_here": _stamp(c.set_here),
            "set_in_package": _stamp(c.set_there),
        }
        for c in conflicts
    ]


def counted_fields(conflicts: Sequence[FieldConflict]) -> str:
    """Conflicts in words by what they hold: "2 fields", "1 review (decision and clinician notes)", "1 field and 1
    review (...)": a review's fields as its conflict names them (those differing, "decision, re-check interval and
    clinician notes" where the interval does too)."""
    reviews = sum(bool(c.parts) for c in conflicts)
    fields = len(conflicts) - reviews
    held = [label(name) for name in REVIEW if any(p.name == name for c in conflicts for p in c.parts)]
    parts = ([counted(fields, "field")] if fields or not reviews else []) + (
        [f"{counted(reviews, 'review')} ({and_list(held)})"] if reviews else []
    )
    return " and ".join(parts)


def and_list(words: Sequence[str]) -> str:
    """ "decision", "decision and clinician notes", "decision, re-check interval and clinician notes"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def conflicts_text(answers: Sequence[str | None]) -> str:
    """One patient's fields changed on both sides, given their answers (None: not answered), in words for its row
    in a preview: "2 conflicts to answer", "2 conflicts answered: 1 keeps this register's value, 1 takes the
    package's", "3 conflicts: 1 to answer, 2 keep this register's value" ("" for none)."""
    if not answers:
        return ""
    left = sum(a is None for a in answers)
    if left == len(answers):
        return f"{counted(left, 'conflict')} to answer"
    keep, take = answers.count(KEEP), answers.count(TAKE)
    done = ([f"{keep} {'keeps' if keep == 1 else 'keep'} this register's value"] if keep else []) + (
        [f"{take} {'takes' if take == 1 else 'take'} the package's"] if take else []
    )
    if left:
        return f"{counted(len(answers), 'conflict')}: {left} to answer, {', '.join(done)}"
    return f"{counted(len(answers), 'conflict')} answered: {', '.join(done)}"
