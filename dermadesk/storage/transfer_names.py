"""An import plan's records and findings in words (``transfer_merge``): a record named as this register names it,
why a patient is not merged, and a value of this register the package's register overruled.

A lesion both registers hold is named as it is here: its number, its label and site here ("lesion 2 (left
scapula, left posterior torso) of patient P-1"), with the package's label only where it differs ("...; 'upper
back' in the package"); a lesion new to this register has no number here yet and is named by the package's label.
A capture is named by its day, its file and its lesion, as short ("capture of 15 Jan 2025 (X.jpg), lesion 2 (left
scapula) of patient P-1"): a patient with several lesions has captures of the same day on more than one. An assessment
is named by its capture ("assessment of the capture of 15 Jan 2025 (X.jpg), lesion 2 (left scapula) of patient P-1"),
with the day it was made where its capture has several ("assessment made 3 Mar 2025 of the capture of ...").
"""

from __future__ import annotations

import unicodedata
from typing import Any, Mapping

from dermadesk.domain.bodymap import site_with_side
from dermadesk.domain.dates import human_date
from dermadesk.storage.transfer_fields import label, shown


def key(text: str | None) -> str:
    """Text compared as a person would: case, Unicode form and spacing ignored."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def fold(text: str | None) -> str:
    """``key`` without accents: "José Núñez" and "jose  nunez" fold alike."""
    return "".join(c for c in unicodedata.normalize("NFD", key(text)) if not unicodedata.combining(c))


def identity_problem(here: Mapping[str, Any], row: Mapping[str, Any]) -> str:
    """Why a package patient is not the patient holding its MRN here ("" when name and birth date agree)."""
    if key(here["name"]) != key(row.get("name")):
        only = " only in accents or case" if fold(here["name"]) == fold(row.get("name")) else ""
        return f"the name differs{only} (here {here['name']!r}, in the package {row.get('name')!r})"
    if here["birth_date"] and row.get("birth_date") and here["birth_date"] != row["birth_date"]:
        return f"the birth date differs (here {here['birth_date']}, in the package {row['birth_date']})"
    return ""


def deleted_here(what: str, deleted_at: str) -> str:
    """A patient or lesion deleted in this register, and how to let the package's records in."""
    where = (
        "Patient > Restore patient, with View > Show deleted patients"
        if what == "patient"
        else "Edit > Restore deleted..."
    )
    return f"deleted in this register on {str(deleted_at)[:10]}; restore the {what} first ({where}) or it stays out"


def _lesion_here(here: Mapping[str, Any], row: Mapping[str, Any]) -> str:
    """ "lesion 2 (left scapula, left posterior torso; 'upper back' in the package)"."""
    number = f"lesion {here['number']}" if here["number"] is not None else f"lesion (id {here['id']})"
    site = site_with_side(here["site"], here["body_view"], here["body_x"], before=True)
    what = f"{here['label']}, {site}" if here["label"] else site
    theirs = str(row.get("label") or "").strip()
    if theirs and key(theirs) != key(here["label"]):
        what += f"; {theirs!r} in the package"
    return f"{number} ({what})"


def lesion_short(row: Mapping[str, Any], here: Mapping[str, Any] | None = None) -> str:
    """A capture's lesion, short: "lesion 2 (left scapula)" as held here (its label, else its site), "lesion 'upper
    back'" for one new to this register."""
    if here is None:
        return f"lesion {(row.get('label') or row.get('site') or row['uid'][:8])!r}"
    number = f"lesion {here['number']}" if here["number"] is not None else f"lesion (id {here['id']})"
    what = here["label"] or site_with_side(here["site"], here["body_view"], here["body_x"], before=True)
    return f"{number} ({what})" if what else number


def capture_short(row: Mapping[str, Any], here: Mapping[str, Any] | None, lesion: str) -> str:
    """ "capture of 15 Jan 2025 (X.jpg), lesion 2 (left scapula)": its day and file as held here, if it is; ``lesion``:
    ``lesion_short``."""
    if here is not None:
        day, name = here["taken_at"], here["original_name"]
    else:
        day, name = row.get("taken_at"), row.get("original_name")
    day, name = human_date(str(day or "")), name or ""
    what = f"capture of {day}" if day else "capture"
    return what + (f" ({name})" if name else "") + (f", {lesion}" if lesion else "")


def _assessment(row: Mapping[str, Any], here: Mapping[str, Any] | None, capture: str, dated: bool) -> str:
    """ "assessment of the capture of 15 Jan 2025 (X.jpg), lesion 2 (left scapula)"; ``dated``: "assessment made 3 Mar
    2025 of the capture ...", its day as held here, if it is."""
    made = human_date(str((here["created_at"] if here is not None else row.get("created_at")) or "")) if dated else ""
    return "assessment" + (f" made {made}" if made else "") + (f" of the {capture}" if capture else "")


def named(
    table: str,
    row: Mapping[str, Any],
    mrn: str,
    here: Mapping[str, Any] | None = None,
    under: str = "",
    dated: bool = False,
) -> str:
    """A record in words for a conflict, a note or an update: "lesion 2 (left scapula, left posterior torso) of
    patient P-1" for a lesion held here (``here``: its row here), "lesion 'upper back' of patient P-1" for one new
    to this register; a capture with its lesion (``under``: ``lesion_short``), an assessment with its capture
    (``under``: ``capture_short``; ``dated``: with the day it was made, as its capture has several)."""
    if table == "lesions" and here is not None:
        what = _lesion_here(here, row)
    elif table == "lesions":
        what = lesion_short(row)
    elif table == "captures":
        what = capture_short(row, here, under)
    elif table == "assessments":
        what = _assessment(row, here, under, dated)
    else:
        what = f"{table[:-1]} {row['uid'][:8]}"
    return f"{what} of patient {mrn}"


def overruled_line(what: str, name: str, overruled: Mapping[str, Any], host: str) -> str:
    """A value of this register replaced because the package's register (workstation ``host``) answered a field
    changed on both sides 'keep this register's value' there: "patient P-1: notes: your 'a' replaced by workstation
    clinic-pc's 'b' (answered at clinic-pc on 23 Nov 2026: keep its own value over yours)"."""
    where = host or "the package's workstation"
    day = human_date(str(overruled.get("answered_at") or ""))  # the day it was on this workstation's clock
    return (
        f"{what}: {label(name)}: your {shown(overruled['here'], name)} replaced by "
        f"{'workstation ' + host if host else 'the package'}'s {shown(overruled['package'], name)} "
        f"(answered at {where}{' on ' + day if day else ''}: keep its own value over yours)"
    )
