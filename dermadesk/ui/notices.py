"""What the app tells the user after an import and when opening the register: words only, from the service's
results (ImportResult, Register.recovered, the storage layer's refusal); shown through the DialogService."""

from __future__ import annotations

from html import escape
from pathlib import Path

from dermadesk.analysis.decode import FORMATS_TEXT
from dermadesk.services import register_ops
from dermadesk.services.captures import ImportResult
from dermadesk.services.import_check import KnownImages, skipped_as_said
from dermadesk.storage.lost_register import NEW_ANYWHERE
from dermadesk.storage.register import Register
from dermadesk.ui.dialogs import DialogService
from dermadesk.domain.text import counted
from dermadesk.domain.dates import capture_when

SHOWN = 15  # lines of a list in the message itself; the whole list is under "Show Details..."


def _listed(lines: list[str]) -> tuple[str, str]:
    """(the first SHOWN lines as a bulleted list, the whole list when longer, else "")."""
    shown = "\n".join(f"• {line}" for line in lines[:SHOWN])
    if len(lines) <= SHOWN:
        return shown, ""
    return f"{shown}\n... and {len(lines) - SHOWN} more (Show Details)", "\n".join(lines)


def import_notice(result: ImportResult, told: KnownImages | None = None) -> tuple[str, str, str, str] | None:
    """(kind "warning" or "info", title, message, details) for a finished import, or None when all went in.

    Names every refused and skipped file with its reason (duplicates included), and on cancel what was saved.
    Refused files are a warning, not an error, whether some or all were refused: nothing saved was lost. ``told``:
    the files the import dialog named as in the register or chosen twice before it asked; counted, not named again.
    """
    saved = len(result.captures)
    said = set(told.all()) if told else set()
    errors = [(f, m) for f, m in result.errors if f not in said]
    skipped = [(f, m) for f, m in result.skipped if f not in said]
    passed = {f for f, _ in result.errors + result.skipped if f in said}  # those the import reached
    if not (errors or skipped or passed or result.cancelled or result.notes):
        return None
    parts: list[str] = []
    details: list[str] = []
    if result.cancelled:
        names = [c.original_name or f"the capture of {capture_when(c, result.captures)}" for c in result.captures]
        what = "interrupted" if result.interrupted else "cancelled"
        parts.append(
            f"Import {what}: {counted(saved, 'image', none='no image')} saved before it stopped; "
            "nothing was half-saved."
            + (
                f"\nSaved: {', '.join(names[:SHOWN])}"
                + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
                if names
                else ""
            )
        )
    else:
        parts.append(f"{counted(saved, 'image', none='No image')} imported.")
    if passed and told:
        parts.append(skipped_as_said(told, passed))
    for heading, lines in (
        (f"{len(errors)} refused:", [m for _, m in errors]),
        (f"{len(skipped)} skipped (not imported):", [m for _, m in skipped]),
        ("Imported; please check the date:", [m for _, m in result.notes]),
    ):
        if lines:
            text, full = _listed(lines)
            parts.append(f"{heading}\n{text}")
            if full:
                details.append(f"{heading}\n{full}")
    if result.cancelled:
        title = f"Import {'interrupted' if result.interrupted else 'cancelled'}"
    elif errors:
        title = "Some images were not imported"
    elif skipped or passed:
        title = f"Import finished: {counted(len(skipped) + len(passed), 'file')} skipped"
    else:
        title = "Import finished: please check the capture dates"
    return ("warning" if errors or result.notes else "info"), title, "\n\n".join(parts), "\n\n".join(details)


def show_import_notice(dialogs: DialogService, result: ImportResult, told: KnownImages | None = None) -> None:
    notice = import_notice(result, told)
    if notice is None:
        return
    kind, title, message, details = notice
    (dialogs.warning if kind == "warning" else dialogs.info)(title, message, details)


def nothing_to_import(dialogs: DialogService, skipped: list[tuple[str, str]]) -> None:
    """A drop or folder holding no image DermaDesk reads: say so, and why each file was passed over (a warning:
    nothing was lost)."""
    if not skipped:
        dialogs.warning("Import", f"No image files found: choose a folder or files holding {FORMATS_TEXT} images.")
        return
    text, full = _listed([m for _, m in skipped])
    dialogs.warning("Import", f"No image files to import; {len(skipped)} skipped:\n{text}", full)


def nothing_new(dialogs: DialogService, known: KnownImages, problems: dict[str, str]) -> None:
    """No image chosen is new (each in the register already, chosen twice, or unreadable): said before any import
    dialog, each file with its reason; nothing was imported, nothing lost (an info, not a warning)."""
    lines = list(known.all().values()) + list(problems.values())
    which = "The image chosen is" if len(lines) == 1 else "The images chosen are"
    text, full = _listed(lines)
    unreadable = ", or cannot be read" if problems else ""
    dialogs.info(
        "Nothing to import", f"{which} already in the register{unreadable}: nothing was imported.\n{text}", full
    )


