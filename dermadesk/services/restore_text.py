"""What a restore says besides the counts: that a backup comes from another register (before it replaces this
one), and where the replaced register was kept, with the earlier ones a restore set aside and the room they take
(DermaDesk never deletes them: staff delete those they no longer need)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dermadesk.services.maintenance_text import made_text
from dermadesk.domain.text import size_text
from dermadesk.storage.identity import RegisterIdentity

NAMED = 3  # earlier folders named; the rest counted


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def patients_text(patients: int, deleted: Mapping[str, int] | None) -> str:
    """'3 patients', or '3 patients (plus 1 deleted)': those a user sees, the deleted ones apart."""
    hidden = int((deleted or {}).get("patients", 0))
    return _n(patients - hidden, "patient") + (f" (plus {hidden} deleted)" if hidden else "")


def other_register_text(
    backup: RegisterIdentity | None,
    backup_patients: str,
    created: str,
    current: RegisterIdentity | None,
    current_patients: str,
    current_total: int,
    cli: bool = False,
) -> str:
    """'This backup is from another register (workstation laptop-2 (6f1c2a3b), 2 patients, made on 3 Mar 2026 at
    14:03); restoring replaces this register's 3 patients.' with what to do instead; "" when it is this register
    (or a copy of it), when either cannot tell, and over a register that never held a patient (a new workstation
    set up from the clinic's backup: nothing of its own is lost). ``cli``: the transfer named as commands."""
    if backup is None or current is None or backup.same_register(current) or current_total == 0:
        return ""
    how = "'dermadesk transfer export' there, 'dermadesk transfer import' here"
    if not cli:
        how = (
            "File > Export patients to another workstation there, File > Import patients from another workstation here"
        )
    return (
        f"This backup is from another register ({backup.name}, {backup_patients}, made on {made_text(created)}); "
        f"restoring replaces this register's {current_patients} ({current.name}). To add the other register's "
        f"patients to this one instead, move them with a transfer package ({how})."
    )


def kept_text(info: Mapping[str, object]) -> str:
    """Where the replaced register was kept (and its size), the earlier ones beside it (how many, which, how much
    room in all), and that DermaDesk leaves them for staff to delete."""
    previous, size, listed = info.get("previous_data"), info.get("previous_bytes"), info.get("earlier_kept")
    earlier = [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
    if previous:
        kept = f"The earlier data is kept in\n{previous}" + (f" ({size_text(size)})." if isinstance(size, int) else ".")
    else:
        kept = "The folder held no earlier data, so there was nothing to keep aside."
    if earlier:
        names = [Path(str(e["path"])).name for e in earlier]
        shown = ", ".join(names[:NAMED]) + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")
        total = size_text(sum(int(e.get("bytes", 0)) for e in earlier))
        where = "beside it" if previous else f"in {Path(str(earlier[0]['path'])).parent}"
        are = "is" if len(earlier) == 1 else "are"
        kept += f"\n\n{_n(len(earlier), 'register')} set aside by earlier restores {are} also kept {where} ({shown}): "
        kept += f"{total} in all."
    folders = len(earlier) + (1 if previous else 0)
    if folders:
        these, one = ("this folder", "it") if folders == 1 else ("these folders", "one")
        kept += (
            f"\n\nDermaDesk never deletes {these}: once you are sure you no longer need {one}, delete it (your IT "
            "support can help)."
        )
    return kept
