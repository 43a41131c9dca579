"""What a save wrote, in the status bar's words: "Decision 'refer' and notes saved (Lesion 1, capture of 3 Mar
2026)", "Lesion 1 saved (status: referred)", "Capture of 10 Jan 2026 corrected: polarisation, notes". No Qt: the
corrections and the window's saves say it alike."""

from __future__ import annotations

from typing import Any, Mapping

from dermadesk.domain.dates import human_date
from dermadesk.domain.follow_up import months_words
from dermadesk.domain.records import Capture, Lesion
from dermadesk.domain.text import as_stored


def review_saved_text(
    before: Capture, title: str, decision: str | None, notes: str, when: str = "", recheck_months: int | None = None
) -> str:
    """ "Decision 'refer' and notes saved (Lesion 1, capture of 3 Mar 2026)": what changed, and for which capture
    ("Decision removed", "notes emptied"; "Nothing changed: ..." where the save changed nothing). ``when``: the
    capture named among its lesion's (``when_taken``: its time where that day has another), else its date.
    ``recheck_months``: the re-check interval saved ("decision 'monitor', re-check in 12 months")."""
    whose = f"({title}, capture of {when or human_date(before.taken_at)})"
    saved, gone = [], []
    if (decision or None) != (before.decision or None):
        (saved if decision else gone).append(f"decision '{decision}'" if decision else "decision removed")
    if recheck_months != before.recheck_months:
        again = f"re-check in {months_words(recheck_months)}" if recheck_months else ""
        if again and saved:  # with the decision: one thing saved
            saved[0] += f", {again}"
        elif again or decision == "monitor":  # the interval alone (back to the tier's where it is cleared)
            saved.append(again or "re-check interval (as the tier suggests)")
        else:  # gone with the decision it went with
            gone.append("re-check interval removed")
    if (typed := as_stored(notes, True)) != as_stored(before.clinician_notes, True):
        (saved if typed else gone).append("notes" if typed else "notes emptied")
    said = ", ".join([" and ".join(saved) + " saved"] * bool(saved) + gone)
    if not said:
        return f"Nothing changed: the decision and notes were saved already {whose}"
    return f"{said[:1].upper()}{said[1:]} {whose}"


def joined(said: list[str]) -> str:
    """Several saves on one line, "Patient C-1 saved (name); notes saved (Lesion 1, ...)": each after a semicolon
    begins lower case (an abbreviation such as "MRN" kept as it is)."""
    rest = [s[:1].lower() + s[1:] if s[1:2].islower() else s for s in said[1:]]
    return "; ".join(said[:1] + rest)


def lesion_changes(before: Lesion, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``changes`` that differ from ``before`` as stored."""
    return {k: v for k, v in changes.items() if as_stored(v) != as_stored(getattr(before, k))}


def lesion_saved_text(title: str, changed: Mapping[str, Any]) -> str:
    """ "Lesion 1 saved (status: referred; label: left scapula)"."""
    fields = "; ".join(f"{k}: {v}" if str(v).strip() else f"{k} removed" for k, v in changed.items())
    return f"{title} saved ({fields})"


CAPTURE_FIELD_WORDS = {
    "taken_at": "date taken",
    "modality": "modality",
    "polarisation": "polarisation",
    "mm_per_px": "mm per pixel",
    "magnification": "magnification",
    "notes": "notes",
    "lesion_id": "lesion",
}  # the Edit capture dialog's fields, as it labels them, in its order


def capture_corrected_text(when: str, changes: Mapping[str, Any]) -> str:
    """ "Capture of 10 Jan 2026 corrected: polarisation, notes": Edit capture's fields saved, the capture named as it
    was before (``when``: its date, its time where that day has another); a date corrected says the new one."""
    keys = [k for k in CAPTURE_FIELD_WORDS if k in changes] + [k for k in changes if k not in CAPTURE_FIELD_WORDS]
    fields = [CAPTURE_FIELD_WORDS.get(k, k.replace("_", " ")) for k in keys]  # in the dialog's order
    if "taken_at" in changes:
        fields[0] += f" (now {human_date(changes['taken_at'])})"
    return f"Capture of {when} corrected: {', '.join(fields)}"