# -- opening the register ------------------------------------------------------------------------------------


READ_ONLY_TITLE = "The data folder is read-only"


def read_only_words(folder: Path, why: str) -> list[str]:
    """The paragraphs (plain text) that say a data folder cannot be written (``why``: ``storage.read_only``), that
    nothing in it was changed, and what to do (``ui.read_only_folder`` asks with them)."""
    return [
        f"DermaDesk cannot work in the data folder {folder}: it is read-only ({why}). Nothing could be saved there "
        "(no new patient, image, assessment or decision), so it was not opened; nothing in it was changed.",
        "To work with this register, copy the whole folder somewhere writable (such as your Documents folder) and "
        "choose the copy here, or ask IT to give your account write access to the folder.",
        "For IT: the command line reads such a folder as it is (dermadesk patient list, report, backup, db check).",
    ]


CANNOT_OPEN_TITLE = "DermaDesk cannot open the data folder"


def cannot_open_message(folder: Path, why: str) -> str:
    """Why the app's start cannot open ``folder`` (``register_ops.CannotOpenRegister``'s line), under the title as a
    heading (no title bar shows it on some desktops), and the folder where the line does not name it."""
    paragraphs = [why]  # as said: it may start with a file name
    if str(folder) not in why:
        paragraphs.append(f"Data folder: {folder}")
    text = "".join(f"<p>{escape(p, quote=False).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f"<b>{escape(CANNOT_OPEN_TITLE)}</b>{text}"


def open_register(data_dir: Path, dialogs: DialogService, new: str = NEW_ANYWHERE) -> Register | None:
    """The register, or None after a message when opening is refused (no register but earlier data beside it, a
    folder given that is not there, a damaged or newer file, no access: its one line, ``cannot_open_message``);
    nothing is created then. A
    register in a folder this account cannot write is not opened either (``ui.read_only_folder``: the window has
    no read-only state), said as the app's start says it."""
    try:
        register = register_ops.open_register(Path(data_dir), new)
    except register_ops.CannotOpenRegister as exc:
        dialogs.error(CANNOT_OPEN_TITLE, cannot_open_message(Path(data_dir), str(exc)))
        return None
    if register.read_only:
        register.close()
        words = read_only_words(register.data_dir, register.read_only)
        dialogs.error(READ_ONLY_TITLE, "\n\n".join(words), paths=[register.data_dir])  # broken only after a "/"
        return None
    return register


def recovery_notice(dialogs: DialogService, register: Register) -> None:
    """Say once (at the open that finished it) that an interrupted restore was completed, and where the
    earlier data is."""
    if register.recovered:
        text = register.recovered
        dialogs.info(
            "Interrupted restore finished",
            text[:1].upper() + text[1:] + ". The restored register "
            "is open; the earlier data stays there until you delete it.",
        )


def same_day_warning(lesion: str, existing: list[str], new: list[str]) -> str | None:
    """A warning (not a refusal) before an import gives ``lesion`` a second capture of one day: ``existing`` are
    the dates of its captures, ``new`` the dates the import will store. Worded from what tracking does: captures
    are ordered by date (then import), the first is the baseline and a follow-up of the baseline's day is compared
    with it over 0 days, under the short-term rules (said in plain words). None when every day is new."""
    had, coming = {d[:10] for d in existing}, [d[:10] for d in new]
    clash = sorted(had & set(coming))
    repeated = sorted(d for d in set(coming) if coming.count(d) > 1 and d not in had)
    if not clash and not repeated:
        return None
    parts = [f"{lesion} already has a capture taken on {' and '.join(clash)}."] if clash else []
    for day in repeated:
        parts.append(f"{coming.count(day)} of these images will be stored as taken on {day}.")
    baseline = min(had | set(coming))
    if baseline in clash or baseline in repeated:
        parts.append(
            "Two captures of one day show no change over time: compared with each other, another angle, zoom or "
            "light can read as SIGNIFICANT."
        )
    else:
        most = max(coming.count(d) + (d in had) for d in (*clash, *repeated))  # captures of the busiest day
        times = "twice" if most == 2 else f"{most} times"
        parts.append(f"Each is compared with the baseline of {baseline}; the timeline and trend show that day {times}.")
    several = any(coming.count(d) > 1 for d in (*clash, *repeated))  # more than one new image on such a day
    parts.append(
        "If these are retakes, import them, then delete the poorer ones."
        if several
        else "If this is a retake, import it, then delete the poorer one."
    )
    return " ".join(parts)
