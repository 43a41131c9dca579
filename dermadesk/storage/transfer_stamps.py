"""Who set a capture's review as it stands on each side of a transfer, and when: what a conflict of the review says
beside each side's values ("here: decision 'monitor', re-check in 6 months — by Dr Ames on 3 Mar 2026; in the
package: decision 'excise' — by Dr Lee on 10 Mar 2026"), so that the clinician choosing which to keep knows whose
decision each is. Where both fall on one day (this workstation's), each says its time too ("by Dr Ames on 24 Nov
2026 09:15"; ``transfer_values.set_when``).

Read from the audit logs (``who_set``): here, the record's audit rows in this register; in the package, the history
it carries of the record. A review saved on the side it is said of is named by who saved it alone (the side says
where); one an earlier import brought there names the register it was saved in ("dr.x at CLINIC-2"). A side whose
log does not tell (a value saved with the record, or changed otherwise) says nothing.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from dermadesk.storage.transfer_review import REVIEW
from dermadesk.storage.transfer_values import Stamp
from dermadesk.storage.who_set import who_set_any

Stamps = Callable[[Sequence[str]], tuple[Stamp | None, Stamp | None]]


def no_stamps(names: Sequence[str]) -> tuple[Stamp | None, Stamp | None]:
    """Neither side's who and when (a record other than a capture)."""
    return None, None


def review_stamps(
    table: str,
    here: Mapping[str, Any],
    row: Mapping[str, Any],
    entries: Sequence[Mapping[str, Any]],
    history: Sequence[Mapping[str, Any]],
) -> Stamps:
    """For a capture (``here``: its row in this register, ``row``: in the package; ``entries``: its audit rows here,
    ``history``: those the package carries, each oldest first), a function giving for the review fields named
    (decision, re-check interval, clinician notes) (who, when) last set them as they stand here and in the package's
    register: the latest entry that changed any of them. Other fields, and other records: (None, None)."""
    if table != "captures":
        return no_stamps
    mine, theirs = list(reversed(entries)), list(reversed(history))  # newest first, as ``who_set`` reads them

    def stamps(names: Sequence[str]) -> tuple[Stamp | None, Stamp | None]:
        fields = [name for name in names if name in REVIEW and name in here and name in row]
        if not fields:
            return None, None
        return who_set_any(mine, {n: here[n] for n in fields}), who_set_any(theirs, {n: row[n] for n in fields})

    return stamps
