"""The question before a patient is added, or a patient's name or birth date saved, that is likely another
patient already registered (``services.duplicates``): open the existing patient, add (save) anyway, or cancel."""

from __future__ import annotations

from dermadesk.domain.dates import human_date
from dermadesk.services.duplicates import TWIN, Likely, likely_lines
from dermadesk.ui.dialogs import DialogService

OPEN = "Open the existing patient"
ADD, SAVE = "Add anyway", "Save anyway"
RESTORE = "to restore it, Patient > Restore patient once it is open (View > Show deleted patients lists it)"


def _listed(found: list[Likely]) -> str:
    return "\n".join(f"• {line}" for line in likely_lines(found, RESTORE))


def _opens(found: list[Likely]) -> str:
    """Which patient the Open button opens, where several are named."""
    return f" ({OPEN} opens {found[0].patient.mrn}.)" if len(found) > 1 else ""


def ask_adding(dialogs: DialogService, found: list[Likely], name: str, birth_date: str | None) -> str | None:
    """``OPEN``, ``ADD`` or None (Cancel: back to the New patient dialog) for a new patient likely registered."""
    born = f", born {human_date(birth_date)}," if birth_date else ""
    message = (
        f"{name}{born} may already be registered:\n{_listed(found)}\n\n"
        f"Open the existing patient to add lesions and images there: one person's lesion history in one record."
        f"{_opens(found)} {TWIN[0].upper()}{TWIN[1:]}."
    )
    return dialogs.choose("Patient likely already registered", message, [OPEN, ADD])


def ask_saving(dialogs: DialogService, found: list[Likely], mrn: str, can_open: bool) -> str | None:
    """``OPEN`` (where ``can_open``), ``SAVE`` or None (Cancel: nothing saved, the typing kept) for a patient whose
    new name or birth date is likely another patient's."""
    another = TWIN.replace("add anyway", "save anyway")
    first = f"{another[0].upper()}{another[1:]}."
    message = f"With this name and birth date, patient {mrn} looks like another patient already registered:\n"
    message += _listed(found) + "\n\n"
    if can_open:
        message += f"Open the existing patient instead (the changes to {mrn} are not saved).{_opens(found)} {first}"
    else:
        message += f"{first} Cancel keeps the changes on screen, not saved."
    return dialogs.choose("Likely the same patient", message, [OPEN, SAVE] if can_open else [SAVE])


def not_saved(found: list[Likely]) -> str:
    """Why nothing was saved after Cancel (the form's line), and how to save it still."""
    first = found[0]
    return (
        f"likely the same patient as {first.patient.mrn} {first.patient.name} ({first.why}): if this is another "
        f"person (e.g. a twin), Save again and answer {SAVE}"
    )
