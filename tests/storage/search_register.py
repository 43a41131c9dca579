"""The patient-search tests' shared parts: a register filled with (mrn, name, born) rows and what a search finds."""

from __future__ import annotations

from collections.abc import Iterable

from dermadesk.storage.register import Register


def fill(register: Register, patients: Iterable[tuple[str, str, str | None]]) -> Register:
    """``register`` with each (mrn, name, born) added as a patient, in order."""
    for mrn, name, born in patients:
        register.patients.add("t", mrn, name, born)
    return register


def found_in_order(reg: Register, text: str) -> list[str]:
    """The MRNs a search for ``text`` lists, in the order it lists them."""
    return [p.mrn for p in reg.patients.search(text)]


def found(reg: Register, text: str) -> list[str]:
    """The MRNs a search for ``text`` lists, sorted (where the order is not under test)."""
    return sorted(found_in_order(reg, text))
