"""Another data folder for the app's next start (Settings > Data directory): what the folder holds, said before
the choice is kept, and refused where the next start would refuse it (a drive not connected, a register file lost
beside its images, a newer register) or where it would be confusing (inside the open register's folder). The
register open now is never moved or copied; the choice is kept in this workstation's file
(``config.choose_data_dir``), and --data-dir or $DERMADESK_DATA_DIR still win over it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dermadesk.config import REGISTER_FILE, Settings, standard_data_dir
from dermadesk.domain.errors import DermaDeskError, ValidationError
from dermadesk.domain.text import counted, who_text
from dermadesk.services.maintenance_text import made_text
from dermadesk.services.restore_text import patients_text
from dermadesk.storage.identity import identity_of
from dermadesk.storage.lost_register import NEW_IN_FOLDER, refuse_lost_register
from dermadesk.storage.register import Register
from dermadesk.storage.register_peek import peek_register

NOT_CHANGED = "The data folder was not changed."
HOW_TO_MOVE = (
    "To take its patients along, back it up now (File > Back up...) and, after the restart, restore that backup "
    "in the new folder (File > Restore from backup...)."
)


@dataclass(frozen=True)
class FolderVerdict:
    """What choosing ``folder`` needs: a ``refusal`` (said, nothing kept), else a ``question`` to answer Yes before
    the choice is kept (the folder made first where ``make``)."""

    folder: Path
    refusal: str = ""
    question: str = ""
    make: bool = False


def typed_folder(text: str) -> Path:
    """The folder a user typed or pasted: quotes around it (Windows' "Copy as path") and spaces dropped, ~ for the
    home folder; empty for the standard folder. ValidationError for a path that is not whole (relative: it would
    depend on where DermaDesk was started)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    if not text:
        return standard_data_dir()
    if "\0" in text:
        raise ValidationError("a folder's name cannot hold that character; choose the folder with Browse...")
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise ValidationError(
            f"'{text}' is not a whole path: type it from the start (such as {standard_data_dir()}), or choose the "
            "folder with Browse..."
        )
    return Path(os.path.abspath(path))


def _described(folder: Path, open_now: Register | None) -> str:
    """'/media/usb/DermaDesk holds a DermaDesk register: workstation laptop-2 (6f1c2a3b), clinic 'North', 12
    patients, last changed 3 Mar 2026 at 14:03 by nurse1.' (IntegrityError where it cannot be read)."""
    peek = peek_register(folder)
    parts = [peek.identity.name] if peek.identity is not None else []
    if clinic := Settings.load(folder).clinic_name.strip():
        parts.append(f"clinic '{clinic}'")
    parts.append(patients_text(peek.patients, {"patients": peek.deleted}))
    if peek.last_change:
        by = f" by {who_text(peek.last_actor)}" if peek.last_actor else ""
        parts.append(f"last changed {made_text(peek.last_change)}{by}")
    said = f"{folder} holds a DermaDesk register: {', '.join(parts)}."
    here = identity_of(open_now.database.conn) if open_now is not None else None
    if peek.identity is not None and here is not None and peek.identity.same_register(here):
        said += (
            " It is a copy of the register open now: what was added or changed here since it was copied is not in it."
        )
    return said


def judge_folder(folder: Path, here: Path, open_now: Register | None = None) -> FolderVerdict:
    """Whether ``folder`` may be the data folder from the next start, and what to ask first. ``here``: this
    window's data folder, said not to be moved or copied; ``open_now``: its register (its patients counted)."""
    folder, here = Path(folder), Path(here)
    held = f", {counted(open_now.patients.count(), 'patient', none='no patients')}" if open_now is not None else ""
    stays = (
        f"The register open now ({here}{held}) is not moved or copied: it stays where it is, and choosing its folder "
        "here again brings it back."
    )

    def refused(why: str) -> FolderVerdict:
        return FolderVerdict(folder, refusal=f"{why}\n\n{NOT_CHANGED}")

    if here.resolve() in folder.resolve().parents:
        return refused(
            f"{folder} is inside the data folder of the register open now ({here}); choose a folder outside it."
        )
    if folder.exists() and not folder.is_dir():
        return refused(f"{folder} is a file, not a folder; choose a folder.")
    if not folder.exists():
        if not folder.parent.is_dir():
            return refused(
                f"{folder} does not exist, nor the folder it would go in ({folder.parent}): is the drive connected, "
                "and the name right?"
            )
        return FolderVerdict(
            folder,
            question=f"{folder} does not exist yet. Make this folder now and start in it from the next start, "
            f"with a new, empty register?\n\n{stays} {HOW_TO_MOVE}",
            make=True,
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return refused(f"{folder} cannot be written from your account; choose another folder, or ask IT for access.")
    if folder.resolve() == here.resolve():
        return FolderVerdict(folder, question=f"{folder} is the folder of the register open now. Open it at every "
                             "start (unless --data-dir or DERMADESK_DATA_DIR gives another)?")  # fmt: skip
    if (folder / REGISTER_FILE).exists():
        try:
            said = _described(folder, open_now)
        except DermaDeskError as exc:
            return refused(str(exc))
        return FolderVerdict(
            folder,
            question=f"{said}\n\nOpen this register from the next start? Its patients are not merged with those "
            f"of the register open now.\n\n{stays}",
        )
    try:
        refuse_lost_register(folder, NEW_IN_FOLDER)  # earlier data with no register file beside it
    except DermaDeskError as exc:
        why = str(exc).removesuffix("; no new register was created")  # nothing is made here: the choice is refused
        return refused(why[:1].upper() + why[1:] + ".")
    others = sum(1 for _ in folder.iterdir())
    beside = f" It holds {counted(others, 'other file or folder', 'other files or folders')}: DermaDesk's own go " \
        "beside them." if others else ""  # fmt: skip
    return FolderVerdict(
        folder,
        question=f"{folder} holds no register: the next start makes a new, empty register there, with settings of "
        f"its own (clinic name, paper size, model).{beside} Start in it from the next start?\n\n{stays} {HOW_TO_MOVE}",
    )
