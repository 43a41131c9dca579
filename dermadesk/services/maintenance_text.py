"""What the maintenance tells a nurse: the check's result in plain words (what is fine, what is wrong, what to
do), the engineer's lines kept as details; and one way of counting what a backup holds, used by every message
(back up, restore's question, restored), so that the numbers agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from dermadesk.storage.check import CheckReport

KINDS = "(photographs and their heat maps)"


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def contents_text(
    patients: int, lesions: int, captures: int, images: int, deleted: Mapping[str, int] | None = None
) -> str:
    """'2 patients, 3 lesions (plus 1 deleted, restorable), 3 captures and 5 image files (photographs and their heat
    maps)': what every maintenance message counts. With ``deleted`` (rows per table a user does not see: deleted,
    or under a deleted patient or lesion) the records a user sees, the deleted ones apart; without it (a backup
    from before it was recorded) all records. Image files are those stored, a deleted capture's included."""
    gone = deleted or {}

    def part(count: int, table: str, one: str) -> str:
        hidden = int(gone.get(table, 0))
        return _n(count - hidden, one) + (f" (plus {hidden} deleted, restorable)" if hidden else "")

    return (
        f"{part(patients, 'patients', 'patient')}, {part(lesions, 'lesions', 'lesion')}, "
        f"{part(captures, 'captures', 'capture')} and {_n(images, 'image file')} {KINDS}"
    )


def made_text(created: str) -> str:
    """The backup's date for people: '20 Nov 2026 at 14:03' in local time ('an unknown date' when absent)."""
    try:
        when = dt.datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return "an unknown date"
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {when:%b %Y} at {when:%H:%M}"


@dataclass(frozen=True)
class PlainCheck:
    ok: bool
    title: str
    message: str  # what is fine, what is wrong, what to do
    details: str  # the engineer's lines (the "Show Details..." part)


def plain_check(r: CheckReport, details: list[str]) -> PlainCheck:
    """The check's report in plain words for the person at the desk; ``details`` are the technical lines."""
    photos, maps = r.captures_checked, r.images_checked - r.captures_checked
    fine: list[str] = []
    wrong: list[str] = []
    notes: list[str] = []
    if r.integrity or r.foreign_keys:
        wrong.append("The register file is damaged: some of its records cannot be read or do not fit together.")
    else:
        fine.append("The register file is undamaged.")
    if r.audit:
        wrong.append("The change history (audit log) was altered or is incomplete.")
    else:
        fine.append(f"The change history is complete and unaltered ({_n(r.audit_rows, 'entry', 'entries')}).")
    bad = len(r.missing_images) + len(r.damaged_images)
    if bad:
        what = [f"{len(r.missing_images)} missing"] if r.missing_images else []
        what += [f"{len(r.damaged_images)} damaged"] if r.damaged_images else []
        wrong.append(
            f"Some images are missing or damaged ({' and '.join(what)}, of {_n(r.images_checked, 'image file')} "
            "checked): the captures using them cannot be shown or assessed."
        )
    elif r.images_checked:
        every = "The image file is" if r.images_checked == 1 else f"All {r.images_checked} image files are"
        kinds = _n(photos, "photograph") + (f", {_n(maps, 'heat map')}" if maps else "")
        fine.append(f"{every} present and intact ({kinds}).")
    elif not r.not_this_register:
        fine.append("There are no images yet.")
    if r.duplicate_mrns:
        notes.append(
            "Some patients have the same MRN apart from capital letters ("
            + "; ".join(r.duplicate_mrns)
            + "): give one of each a different MRN in the patient form."
        )
    leftovers = len(r.orphan_files) + len(r.leftover_temp_files)
    if r.not_this_register:  # not leftovers: likely the images of a register whose file was replaced or lost
        stored = len(r.orphan_files) + r.images_checked - len(r.missing_images)
        wrong.append(
            f"Most stored images ({len(r.orphan_files)} of {stored}) belong to no "
            "capture in this register: the register file may have been replaced or made anew, and patients may be "
            "missing. Keep these images: they are not leftovers."
        )
    elif leftovers:
        notes.append(
            f"{_n(leftovers, 'stored file')} no longer belong to any capture (left over, harmless). Your IT "
            "support can tidy them with 'dermadesk db check --clean'."
        )
    parts = ["What is fine:\n" + "\n".join(f"• {line}" for line in fine)] if fine else []
    if wrong:
        parts.insert(0, "What is wrong:\n" + "\n".join(f"• {line}" for line in wrong))
        parts.append(
            "What to do: do not add new captures for now. Call your IT support and show them this message with "
            "its details; they may restore the latest backup (File > Restore from backup...)."
        )
    if notes:
        parts.append("Good to know:\n" + "\n".join(f"• {line}" for line in notes))
    if not wrong:
        parts.append("Nothing needs to be done." if not r.duplicate_mrns else "Nothing else needs to be done.")
    title = "Register check: all is well" if r.ok else "Register check: problems found"
    return PlainCheck(r.ok, title, "\n\n".join(parts), "\n".join(details))
