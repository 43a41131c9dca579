"""Changes made to the register elsewhere (a command, another window or workstation, a transfer import) while a
window shows it: noticed (``Watch``), and never overwritten without a word by a save of what a form loaded before
(``merge``: the stored value, the one the form loaded and the one typed, field by field)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dermadesk.domain.text import as_stored
from dermadesk.storage.db import Database
from dermadesk.storage.register import Register

MULTILINE = frozenset({"notes", "clinician_notes"})


class Watch:
    """Whether another connection committed to the register since the last look: SQLite's data version of the
    register's own connection, which its own writes (this window's saves, its background tasks) leave as it is."""

    def __init__(self) -> None:
        self._database: Database | None = None
        self._seen: int | None = None

    def changed(self, register: Register) -> bool:
        """True once for each look that finds a change; False while the connection is busy or closed, and on the
        first look at a register (reopened after a restore: shown afresh by then)."""
        database = register.database
        version = database.data_version()
        if version is None:
            return False
        if database is not self._database:
            self._database, self._seen = database, version
            return False
        if version == self._seen:
            return False
        self._seen = version
        return True


@dataclass(frozen=True)
class Clash:
    """A field typed here and changed elsewhere to something else since the form loaded it."""

    field: str
    loaded: Any
    stored: Any
    typed: Any


@dataclass(frozen=True)
class Merged:
    """What a save writes: each typed field, and where only the register changed a field, its stored value (a
    decision changed elsewhere is not put back by saving notes typed beside it); ``clashes``: typed here and changed
    elsewhere, for the user to choose (``resolved``)."""

    values: dict[str, Any]
    loaded: dict[str, Any]  # the typed fields as the form loaded them, and as stored now
    stored: dict[str, Any]
    clashes: tuple[Clash, ...]

    @property
    def changed_elsewhere(self) -> bool:
        return not all(same(k, v, self.stored.get(k)) for k, v in self.loaded.items())

    def resolved(self, keep_stored: bool) -> dict[str, Any]:
        """The values to write: the clashing fields as typed, or as stored with ``keep_stored``."""
        if not keep_stored:
            return dict(self.values)
        return {**self.values, **{c.field: c.stored for c in self.clashes}}

    @property
    def both_keepable(self) -> bool:
        """Whether every clash is of free text (notes), which ``kept_both`` can join; never a choice (a decision)."""
        return bool(self.clashes) and all(c.field in MULTILINE for c in self.clashes)

    def kept_both(self) -> dict[str, Any]:
        """The values to write with each clashing text as both: the stored one, then the one typed here."""
        return {**self.values, **{c.field: both_texts(c.stored, c.typed) for c in self.clashes}}

    def same_as_stored(self, values: Mapping[str, Any]) -> bool:
        return all(same(k, v, self.stored.get(k)) for k, v in values.items())


def same(field: str, a: Any, b: Any) -> bool:
    """Equal as stored: spaces and line ends alone, or None against '', are no change."""
    return as_stored(a, field in MULTILINE) == as_stored(b, field in MULTILINE)


def both_texts(stored: Any, typed: Any) -> str:
    """Two texts kept as one: the stored one, a blank line, then the typed one; only one of them where it holds the
    other already (said twice otherwise when both sides had added to the same note)."""
    first, second = as_stored(stored, True), as_stored(typed, True)
    if second in first:
        return first
    if first in second:
        return second
    return f"{first}\n\n{second}"


def merge(loaded: Mapping[str, Any], stored: Mapping[str, Any], typed: Mapping[str, Any]) -> Merged:
    """``typed`` (the form's values of some fields) against what the form ``loaded`` and what is ``stored`` now."""
    values: dict[str, Any] = {}
    clashes = []
    for k, mine in typed.items():
        if same(k, mine, loaded.get(k)):  # not typed here: as stored now (changed elsewhere or not at all)
            values[k] = stored.get(k)
            continue
        values[k] = mine
        if not same(k, stored.get(k), loaded.get(k)) and not same(k, mine, stored.get(k)):
            clashes.append(Clash(k, loaded.get(k), stored.get(k), mine))
    return Merged(values, {k: loaded.get(k) for k in typed}, {k: stored.get(k) for k in typed}, tuple(clashes))
